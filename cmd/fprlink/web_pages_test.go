package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// latinInChinese are the Latin-letter words a Chinese page may show, as
// internal/i18n's text test allows them in Chinese texts: abbreviations
// Chinese administrations write in Latin letters.
var latinInChinese = map[string]bool{"PDF": true, "QR": true, "ISO": true, "ICAO": true, "SWE": true, "km": true}

var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// zhStrays lists the Latin words of a Chinese page's own text. Data the
// page shows as it is (names as in the passport, document numbers, codes)
// is marked translate="no" and left out, as is anything marked lang="en"
// (the share view's English line, the switch to English).
const zhTextJS = `(() => {
  const c = document.documentElement.cloneNode(true);
  c.querySelectorAll('[translate="no"], [lang="en"], script, style, template, link, meta').forEach(e => e.remove());
  const attrs = [...c.querySelectorAll('[alt], [aria-label], [title], [placeholder]')]
    .map(e => [e.getAttribute('alt'), e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder')].join(' '));
  return c.textContent + ' ' + attrs.join(' ') + ' ' + document.title;
})()`

func zhStrays(text string) []string {
	seen := map[string]bool{}
	for _, w := range latinWord.FindAllString(text, -1) {
		if !latinInChinese[w] {
			seen[w] = true
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// axeJS runs axe-core on the page and lists its serious and critical
// violations.
const axeJS = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`

// TestWebPagesInBothLanguages walks every page, signed in where it must
// be, in English and then, after the language switch, in Chinese. Each
// page has the Content-Security-Policy and the page's language in <html
// lang>, axe-core finds no serious or critical accessibility violation,
// and a Chinese page shows no English word of its own. With
// FPRLINK_SCREENSHOTS set to a directory, the phone-size screenshots of
// docs/screenshots are written there.
func TestWebPagesInBothLanguages(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	d := startWebDemo(t)
	doc, token := issueAs(t, d.base, d.demo, "erik")
	centre, date := d.bookable(t, "visa_extension")
	var slots struct {
		Slots []struct {
			Start string `json:"start"`
		} `json:"slots"`
	}
	call(t, "GET", d.base+"/api/v1/service-centers/"+centre+"/slots?business=visa_extension&date="+date, "", nil, &slots, 200)
	var appt struct {
		ID string `json:"id"`
	}
	call(t, "POST", d.base+"/api/v1/appointments", token,
		map[string]string{"center_id": centre, "business": "visa_extension", "slot_start": slots.Slots[0].Start}, &appt, 201)

	b.open(t, d.base+"/verifier/")
	b.fill(t, map[string]string{"api_key": bankKey(t, d.demo)}, `form[action="/verifier/sign-in"] button`)
	d.signIn(t, b, "erik", d.demo.Password("erik"))

	pages := []struct{ name, path string }{
		{"home", "/"},
		{"centres", "/centres"},
		{"centres-search", "/centres?city=Beijing&open_now=1"},
		{"centre", "/centres/" + centre},
		{"guidelines", "/guidelines"},
		{"guideline", "/guidelines/visa_extension"},
		{"inquiry", "/inquiry"},
		{"enrol", "/enrol"},
		{"sign-in", "/sign-in"},
		{"me", "/me"},
		{"documents", "/documents"},
		{"document", "/documents/" + doc.ID},
		{"share", "/documents/" + doc.ID + "/share"},
		{"appointments", "/appointments"},
		{"book", "/appointments/new?business=visa_extension&centre=" + centre + "&date=" + date},
		{"reschedule", "/appointments/" + appt.ID + "/reschedule"},
		{"applications", "/applications"},
		{"notifications", "/notifications"},
		{"password", "/account/password"},
		{"helpers", "/helpers"},
		{"principals", "/principals"},
		{"verifier", "/verifier/"},
	}
	shots := os.Getenv("FPRLINK_SCREENSHOTS")
	for _, lang := range []string{"en", "zh-CN"} {
		if lang == "zh-CN" {
			b.open(t, d.base+"/")
			b.clickNav(t, `form[action="/language"] button`)
			b.waitAttr(t, "html", "lang", "zh-CN")
			b.waitText(t, "h1", "出入境网上服务")
		}
		for _, p := range pages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(d.base+p.path))
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status != 200 {
					t.Fatalf("status %d", resp.Status)
				}
				csp := ""
				for k, v := range resp.Headers {
					if strings.EqualFold(k, "Content-Security-Policy") {
						csp, _ = v.(string)
					}
				}
				if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("Content-Security-Policy %q", csp)
				}
				b.do(t, chromedp.WaitReady(chromedp.CSS("main")))
				b.waitAttr(t, "html", "lang", lang)
				if p.name == "verifier" {
					b.waitText(t, "#freshness", map[string]string{"en": "fetched", "zh-CN": "获取于"}[lang])
				}
				eval[any](t, b, axe+";0")
				if v := eval[[]string](t, b, axeJS); len(v) > 0 {
					t.Errorf("accessibility: %s", strings.Join(v, "; "))
				}
				if lang == "zh-CN" {
					if w := zhStrays(eval[string](t, b, zhTextJS)); len(w) > 0 {
						t.Errorf("English words on the Chinese page: %q", w)
					}
				}
				if shots != "" {
					png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
					if err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(shots, lang+"-"+p.name+".png"), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if t.Failed() {
					b.screenshot(t, "page")
				}
			})
		}
	}
}
