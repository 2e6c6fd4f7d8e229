package issuer

import "testing"

func TestSexIsWrittenInBothLanguages(t *testing.T) {
	t.Parallel()
	tests := []struct{ sex, zh, en string }{
		{"M", "男", "Male (M)"},
		{"F", "女", "Female (F)"},
		{"X", "未注明", "Unspecified (X)"},
		{"Q", "Q", ""},
	}
	for _, tt := range tests {
		if r := sexRow(tt.sex); r.value != tt.zh || r.en != tt.en {
			t.Errorf("%s: %q %q, want %q %q", tt.sex, r.value, r.en, tt.zh, tt.en)
		}
	}
}

func TestCountryIsNamedBesideItsCode(t *testing.T) {
	t.Parallel()
	names := func(code string) (string, string, bool) {
		switch code {
		case "SWE":
			return "Sweden", "瑞典", true
		case "ZZQ":
			return "Nowhere", "\U0001F600", true // a glyph the font lacks
		}
		return "", "", false
	}
	p := pdfPage{countries: names}
	if r := p.countryRow(labelNation, "SWE"); r.value != "瑞典" || !r.zh || r.en != "SWE  Sweden" {
		t.Errorf("SWE: %+v", r)
	}
	for _, code := range []string{"KAZ", "ZZQ", ""} {
		if r := p.countryRow(labelNation, code); r.value != code || r.zh || r.en != "" {
			t.Errorf("%q: %+v, want the code alone", code, r)
		}
	}
	if r := (pdfPage{}).countryRow(labelNation, "SWE"); r.value != "SWE" {
		t.Errorf("without names: %+v", r)
	}
}
