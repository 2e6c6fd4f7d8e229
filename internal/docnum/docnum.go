// Package docnum checks document numbers that arrive from outside with the
// algorithms their issuers use, so typing mistakes and forgeries are caught
// before anything is stored: the ICAO Doc 9303 TD3 passport MRZ with all its
// check digits, the Foreign Permanent Resident ID Card numbers of 2017
// (15 characters, 7-3-1) and 2023 (18 characters, ISO 7064 MOD 11-2), and the
// 18-digit citizen identity number of a mainland resident identity card or
// of a Hong Kong, Macao or Taiwan resident's residence permit. It also
// holds the reference data those numbers need — every ISO 3166-1 country
// and every ICAO Doc 9303 code an MRZ may carry, with English and Chinese
// names — and writes names in MRZ form as Doc 9303 prescribes.
//
// Every failure is an *apperr.Error of kind Invalid with a stable code and a
// bilingual message; the field is left empty for the caller to fill with
// AtField, because only the caller knows which request field it parsed.
package docnum

import (
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

func invalid(code, en, zh string) *apperr.Error {
	return apperr.Invalid(code, "", i18n.T(en, zh))
}

// charValue is the ICAO 9303 value of an MRZ character: digits are
// themselves, A–Z are 10–35 and the filler '<' is 0. ok is false for
// anything else.
func charValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// checkDigit731 is the ICAO 9303 check digit of s (weights 7, 3, 1
// repeating, sum mod 10). ok is false when s holds a character outside the
// MRZ alphabet.
func checkDigit731(s string) (int, bool) {
	sum := 0
	weights := [3]int{7, 3, 1}
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return sum % 10, true
}

// mod112Weight is the ISO 7064 MOD 11-2 weight of digit i of 17
// (2^(17-i) mod 11), shared by the 2023 FPR card and the resident ID.
func mod112Weight(i int) int {
	return [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}[i]
}

// mod112Check returns the check character for 17 digits. ok is false if a
// character is not a digit.
func mod112Check(s string) (byte, bool) {
	if len(s) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		sum += int(s[i]-'0') * mod112Weight(i)
	}
	return "10X98765432"[sum%11], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// parseYYYYMMDD reads an 8-digit date and rejects impossible ones such as
// 19850230.
func parseYYYYMMDD(s string) (calendar.Date, bool) {
	if len(s) != 8 || !allDigits(s) {
		return calendar.Date{}, false
	}
	d, err := calendar.ParseDate(s[0:4] + "-" + s[4:6] + "-" + s[6:8])
	return d, err == nil
}

// provinceCodes are the mainland province-level division codes (GB/T
// 2260) that lead a 2023 FPR card number, a 2017 card's issuing-authority
// code and a resident ID. Taiwan (71), Hong Kong (81) and Macao (82) have
// codes in GB/T 2260 too, but no mainland authority issues an FPR card or
// a resident identity card there; the residence permits of their residents
// carry 830000, 810000 or 820000 instead (see ParseResidentID).
const provinceCodes = "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 " +
	"50 51 52 53 54 61 62 63 64 65 "

// IsProvince reports whether code is a mainland province-level division
// code.
func IsProvince(code string) bool {
	if len(code) != 2 || !allDigits(code) {
		return false
	}
	for i := 0; i+3 <= len(provinceCodes); i += 3 {
		if provinceCodes[i:i+2] == code {
			return true
		}
	}
	return false
}
