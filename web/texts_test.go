package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// pairRE finds the {{.T "en" "zh"}} pairs of the templates ($.T and $p.T
// included).
var pairRE = regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"`)

// latinAllowed are the Latin words a Chinese text may hold, as
// internal/i18n's text test allows them: abbreviations written in Latin
// letters in Chinese too, and the three-letter code of the example.
var latinAllowed = map[string]bool{"PDF": true, "QR": true, "SWE": true, "ISO": true}

var latinRun = regexp.MustCompile(`[A-Za-z]{2,}`)

// TestTemplateTextsAreTranslated: every text of every template has both
// sides, and the Chinese side holds no English word. The browser walk
// (cmd/fprlink, TestWebPagesInBothLanguages) sees only the branches its
// pages take; this sees them all.
func TestTemplateTextsAreTranslated(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for _, n := range names {
		b, err := fs.ReadFile(templateFS, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pairRE.FindAllStringSubmatch(string(b), -1) {
			pairs++
			en, zh := m[1], m[2]
			if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
				t.Errorf("%s: %q has an empty side", n, m[0])
			}
			for _, w := range latinRun.FindAllString(zh, -1) {
				if !latinAllowed[w] {
					t.Errorf("%s: English %q in %q", n, w, zh)
				}
			}
		}
	}
	if pairs < 100 {
		t.Fatalf("found only %d texts: the pattern no longer matches the templates", pairs)
	}
}

// TestTemplateTextCheckCatches keeps the check honest.
func TestTemplateTextCheckCatches(t *testing.T) {
	m := pairRE.FindStringSubmatch(`{{$.T "Sign in" "登录 now"}}`)
	if m == nil || m[2] != "登录 now" || latinRun.FindString(m[2]) != "now" {
		t.Fatalf("match %q", m)
	}
}
