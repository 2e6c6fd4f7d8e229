package applications

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
)

// validNumber builds a correct number from its 16 digits.
func validNumber(digits string) string { return "AP" + digits + string(mod112(digits)) }

func TestMod112MatchesResidentIDScheme(t *testing.T) {
	// Published sample resident ID numbers, whose last character is the
	// ISO 7064 MOD 11-2 check over the first 17 digits.
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if got := mod112(id[:17]); got != id[17] {
			t.Errorf("mod112(%s) = %c, want %c", id[:17], got, id[17])
		}
	}
}

func TestParseNumber(t *testing.T) {
	good := validNumber("2026112712345678")
	wrongCheck := good[:18] + string("0123456789X"[(strings.IndexByte("0123456789X", good[18])+1)%11])
	swapped := "AP20261127123456" + "87" + good[18:] // adjacent digits swapped
	tests := []struct {
		name, in, code string
	}{
		{"ok", good, ""},
		{"ok-lower-case-and-spaces", "  " + strings.ToLower(good) + "\t", ""},
		{"fail-empty", "", "invalid_application_number"},
		{"fail-too-short", good[:18], "invalid_application_number"},
		{"fail-too-long", good + "0", "invalid_application_number"},
		{"fail-prefix", "AQ" + good[2:], "invalid_application_number"},
		{"fail-letter-in-digits", "AP2026112712A45678" + good[18:], "invalid_application_number"},
		{"fail-impossible-date", validNumber("2026023012345678"), "invalid_application_number"},
		{"fail-check-not-digit-or-x", good[:18] + "Y", "invalid_application_number"},
		{"fail-wrong-check-character", wrongCheck, "application_number_check"},
		{"fail-transposed-digits", swapped, "application_number_check"},
		{"fail-inner-space", "AP 2026112712345678", "invalid_application_number"},
		{"fail-multibyte", "AP２026112712345678" + good[18:], "invalid_application_number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNumber(tt.in)
			if tt.code == "" {
				if err != nil || n.String() != good {
					t.Fatalf("ParseNumber(%q) = %q, %v; want %q", tt.in, n, err, good)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != tt.code || e.Field != FieldApplicationNumber || e.Kind != apperr.KindInvalid {
				t.Fatalf("ParseNumber(%q) err = %v; want %s on %s", tt.in, err, tt.code, FieldApplicationNumber)
			}
			if e.Message.En == "" || e.Message.Zh == "" {
				t.Fatal("message must be bilingual")
			}
		})
	}
}

func TestNewNumberParses(t *testing.T) {
	d := date(t, "2026-11-27")
	for i := 0; i < 200; i++ {
		n, err := newNumber(d, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(n.String(), "AP20261127") {
			t.Fatalf("%s does not carry the submission date", n)
		}
		if p, err := ParseNumber(n.String()); err != nil || p != n {
			t.Fatalf("generated %s does not parse: %v", n, err)
		}
	}
}

func TestNewNumberFailsWithoutRandomness(t *testing.T) {
	if _, err := newNumber(date(t, "2026-11-27"), bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("short random source accepted")
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{validNumber("2026112712345678"), "AP2026112712345678X", "", "ap20261127000000000",
		"AP99999999999999999", "AP2026112712345678\x00", "ＡＰ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// A number that parses is canonical, re-parses to itself and its
		// check character is right.
		again, err := ParseNumber(n.String())
		if err != nil || again != n || len(n) != numberLen {
			t.Fatalf("%q parsed to %q but re-parse gave %q, %v", s, n, again, err)
		}
		if mod112(string(n[2:18])) != n[18] {
			t.Fatalf("%q accepted with a wrong check character", n)
		}
	})
}
