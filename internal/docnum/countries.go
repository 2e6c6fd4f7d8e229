package docnum

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/fprlink/fprlink/internal/i18n"
)

// Country is one code that may stand in an MRZ for a nationality or for an
// issuing State or organization: an ISO 3166-1 country, or one of the
// codes ICAO Doc 9303 adds (D for Germany, the British nationality
// classes, the United Nations, the European Union, the stateless and
// refugees).
type Country struct {
	Code   string // as in the MRZ, fillers dropped: ISO alpha-3 or the ICAO code
	Alpha2 string // ISO 3166-1 alpha-2; empty for an ICAO code
	// ISO is the ISO 3166-1 alpha-3 code this code stands for: Code itself
	// for an ISO country, DEU for D, empty when there is none. A 2023 FPR
	// card number writes nationality as the numeric code of ISO, so a
	// holder whose code has no ISO equivalent cannot be written into one.
	ISO         string
	Numeric     string // ISO 3166-1 numeric code; empty without ISO
	Name        i18n.Text
	Nationality bool   // may stand as a nationality
	Issuer      bool   // may stand as an issuing State or organization
	Source      string // where the entry comes from
}

// Canonical is the code the registry stores for this entry: the ISO code
// when there is one, so that D and DEU are one nationality, else the ICAO
// code.
func (c Country) Canonical() string {
	if c.ISO != "" {
		return c.ISO
	}
	return c.Code
}

// The two tables are data files carrying their sources; see data/.
//
//go:embed data/iso3166-1.tsv data/icao9303-codes.tsv
var countryFiles embed.FS

type countryIndex struct {
	all       []Country
	byCode    map[string]int
	byNumeric map[string]int
}

// countries parses the embedded tables once. They are part of the binary,
// so a malformed table is a build defect, caught by the tests, not a
// run-time condition.
var countries = sync.OnceValue(func() countryIndex {
	idx := countryIndex{byCode: map[string]int{}, byNumeric: map[string]int{}}
	for _, row := range readTSV(countryFiles, "data/iso3166-1.tsv", 6) {
		idx.add(Country{Code: row[0], Alpha2: row[1], ISO: row[0], Numeric: row[2],
			Name: i18n.T(row[3], row[4]), Nationality: true, Issuer: true, Source: "ISO 3166-1"})
	}
	for _, row := range readTSV(countryFiles, "data/icao9303-codes.tsv", 7) {
		c := Country{Code: row[0], ISO: row[1], Name: i18n.T(row[5], row[6]),
			Nationality: row[2] == "y", Issuer: row[3] == "y", Source: "ICAO Doc 9303 Part 3 §5 Part " + row[4]}
		if c.ISO != "" {
			iso := idx.all[idx.byCode[c.ISO]]
			c.Alpha2, c.Numeric = iso.Alpha2, iso.Numeric
		}
		idx.add(c)
	}
	return idx
})

func (idx *countryIndex) add(c Country) {
	if _, dup := idx.byCode[c.Code]; dup {
		panic(fmt.Sprintf("docnum: country code %s listed twice", c.Code))
	}
	idx.byCode[c.Code] = len(idx.all)
	if c.ISO == c.Code {
		idx.byNumeric[c.Numeric] = len(idx.all)
	}
	idx.all = append(idx.all, c)
}

// readTSV returns the data rows of an embedded tab-separated file: lines
// starting with # are its notes, the first other line names the columns.
func readTSV(fsys embed.FS, name string, columns int) [][]string {
	b, err := fsys.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("docnum: %s: %v", name, err))
	}
	var rows [][]string
	header := true
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		row := strings.Split(line, "\t")
		if len(row) != columns {
			panic(fmt.Sprintf("docnum: %s: %q has %d columns, want %d", name, line, len(row), columns))
		}
		if header {
			header = false
			continue
		}
		rows = append(rows, row)
	}
	return rows
}

// LookupCountry finds the entry of an MRZ code, given in any case and with
// or without the fillers that pad a short code ("D<<").
func LookupCountry(code string) (Country, bool) {
	code = strings.ToUpper(strings.TrimRight(strings.TrimSpace(code), "<"))
	idx := countries()
	i, ok := idx.byCode[code]
	if !ok {
		return Country{}, false
	}
	return idx.all[i], true
}

// CountryByNumeric finds the ISO 3166-1 entry of a numeric code.
func CountryByNumeric(numeric string) (Country, bool) {
	idx := countries()
	i, ok := idx.byNumeric[numeric]
	if !ok {
		return Country{}, false
	}
	return idx.all[i], true
}

// Countries returns every entry, the ISO 3166-1 countries first, each
// group in code order.
func Countries() []Country {
	all := countries().all
	out := make([]Country, len(all))
	copy(out, all)
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].ISO == out[i].Code) != (out[j].ISO == out[j].Code) {
			return out[i].ISO == out[i].Code
		}
		return out[i].Code < out[j].Code
	})
	return out
}

// IsNationality reports whether code may stand in an MRZ as a nationality.
func IsNationality(code string) bool {
	c, ok := LookupCountry(code)
	return ok && c.Nationality
}

// IsIssuer reports whether code may stand in an MRZ as the issuing State
// or organization.
func IsIssuer(code string) bool {
	c, ok := LookupCountry(code)
	return ok && c.Issuer
}

// NumericCode returns the ISO 3166-1 numeric code that code stands for.
func NumericCode(code string) (string, bool) {
	c, ok := LookupCountry(code)
	if !ok || c.Numeric == "" {
		return "", false
	}
	return c.Numeric, true
}

// Alpha3 returns the ISO 3166-1 alpha-3 code of a numeric code.
func Alpha3(numeric string) (string, bool) {
	c, ok := CountryByNumeric(numeric)
	return c.ISO, ok
}

// CountryName is the English and Chinese name of an MRZ code, for the API
// and the e-document; ok is false for a code in neither table.
func CountryName(code string) (i18n.Text, bool) {
	c, ok := LookupCountry(code)
	return c.Name, ok
}

// isISOAlpha3 reports whether s is an ISO 3166-1 alpha-3 code itself.
func isISOAlpha3(s string) bool {
	c, ok := LookupCountry(s)
	return ok && c.ISO == c.Code && len(s) == 3
}
