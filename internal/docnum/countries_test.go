package docnum

import (
	"strings"
	"testing"
	"unicode"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestISOTableComplete walks the ISO 3166-1 table: all 249 entries, each
// with its alpha-2, numeric code and both names, numeric and alpha-3 one to
// one.
func TestISOTableComplete(t *testing.T) {
	n := 0
	seen := map[string]string{}
	for _, c := range Countries() {
		if c.Source != "ISO 3166-1" {
			continue
		}
		n++
		if len(c.Code) != 3 || !allLetters(c.Code) || len(c.Alpha2) != 2 || len(c.Numeric) != 3 || !allDigits(c.Numeric) {
			t.Errorf("%+v: malformed codes", c)
		}
		if c.ISO != c.Code || !c.Nationality || !c.Issuer {
			t.Errorf("%s: an ISO country is its own ISO code, a nationality and an issuer", c.Code)
		}
		if c.Name.En == "" || !hasHan(c.Name.Zh) {
			t.Errorf("%s: names %q / %q", c.Code, c.Name.En, c.Name.Zh)
		}
		if other, dup := seen[c.Numeric]; dup {
			t.Errorf("numeric %s is both %s and %s", c.Numeric, other, c.Code)
		}
		seen[c.Numeric] = c.Code
		if back, ok := Alpha3(c.Numeric); !ok || back != c.Code {
			t.Errorf("%s → %s → %s", c.Code, c.Numeric, back)
		}
	}
	if n != 249 {
		t.Fatalf("%d ISO 3166-1 entries, want 249", n)
	}
}

// TestNationalitiesOnceMissing names states the old 95-code table refused.
func TestNationalitiesOnceMissing(t *testing.T) {
	for code, want := range map[string]string{"SVK": "斯洛伐克", "HRV": "克罗地亚", "BGR": "保加利亚", "EST": "爱沙尼亚",
		"LVA": "拉脱维亚", "LTU": "立陶宛", "LUX": "卢森堡", "QAT": "卡塔尔", "PAN": "巴拿马", "CYP": "塞浦路斯", "MLT": "马耳他"} {
		name, ok := CountryName(code)
		if !ok || name.Zh != want || !IsNationality(code) {
			t.Errorf("%s: %+v %v", code, name, ok)
		}
	}
}

func TestICAOCodes(t *testing.T) {
	want := "D GBD GBN GBO GBP GBS EUE UNO UNA UNK XBA XIM XCC XCE XCO XEC XPO XES XMP XOM XDC XXA XXB XXC XXX ANT NTZ"
	var got []string
	for _, c := range Countries() {
		if c.Source == "ISO 3166-1" {
			continue
		}
		got = append(got, c.Code)
		if !strings.HasPrefix(c.Source, "ICAO Doc 9303 Part 3 §5 Part ") || c.Name.En == "" || !hasHan(c.Name.Zh) {
			t.Errorf("%+v: source or names missing", c)
		}
		if !c.Nationality {
			t.Errorf("%s: every ICAO code may stand as a nationality", c.Code)
		}
		if stateless := strings.HasPrefix(c.Code, "XX"); c.Issuer == stateless {
			t.Errorf("%s: issuer %v", c.Code, c.Issuer)
		}
		if c.Code != "D" && (c.ISO != "" || c.Numeric != "") {
			t.Errorf("%s: has no ISO equivalent, got %q %q", c.Code, c.ISO, c.Numeric)
		}
	}
	if len(got) != len(strings.Fields(want)) {
		t.Fatalf("ICAO codes %v, want %s", got, want)
	}
	for _, code := range strings.Fields(want) {
		if _, ok := LookupCountry(code); !ok {
			t.Errorf("%s missing", code)
		}
	}
}

func TestGermanyD(t *testing.T) {
	d, ok := LookupCountry("D<<")
	if !ok || d.Code != "D" || d.ISO != "DEU" || d.Numeric != "276" || d.Canonical() != "DEU" || d.Name.Zh != "德国" {
		t.Fatalf("D<< → %+v", d)
	}
	if n, ok := NumericCode("d"); !ok || n != "276" {
		t.Fatalf("D numeric %q", n)
	}
	if a, _ := Alpha3("276"); a != "DEU" {
		t.Fatalf("276 → %s, want DEU (D is not an ISO code)", a)
	}
}

func TestLookupCountry(t *testing.T) {
	for _, tt := range []struct {
		in, code string
		ok       bool
	}{
		{" kaz ", "KAZ", true},
		{"GBN", "GBN", true},
		{"XXA", "XXA", true},
		{"UTO", "", false}, // specimen documents only
		{"IAO", "", false}, // master lists only
		{"RKS", "", false}, // not in Doc 9303
		{"ZZZ", "", false},
		{"", "", false},
		{"<<<", "", false},
	} {
		c, ok := LookupCountry(tt.in)
		if ok != tt.ok || c.Code != tt.code {
			t.Errorf("%q → %q %v", tt.in, c.Code, ok)
		}
	}
	if _, ok := CountryByNumeric("999"); ok {
		t.Fatal("999 known")
	}
	if IsIssuer("XXB") || !IsNationality("XXB") || !IsIssuer("UNO") || IsNationality("ZZ") {
		t.Fatal("roles wrong")
	}
	if _, ok := NumericCode("XXA"); ok {
		t.Fatal("XXA has a numeric code")
	}
	if c, _ := LookupCountry("GBN"); c.Canonical() != "GBN" {
		t.Fatal("an ICAO-only code is its own canonical form")
	}
}
