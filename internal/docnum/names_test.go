package docnum

import (
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
)

func TestMRZNameTransliterates(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"apostrophe omitted", "O'Brien", "OBRIEN"},
		{"typographic apostrophe omitted", "D’Artagnan", "DARTAGNAN"},
		{"Doc 9303 apostrophe example", "O'CONNOR", "OCONNOR"},
		{"hyphen becomes filler", "Jean-Luc", "JEAN LUC"},
		{"Doc 9303 hyphen example", "SMITH-JONES", "SMITH JONES"},
		{"non-breaking hyphen becomes filler", "Anne\u2011Marie", "ANNE MARIE"},
		{"comma becomes filler", "ANNA, MARIA", "ANNA MARIA"},
		{"other punctuation omitted", "St. John (Jr.)", "ST JOHN JR"},
		{"umlaut first form", "Müller", "MUELLER"},
		{"umlaut second form as typed", "MULLER", "MULLER"},
		{"decomposed umlaut", "Mu\u0308ller", "MUELLER"},
		{"Doc 9303 compound surname", "van der Müllen", "VAN DER MUELLEN"},
		{"n tilde", "Cañón", "CANON"},
		{"sharp s", "Strauß", "STRAUSS"},
		{"capital sharp s", "STRAUẞ", "STRAUSS"},
		{"o stroke", "Øyvind", "OEYVIND"},
		{"a ring", "Åsa", "AASA"},
		{"thorn", "Þórr", "THORR"},
		{"l stroke", "Łukasz", "LUKASZ"},
		{"dotless and dotted i", "Işık İnce", "ISIK INCE"},
		{"ligature", "Œuvre", "OEUVRE"},
		{"fillers and spaces collapse", "  ANNA<<MARIA   ", "ANNA MARIA"},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MRZName(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("MRZName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestMRZNameRejects(t *testing.T) {
	tests := []struct{ name, in, code, char string }{
		{"digit", "DOE2", "name_digit", "2"},
		{"Cyrillic", "Иванов", "name_script", "И"},
		{"Chinese", "王小明", "name_script", "王"},
		{"Greek", "Παπαδόπουλος", "name_script", "Π"},
		{"symbol", "A$B", "name_character", "$"},
		{"emoji", "ANNA🙂", "name_character", "🙂"},
		{"combining mark alone", "Q\u0308", "name_character", "\u0308"},
		{"too long", strings.Repeat("AB", 20), "name_too_long", "40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MRZName(tt.in)
			wantCode(t, err, tt.code)
			e, _ := apperr.As(err)
			if !strings.Contains(e.Message.En, tt.char) || !strings.Contains(e.Message.Zh, tt.char) {
				t.Fatalf("the refusal does not name %q: %+v", tt.char, e.Message)
			}
			if tt.code != "name_too_long" && (!strings.Contains(e.Message.En, "Doc 9303") || !strings.Contains(e.Message.Zh, "9303")) {
				t.Fatalf("the refusal does not state the rule: %+v", e.Message)
			}
		})
	}
}

func TestTransliterationTable(t *testing.T) {
	if n := len(latinTable()); n != 95 {
		t.Fatalf("Table A has %d rows, want 95", n)
	}
	for r, forms := range latinTable() {
		if r < 0x80 || len(forms) == 0 {
			t.Errorf("row %U: %v", r, forms)
		}
		for _, f := range forms {
			if !allLetters(f) {
				t.Errorf("row %c: form %q is not A–Z", r, f)
			}
		}
	}
	for in, want := range map[rune]string{'Ü': "UE UXX U", 'ü': "UE UXX U", 'Ä': "AE A", 'Ñ': "N NXX", 'ß': "SS", 'ı': "I", 'Ж': ""} {
		if got := strings.Join(Transliterations(in), " "); got != want {
			t.Errorf("%c: %q, want %q", in, got, want)
		}
	}
}
