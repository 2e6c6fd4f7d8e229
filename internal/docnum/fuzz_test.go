package docnum

import (
	"strings"
	"testing"
)

// The fuzz targets check that the parsers never panic and that whatever
// they accept is self-consistent.

func FuzzParseTD3(f *testing.F) {
	f.Add(specimenL1 + "\n" + specimenL2)
	f.Add(specimenL1 + specimenL2)
	f.Add(specimenL1 + "\n" + specimenL2[:43] + "1")
	f.Add("P<\n<<")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseTD3(s, today)
		if err != nil {
			return
		}
		if len(m.Line1) != 44 || len(m.Line2) != 44 || m.Number == "" || m.BirthDate.IsZero() {
			t.Fatalf("accepted an incomplete MRZ: %+v", m)
		}
		again, err := ParseTD3(m.Line1+"\n"+m.Line2, today)
		if err != nil || again != m {
			t.Fatalf("reparse differs: %v", err)
		}
	})
}

func FuzzParseFPR(f *testing.F) {
	for _, s := range []string{"932682198501010017", "911124198108030024", "KAZ110090123105", "", "9", "KAZ11009012310X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseFPR(s, today)
		if err != nil {
			return
		}
		if !IsNationality(n.Nationality) || !IsProvince(n.Province) {
			t.Fatalf("accepted unknown codes: %+v", n)
		}
		if n.Number != strings.ToUpper(strings.TrimSpace(s)) {
			t.Fatalf("number not normalised: %q", n.Number)
		}
	})
}

func FuzzParseResidentID(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105194912310021", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseResidentID(s, today)
		if err != nil {
			return
		}
		if len(r.Number) != 18 || (r.Sex != "M" && r.Sex != "F") {
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzMRZName(f *testing.F) {
	for _, s := range []string{"O'Brien", "Jean-Luc", "Müller", "Иванов", "ANNA<<MARIA", "", "ß-ẞ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := MRZName(s)
		if err != nil {
			return
		}
		if len(out) > MaxNameLen || strings.Contains(out, "  ") || strings.TrimSpace(out) != out {
			t.Fatalf("%q → %q", s, out)
		}
		for _, r := range out {
			if (r < 'A' || r > 'Z') && r != ' ' {
				t.Fatalf("%q → %q holds %q", s, out, r)
			}
		}
		if again, err := MRZName(out); err != nil || again != out {
			t.Fatalf("%q → %q → %q %v: not stable", s, out, again, err)
		}
	})
}
