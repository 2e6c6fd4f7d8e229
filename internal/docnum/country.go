package docnum

import "strings"

// countryTable pairs ISO 3166-1 alpha-3 codes with their numeric codes for
// the nationalities the service meets, as "AAA000 " records. The 2023 FPR
// card writes nationality numerically, the 2017 card and passports
// alphabetically; both must name the same state, so one table serves both
// directions. It is a constant so no code can change it at run time. Extend
// it when a new nationality is met: an unknown code is rejected, not guessed.
const countryTable = "" +
	"AFG004 AGO024 ALB008 ARE784 ARG032 ARM051 AUS036 AUT040 BEL056 BGD050 " +
	"BLR112 BOL068 BRA076 CAN124 CHE756 CHL152 CMR120 COL170 CUB192 CZE203 " +
	"DEU276 DNK208 DZA012 ECU218 EGY818 ESP724 ETH231 FIN246 FRA250 GBR826 " +
	"GEO268 GHA288 GRC300 HUN348 IDN360 IND356 IRL372 IRN364 IRQ368 ISR376 " +
	"ITA380 JOR400 JPN392 KAZ398 KEN404 KGZ417 KHM116 KOR410 LAO418 LBN422 " +
	"LKA144 MAR504 MDG450 MEX484 MMR104 MNG496 MOZ508 MYS458 NGA566 NLD528 " +
	"NOR578 NPL524 NZL554 PAK586 PER604 PHL608 POL616 PRK408 PRT620 ROU642 " +
	"RUS643 SAU682 SDN729 SEN686 SGP702 SRB688 SWE752 SYR760 THA764 TJK762 " +
	"TKM795 TUN788 TUR792 TZA834 UGA800 UKR804 URY858 USA840 UZB860 VEN862 " +
	"VNM704 YEM887 ZAF710 ZMB894 ZWE716 "

const countryRecord = 7 // "AAA000 "

// lookupCountry finds the record whose part at offset (0 for alpha-3, 3 for
// numeric) equals key.
func lookupCountry(key string, offset int) (string, bool) {
	if len(key) != 3 {
		return "", false
	}
	for i := 0; i+countryRecord <= len(countryTable); i += countryRecord {
		rec := countryTable[i : i+6]
		if rec[offset:offset+3] == key {
			return rec, true
		}
	}
	return "", false
}

// IsNationality reports whether alpha3 is a known ISO 3166-1 alpha-3 code.
func IsNationality(alpha3 string) bool {
	_, ok := lookupCountry(alpha3, 0)
	return ok
}

// NumericCode returns the ISO 3166-1 numeric code of alpha3.
func NumericCode(alpha3 string) (string, bool) {
	rec, ok := lookupCountry(strings.ToUpper(alpha3), 0)
	if !ok {
		return "", false
	}
	return rec[3:], true
}

// Alpha3 returns the alpha-3 code of a numeric ISO 3166-1 code.
func Alpha3(numeric string) (string, bool) {
	rec, ok := lookupCountry(numeric, 3)
	if !ok {
		return "", false
	}
	return rec[:3], true
}

// Nationalities returns every known alpha-3 code in alphabetical order.
func Nationalities() []string {
	out := make([]string, 0, len(countryTable)/countryRecord)
	for i := 0; i+countryRecord <= len(countryTable); i += countryRecord {
		out = append(out, countryTable[i:i+3])
	}
	return out
}
