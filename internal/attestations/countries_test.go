package attestations

import "testing"

func TestPDFNamesCountriesFromTheCountryTable(t *testing.T) {
	t.Parallel()
	if en, zh, ok := countryNames("SWE"); !ok || en != "Sweden" || zh != "瑞典" {
		t.Fatalf("SWE: %q %q %v", en, zh, ok)
	}
	if _, _, ok := countryNames("ZZZ"); ok {
		t.Fatal("ZZZ named")
	}
}
