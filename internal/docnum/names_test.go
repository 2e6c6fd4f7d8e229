package docnum

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"

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
		{"Arabic", "محمد", "name_script", "م"},
		{"Cyrillic letter without a Table B row", "Ѣ", "name_script", "Ѣ"},
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
	for in, want := range map[rune]string{'Ü': "UE UXX U", 'ü': "UE UXX U", 'Ä': "AE A", 'Ñ': "N NXX", 'ß': "SS", 'ı': "I", 'Ж': "ZH Z", 'ж': "ZH Z", 'Ь': "", 'Щ': "SHCH SHT", 'Q': ""} {
		if got := strings.Join(Transliterations(in), " "); got != want {
			t.Errorf("%c: %q, want %q", in, got, want)
		}
	}
}

// TestMRZNameCyrillic: Doc 9303 Table B, with the national forms applied
// by the holder's nationality.
func TestMRZNameCyrillic(t *testing.T) {
	tests := []struct{ name, in, nationality, want string }{
		{"Russian", "Иванов", "RUS", "IVANOV"},
		{"Russian full name", "Щукина Юлия", "RUS", "SHCHUKINA IULIIA"},
		{"hard sign", "Подъячев", "RUS", "PODIEIACHEV"},
		{"soft sign omitted", "Игорь", "RUS", "IGOR"},
		{"yo as e", "Фёдор", "KAZ", "FEDOR"},
		{"lower and upper case alike", "ЖАННА жанна", "", "ZHANNA ZHANNA"},
		{"hyphenated Cyrillic", "Петров-Водкин", "RUS", "PETROV VODKIN"},
		{"Belarusian ge and yo", "Ігар Сёмін", "BLR", "IHAR SIOMIN"},
		{"Ukrainian i short", "Микола", "UKR", "MYKOLA"},
		{"Ukrainian yi and ye", "Їжак Євген", "UKR", "IZHAK IEVGEN"},
		{"Serbian", "Ђорђе Шешељ", "SRB", "DORDE SESELJ"},
		{"Serbian che and tse", "Чаврић Хаџић", "SRB", "CAVRIC HADZIC"},
		{"Macedonian", "Ѓорѓи Џафероски", "MKD", "GJORGJI DJAFEROSKI"},
		{"Macedonian kje", "Ќирил", "MKD", "KJIRIL"},
		{"Bulgarian shta", "Щерев", "BGR", "SHTEREV"},
		{"national forms only for that nationality", "Шешељ", "RUS", "SHESHELJ"},
		{"mixed Latin and Cyrillic", "Anna Петрова", "RUS", "ANNA PETROVA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MRZNameFor(tt.in, tt.nationality)
			if err != nil || got != tt.want {
				t.Fatalf("MRZNameFor(%q, %q) = %q, %v; want %q", tt.in, tt.nationality, got, err, tt.want)
			}
		})
	}
}

func TestCyrillicTable(t *testing.T) {
	tab := cyrillicTable()
	if len(tab) != 48 {
		t.Fatalf("Table B has %d rows, want 48", len(tab))
	}
	for r, row := range tab {
		if !unicode.Is(unicode.Cyrillic, r) || !unicode.IsUpper(r) {
			t.Errorf("row %U is not a capital Cyrillic letter", r)
		}
		for _, f := range append([]string{row.form}, slices.Collect(maps.Values(row.variants))...) {
			if f != "" && !allLetters(f) {
				t.Errorf("row %c: form %q is not A–Z", r, f)
			}
		}
		for lang := range row.variants {
			if !slices.Contains([]string{"bel", "bul", "mkd", "srp", "ukr"}, lang) {
				t.Errorf("row %c: language %q has no nationality", r, lang)
			}
		}
	}
}
