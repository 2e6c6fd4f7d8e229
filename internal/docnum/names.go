package docnum

import (
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// MaxNameLen is the room a TD3 MRZ gives one name field (positions 6–44 of
// line 1).
const MaxNameLen = 39

// The transliteration tables are data files carrying their sources.
//
//go:embed data/icao9303-latin.tsv data/icao9303-cyrillic.tsv
var latinFile embed.FS

// cyrillicRow is one row of Doc 9303 Table B: the table's form ("" for a
// letter that is omitted) and the forms some languages use instead.
type cyrillicRow struct {
	form     string
	variants map[string]string // ISO 639-2 language → form
}

// cyrillicTable maps a capital Cyrillic letter to its Table B row.
var cyrillicTable = sync.OnceValue(func() map[rune]cyrillicRow {
	out := map[rune]cyrillicRow{}
	for _, row := range readTSV(latinFile, "data/icao9303-cyrillic.tsv", 4) {
		cp, err := strconv.ParseUint(row[0], 16, 32)
		if err != nil || string(rune(cp)) != row[1] {
			panic(fmt.Sprintf("docnum: Cyrillic row %q: code point and character disagree", row))
		}
		r := cyrillicRow{form: row[2], variants: map[string]string{}}
		if r.form == "-" {
			r.form = ""
		}
		for _, v := range strings.Fields(row[3]) {
			lang, form, ok := strings.Cut(v, "=")
			if !ok {
				panic(fmt.Sprintf("docnum: Cyrillic row %q: variant %q", row, v))
			}
			r.variants[lang] = form
		}
		out[rune(cp)] = r
	}
	return out
})

// cyrillicLanguage is the language whose Table B variants apply to a
// holder of the nationality: Doc 9303 gives them for the national
// languages of these States; every other holder gets the table's forms.
func cyrillicLanguage(nationality string) string {
	switch nationality {
	case "BLR":
		return "bel"
	case "BGR":
		return "bul"
	case "MKD":
		return "mkd"
	case "SRB":
		return "srp"
	case "UKR":
		return "ukr"
	}
	return ""
}

// cyrillic transliterates one Cyrillic letter for a holder of
// nationality, and false when Table B has no row for it.
func cyrillic(r rune, nationality string) (string, bool) {
	row, ok := cyrillicTable()[unicode.ToUpper(r)]
	if !ok {
		return "", false
	}
	if v, ok := row.variants[cyrillicLanguage(nationality)]; ok {
		return v, true
	}
	return row.form, true
}

// latinTable maps a capital letter to every MRZ form ICAO Doc 9303 Part 3
// section 6 Table A recommends for it, the registry's choice first.
var latinTable = sync.OnceValue(func() map[rune][]string {
	out := map[rune][]string{}
	for _, row := range readTSV(latinFile, "data/icao9303-latin.tsv", 3) {
		cp, err := strconv.ParseUint(row[0], 16, 32)
		if err != nil || string(rune(cp)) != row[1] {
			panic(fmt.Sprintf("docnum: transliteration row %q: code point and character disagree", row))
		}
		out[rune(cp)] = strings.Split(row[2], "|")
	}
	return out
})

// Transliterations returns every MRZ form Doc 9303 Table A or B
// recommends for letter r (in either case), the registry's choice first
// (for Cyrillic, the table's form, then the forms of single languages), or
// nil when the tables have no row for it. A Cyrillic letter that is
// omitted (Ь) has the one form "".
func Transliterations(r rune) []string {
	if row, ok := cyrillicTable()[unicode.ToUpper(r)]; ok {
		forms := []string{row.form}
		for _, lang := range []string{"bel", "bul", "mkd", "srp", "ukr"} {
			if v, ok := row.variants[lang]; ok && !slices.Contains(forms, v) {
				forms = append(forms, v)
			}
		}
		return forms
	}
	if r == 'ß' { // its capital, ẞ, is the table's row
		r = 'ẞ'
	}
	t := latinTable()
	forms, ok := t[r] // ı (U+0131) is a row, though its capital is I
	if !ok {
		forms = t[unicode.ToUpper(r)]
	}
	return append([]string(nil), forms...)
}

// MRZName writes a name as the MRZ of a passport holds it, following ICAO
// Doc 9303 (Eighth Edition 2021) Part 3: letters are capitals A–Z
// (section 4.6); a Latin letter with a diacritic is transliterated by
// section 6 Table A, using its first recommended form (Müller → MUELLER;
// MULLER is as correct and is accepted as typed); a Cyrillic letter by
// Table B (Иванов → IVANOV); an apostrophe is omitted (O'Brien → OBRIEN);
// a hyphen or comma becomes a filler, which the registry stores as a space
// (Jean-Luc → JEAN LUC) and the MRZ writes as '<'; all other punctuation
// is omitted. Digits, letters of scripts Doc 9303 gives no table for here
// (Greek, Arabic, Han …) and symbols cannot be written in an MRZ name; the
// refusal says which character and why, in both languages.
func MRZName(s string) (string, error) { return MRZNameFor(s, "") }

// MRZNameFor is MRZName for a holder of nationality (a stored ISO code):
// where Table B gives a Cyrillic letter another form in the national
// language of the holder's State (Г → H in Belarusian and Serbian, И → Y in
// Ukrainian, Щ → SHT in Bulgarian …), that form is used.
func MRZNameFor(s, nationality string) (string, error) {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			b.WriteRune(unicode.ToUpper(r))
		case r == '<' || r == '-' || r == ',' || r == '\u2010' || r == '\u2011' || unicode.IsSpace(r):
			b.WriteByte(' ')
		case isApostrophe(r), unicode.IsPunct(r):
			// omitted
		case unicode.IsDigit(r):
			return "", errNameDigit(r)
		case unicode.Is(unicode.Cyrillic, r):
			form, ok := cyrillic(r, nationality)
			if !ok {
				return "", errNameScript(r)
			}
			b.WriteString(form)
		case unicode.IsLetter(r):
			forms := Transliterations(r)
			if forms == nil {
				return "", errNameScript(r)
			}
			b.WriteString(forms[0])
		default:
			return "", errNameCharacter(r)
		}
	}
	name := strings.Join(strings.Fields(b.String()), " ")
	if len(name) > MaxNameLen {
		return "", apperr.Invalid("name_too_long", "", i18n.T(
			fmt.Sprintf("Written as in an MRZ the name has %d characters; an MRZ name field holds at most %d.", len(name), MaxNameLen),
			fmt.Sprintf("按机读区写法该姓名共 %d 个字符，机读区姓名栏最多 %d 个字符。", len(name), MaxNameLen)))
	}
	return name, nil
}

// isApostrophe covers the apostrophes names are typed with: ASCII, the
// typographic right and left quotes, the modifier letter and the grave
// accent used in its place.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02BC' || r == '`'
}

// msgNameRule is the rule every name refusal restates.
var msgNameRule = i18n.T(
	"Names are written as in the passport's MRZ (ICAO Doc 9303 Part 3): Latin letters; a letter with a diacritic is transliterated (Ü → UE, Ñ → N, ß → SS), and so is Cyrillic (Ж → ZH); other scripts are entered as the passport's MRZ writes them; an apostrophe is dropped (O'Brien → OBRIEN); a hyphen becomes a space (Jean-Luc → JEAN LUC).",
	"姓名按护照机读区写法填写（国际民航组织第 9303 号文件第 3 部分）：使用拉丁字母；带附加符号的字母按转写表转写（Ü 写作 UE，Ñ 写作 N，ß 写作 SS），西里尔字母亦按转写表转写（Д 写作 D）；其他文字请按护照机读区中的写法填写；撇号省略；连字符改为空格。")

func nameError(code string, r rune, en, zh string) error {
	return apperr.Invalid(code, "", i18n.T(
		fmt.Sprintf("“%c” %s %s", r, en, msgNameRule.En),
		fmt.Sprintf("“%c”%s%s", r, zh, msgNameRule.Zh)))
}

func errNameDigit(r rune) error {
	return nameError("name_digit", r, "is a digit, and an MRZ name holds no digits.", "是数字，机读区姓名中不能有数字。")
}

func errNameScript(r rune) error {
	return nameError("name_script", r,
		"is a letter of a script Doc 9303 gives no transliteration table for here (only Latin and Cyrillic are transliterated): enter the name as the passport's MRZ writes it.",
		"所属文字没有可用的转写表（仅转写拉丁字母和西里尔字母），请按护照机读区中的写法填写。")
}

func errNameCharacter(r rune) error {
	return nameError("name_character", r, "cannot be written in an MRZ name.", "不能写入机读区姓名。")
}

// MRZNameField writes stored names (capitals, single spaces) as the name
// field of a TD3 MRZ holds them: the surname, "<<", the given names, each
// space a filler, cut at the field's 39 characters as Doc 9303 Part 4
// truncates a long name, trailing fillers dropped.
func MRZNameField(surname, givenNames string) string {
	field := strings.ReplaceAll(surname, " ", "<")
	if givenNames != "" {
		field += "<<" + strings.ReplaceAll(givenNames, " ", "<")
	}
	if len(field) > MaxNameLen {
		field = field[:MaxNameLen]
	}
	return strings.TrimRight(field, "<")
}
