package i18n_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/fprlink/fprlink/internal/docnum"
)

// latinInChinese lists the Latin-letter words a Chinese text may contain:
// abbreviations Chinese administrations themselves write in Latin letters
// (the standards bodies and formats a reader meets on the document or at
// the counter, as in the National Immigration Administration's own pages:
// "ISO 3166-1"、"国际民航组织（ICAO）"、"PDF 文件"、"二维码（QR）"), and
// the names of technical standards a relying party's developer must
// recognise. Anything else in Latin letters is English or a code left
// untranslated. Single capital letters (a check character X, "字母 A–Z"),
// runs of X standing for digits (XXXX-XXXX) and words with digits
// (document numbers such as E12345678, ES256) are examples or numbers,
// not words, and are not listed.
var latinInChinese = map[string]string{
	"ISO":    "International Organization for Standardization, written so in Chinese standards (GB/T 2659 cites ISO 3166-1)",
	"ICAO":   "International Civil Aviation Organization, the author of Doc 9303",
	"Doc":    "the title of ICAO Doc 9303, cited as such",
	"GB":     "the prefix of Chinese national standards (GB 11643)",
	"PDF":    "the file format, written so in Chinese",
	"QR":     "QR code, written so beside 二维码",
	"URL":    "web address as a developer sees it",
	"JSON":   "the data format of the API",
	"API":    "the verify interface relying parties program against",
	"JWKS":   "the published key set relying parties fetch",
	"JWS":    "the signature format relying parties decode",
	"HTTPS":  "the scheme an issuer address must use",
	"ICS":    "the calendar file format of an appointment",
	"RFC":    "the series of Internet standards (RFC 3339 times) the API's callers program against",
	"UTF":    "the UTF-8 encoding, written so in Chinese",
	"NDJSON": "the import format officers upload",
	"AP":     "the letters printed at the start of every application number",
	"UE":     "MRZ spelling shown by the transliteration rule (Ü is written UE)",
	"SS":     "MRZ spelling shown by the transliteration rule (ß is written SS)",
	"true":   "JSON literal a caller writes; it has no Chinese spelling",
	"false":  "JSON literal a caller writes; it has no Chinese spelling",
}

// misnamed lists Chinese words that are literal translations of English
// terms, with the word an administration uses instead.
var misnamed = map[string]string{
	"依赖方": "核验单位",
}

var (
	i18nPath = "github.com/fprlink/fprlink/internal/i18n"
	verbRE   = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	latinRE  = regexp.MustCompile(`[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*`)
	onlyXRE  = regexp.MustCompile(`^X+$`)
	hasDigit = regexp.MustCompile(`[0-9]`)
	// Addresses and paths (/api/v1/business-types, https://…, example.cn)
	// are what the reader types, not words.
	addressRE  = regexp.MustCompile(`(https?://)?[A-Za-z0-9.-]*(/[A-Za-z0-9._~{}-]+)+|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.(cn|com|org|json)\b|https?://`)
	datePartRE = regexp.MustCompile(`^(YYYY|MM|DD|HH)$`)
	codeNames  = regexp.MustCompile(`^(?i:field|status|state|kind|role|business|businessCode|purpose|sector|reason|en)$`)
)

// finding is one untranslated word or code in a Chinese text.
type finding struct {
	pos, what, text string
}

func (f finding) String() string { return fmt.Sprintf("%s: %s in %q", f.pos, f.what, f.text) }

// TestChineseTextsHaveNoEnglish walks every Chinese text the service owns
// — the zh-CN side of every i18n.T call and i18n.Text literal, every Go
// string with Chinese in it, the zh-CN members of the shipped JSON data
// and the Chinese country names — and fails on any English word, field
// name or status code inside one, on a Chinese text left empty beside an
// English one, and on a value spliced into a Chinese sentence that is a
// raw code (string(x), a variable named for a field, status, role …) or
// the English side of a text.
func TestChineseTextsHaveNoEnglish(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	var found []finding
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
			found = append(found, scanGo(t, path, rel)...)
		case strings.HasSuffix(name, ".json"):
			found = append(found, scanJSON(t, path, rel)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range docnum.Countries() {
		found = append(found, checkZh("country "+c.Code, c.Name.Zh)...)
		if c.Name.Zh == "" {
			found = append(found, finding{"country " + c.Code, "no Chinese name", c.Name.En})
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].pos < found[j].pos })
	for _, f := range found {
		t.Error(f)
	}
}

// TestChineseTextCheckCatches keeps the checker honest: each row is a text
// it must refuse or accept.
func TestChineseTextCheckCatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, zh string
		bad      bool
	}{
		{"status code", "登记状态：lost", true},
		{"field name", "latitude 和 longitude 须同时提供", true},
		{"snake case field", "processing_days 须为 15", true},
		{"english word", "请联系 officer", true},
		{"allowed abbreviation", "请上传 PDF 文件或扫描二维码（QR）", false},
		{"standard", "ISO 3166-1 国家代码", false},
		{"document number", "护照号码 E12345678", false},
		{"digit placeholder", "格式为 XXXX-XXXX", false},
		{"check character", "校验位可以是 X", false},
		{"format verb", "共 %d 处错误，第一处位于 %s", false},
		{"date pattern", "格式为 YYYY-MM-DD", false},
		{"path", "请参阅 /api/v1/business-types", false},
		{"country code example", "如 D、GBN、XXA", false},
		{"literal term", "依赖方的密钥", true},
		{"lowercase code", "请填写 gbn", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := len(checkZh("row", tt.zh)) > 0; got != tt.bad {
				t.Fatalf("checkZh(%q) refused = %v, want %v", tt.zh, got, tt.bad)
			}
		})
	}
	src := `package p
import ("fmt"; "github.com/fprlink/fprlink/internal/i18n")
var a = i18n.T("Status: "+string(s), "状态："+string(s))
var b = i18n.Text{En: "x", Zh: fmt.Sprintf("字段 %s 有误", field)}
var c = map[string]i18n.Text{"k": {"Booked", ""}}
var d = i18n.T("Note", "备注："+note.En)
`
	dir := t.TempDir()
	path := filepath.Join(dir, "p.go")
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	got := scanGo(t, path, "p.go")
	if len(got) != 4 {
		t.Fatalf("findings %v, want one each for a string conversion, a field, an empty text and an English side", got)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// checkZh reports the Latin-letter words of a Chinese text that are not
// allowed in it.
func checkZh(pos, zh string) []finding {
	var out []finding
	for bad, good := range misnamed {
		if strings.Contains(zh, bad) {
			out = append(out, finding{pos, fmt.Sprintf("%q where an administration writes %q", bad, good), zh})
		}
	}
	plain := addressRE.ReplaceAllString(verbRE.ReplaceAllString(zh, " "), " ")
	for _, w := range latinRE.FindAllString(plain, -1) {
		switch {
		case strings.Contains(w, "_"):
		case latinInChinese[w] != "":
			continue
		case len(w) == 1 && unicode.IsUpper(rune(w[0])), onlyXRE.MatchString(w), hasDigit.MatchString(w), datePartRE.MatchString(w):
			continue
		case isCountryCode(w):
			continue
		}
		out = append(out, finding{pos, fmt.Sprintf("English word %q", w), zh})
	}
	return out
}

// isCountryCode accepts an ISO or ICAO code quoted as an example of what
// may stand in an MRZ (D, GBN, XXA, UNO): the reader types it as printed.
func isCountryCode(w string) bool {
	if strings.ToUpper(w) != w {
		return false
	}
	_, ok := docnum.LookupCountry(w)
	return ok
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
