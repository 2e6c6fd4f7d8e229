package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/fprlink/fprlink/internal/demo"
)

// webDemo is a demo service on a loopback port with its logins.
type webDemo struct {
	base string
	demo demo.Result
	stop func()
}

// startWebDemo serves the demo data from a fresh directory. The pages are
// served from 127.0.0.1, which browsers treat as a secure context, so
// WebCrypto and the service worker work as under TLS.
func startWebDemo(t *testing.T) *webDemo {
	t.Helper()
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:" + freePort(t), "--demo"}, nil)
	var once sync.Once
	stopOnce := func() { once.Do(func() { stop() }) }
	t.Cleanup(stopOnce)
	return &webDemo{base: base, demo: readDemo(t, "data", demo.FileName), stop: stopOnce}
}

// login signs in through the API and returns the token.
func (d *webDemo) login(t *testing.T, username string) string {
	t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	call(t, "POST", d.base+"/api/v1/auth/login", "", map[string]string{"username": username, "password": d.demo.Password(username)}, &out, 200)
	return out.Token
}

func (d *webDemo) person(t *testing.T, label string) string {
	t.Helper()
	for _, p := range d.demo.Persons {
		if p.Label == label {
			return p.PersonID
		}
	}
	t.Fatalf("no demo person %q", label)
	return ""
}

// bookable finds a centre and the first day after today with a free slot
// for the business.
func (d *webDemo) bookable(t *testing.T, business string) (centre, date string) {
	t.Helper()
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	call(t, "GET", d.base+"/api/v1/service-centers?limit=100&business="+business, "", nil, &list, 200)
	for _, c := range list.Items {
		for day := 1; day <= 14; day++ {
			date := time.Now().In(shanghaiTZ).AddDate(0, 0, day).Format("2006-01-02")
			var slots struct {
				Slots []struct {
					Remaining int `json:"remaining"`
				} `json:"slots"`
			}
			call(t, "GET", d.base+"/api/v1/service-centers/"+c.ID+"/slots?business="+business+"&date="+date, "", nil, &slots, 200)
			for _, s := range slots.Slots {
				if s.Remaining > 0 {
					return c.ID, date
				}
			}
		}
	}
	t.Fatal("no free slot in the demo")
	return "", ""
}

var shanghaiTZ = time.FixedZone("CST", 8*3600)

// signIn signs the browser in with the form.
func (d *webDemo) signIn(t *testing.T, b *browser, username, password string) {
	t.Helper()
	b.open(t, d.base+"/sign-in")
	b.fill(t, map[string]string{"username": username, "password": password}, `form[action="/sign-in"] button`)
}

// TestWebResidentJourney: a resident opens an account with the code from
// the counter, signs in, books, changes and cancels an appointment, adds
// it to a calendar, issues an e-document, sees its QR, downloads its PDF,
// opens the share view, changes the password and signs out.
func TestWebResidentJourney(t *testing.T) {
	b := newBrowser(t)
	d := startWebDemo(t)
	// Asking for a code by the document data answers the same whether or
	// not they match; the code itself comes from the counter below.
	b.open(t, d.base+"/enrol")
	b.fill(t, map[string]string{"passport_number": "A09182736", "nationality": "NGA", "birth_date": "1941-02-09",
		"fpr_card_number": "NGA440141020966"}, `form[action="/enrol/code"] button`)
	b.waitText(t, ".notice", "If these details match")
	// An inquiry that matches nothing is refused with the API's message.
	b.open(t, d.base+"/inquiry")
	b.fill(t, map[string]string{"application_number": "AP20261102123456785", "passport_number": "A09182736", "birth_date": "1941-02-09"},
		`form[action="/inquiry"] button`)
	if b.text(t, ".problem") == "" {
		t.Fatal("no refusal shown for an unknown application")
	}
	officer := d.login(t, "demo-officer")
	var code struct {
		Code string `json:"code"`
	}
	call(t, "POST", d.base+"/api/v1/admin/persons/"+d.person(t, "elderly")+"/enrolment-code", officer, nil, &code, 201)

	b.open(t, d.base+"/enrol")
	const password = "a long web demo password"
	b.fill(t, map[string]string{"code": code.Code, "new_username": "chinedu", "new_password": password}, `form[action="/enrol"] button`)
	b.waitText(t, ".notice", "Your account is open")
	b.fill(t, map[string]string{"password": password}, `form[action="/sign-in"] button`)
	b.waitText(t, "main", "OKAFOR")
	b.waitText(t, "main", "NGA440141020966")

	centre, date := d.bookable(t, "visa_extension")
	b.open(t, d.base+"/appointments/new")
	b.fill(t, map[string]string{"business": "visa_extension"}, `form[action="/appointments/new"] button`)
	b.fill(t, map[string]string{"centre": centre}, `form[action="/appointments/new"] button`)
	b.fill(t, map[string]string{"date": date}, `form[action="/appointments/new"] button`)
	b.do(t, chromedp.Click(chromedp.CSS(`input[name="slot_start"]`)))
	b.fill(t, nil, `form[action="/appointments"] button`)
	b.waitText(t, ".notice", "Your appointment is booked")
	b.waitText(t, ".card", date)
	ics := eval[string](t, b, `fetch(document.querySelector('a[href$="calendar.ics"]').href).then(r => r.text())`)
	if !strings.Contains(ics, "BEGIN:VCALENDAR") {
		t.Fatalf("calendar file: %.200s", ics)
	}
	b.clickNav(t, `a[href$="/reschedule"]`)
	b.do(t, chromedp.Click(chromedp.CSS(`#slot-1`)))
	b.fill(t, nil, `form[action$="/reschedule"][method="post"] button`)
	b.waitText(t, ".card", "Booked")
	b.fill(t, nil, `form[action$="/cancel"] button`)
	b.waitText(t, ".card", "Cancelled")

	b.open(t, d.base+"/documents")
	b.fill(t, nil, `form[action="/documents"] button`)
	b.waitText(t, "main", "For use by banks")
	if w := eval[float64](t, b, `new Promise(r => { const i = document.querySelector('.qr img'); i.complete ? r(i.naturalWidth) : i.onload = () => r(i.naturalWidth) })`); w < 200 {
		t.Fatalf("QR image %v px wide", w)
	}
	pdf := eval[string](t, b, `fetch(document.querySelector('a[href$="document.pdf"]').href).then(r => r.headers.get('Content-Type') + ' ' + r.status)`)
	if pdf != "application/pdf 200" {
		t.Fatalf("PDF download: %s", pdf)
	}
	b.clickNav(t, `a[href$="/share"]`)
	share := b.text(t, ".share")
	for _, want := range []string{"仅供银行使用", "For use by banks", "有效期至", "Valid until"} {
		if !strings.Contains(share, want) {
			t.Errorf("share view lacks %q: %s", want, share)
		}
	}
	if w := eval[float64](t, b, `document.querySelector('.share img').getBoundingClientRect().width`); w < 300 {
		t.Errorf("share QR is %v px wide on a phone, want most of the screen", w)
	}

	b.open(t, d.base+"/account/password")
	b.fill(t, map[string]string{"current_password": password, "new_password": password + " 2", "new_password_again": password + " 2"}, `form[action="/account/password"] button`)
	b.waitText(t, ".notice", "Your password is changed")
	b.fill(t, nil, `form[action="/sign-out"] button`)
	b.waitText(t, "h1", "Signed out")
	b.open(t, d.base+"/me")
	b.waitText(t, "h1", "Sign in")
}

// requestCounter counts the page's requests whose URL contains a text.
type requestCounter struct{ verify atomic.Int64 }

func countRequests(t *testing.T, b *browser) *requestCounter {
	t.Helper()
	c := &requestCounter{}
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil &&
			(strings.Contains(e.Request.URL, "/verifier/verify") || strings.Contains(e.Request.URL, "/api/v1/verify")) {
			c.verify.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// tamper changes one character of the signature inside a QR text.
func tamper(t *testing.T, qr string) string {
	t.Helper()
	digits := strings.TrimPrefix(qr, "fprl:/")
	var jws []byte
	for i := 0; i+1 < len(digits); i += 2 {
		jws = append(jws, byte((digits[i]-'0')*10+(digits[i+1]-'0')+45))
	}
	i := len(jws) - 10
	if jws[i] == 'A' {
		jws[i] = 'B'
	} else {
		jws[i] = 'A'
	}
	var out strings.Builder
	out.WriteString("fprl:/")
	for _, c := range jws {
		fmt.Fprintf(&out, "%02d", int(c)-45)
	}
	return out.String()
}

// TestWebVerifierPage: a bank's counter signs in with its key; a QR read
// from an uploaded photo and a pasted QR text both verify in the page and
// online; a tampered QR and a document for another sector are refused in
// the page without any call to the verify API; with the server gone the
// page, served by its worker, still verifies from its saved keys and
// lists and says it could not confirm online.
func TestWebVerifierPage(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	d := startWebDemo(t)
	doc, token := issueAs(t, d.base, d.demo, "erik")
	var telecom demoDoc
	call(t, "POST", d.base+"/api/v1/me/attestations", token, map[string]string{"purpose": "telecom"}, &telecom, 201)
	png := filepath.Join(t.TempDir(), "qr.png")
	req, _ := http.NewRequest("GET", d.base+"/api/v1/me/attestations/"+doc.ID+"/qr.png", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := os.WriteFile(png, body, 0o600); err != nil {
		t.Fatal(err)
	}
	requests := countRequests(t, b)

	b.open(t, d.base+"/verifier/")
	b.fill(t, map[string]string{"api_key": bankKey(t, d.demo)}, `form[action="/verifier/sign-in"] button`)
	b.waitText(t, "main", "Demo Commercial Bank")
	if !eval[bool](t, b, `navigator.serviceWorker.ready.then(() => true)`) {
		t.Fatal("no service worker")
	}
	b.waitText(t, "#freshness", "Status lists fetched")

	t.Run("uploaded-photo", func(t *testing.T) {
		b.do(t, chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{png}))
		b.waitAttr(t, "#verdict", "data-state", "valid")
		if n := eval[float64](t, b, `document.querySelectorAll('#local-checks li.pass').length`); n != 8 {
			t.Fatalf("%v local checks passed, want all 8: %s", n, b.text(t, "#local-checks"))
		}
		if n := eval[float64](t, b, `document.querySelectorAll('#online-checks li.pass').length`); n < 9 {
			t.Fatalf("%v online checks passed: %s", n, b.text(t, "#online-checks"))
		}
		b.waitText(t, "#holder", "ANDERSSON")
		if dir := os.Getenv("FPRLINK_SCREENSHOTS"); dir != "" {
			b.do(t, chromedp.ScrollIntoView(chromedp.CSS("#result")))
			png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "en-verifier-result.png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("pasted-text", func(t *testing.T) {
		b.do(t, chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("#qrtext")))
		before := requests.verify.Load()
		b.do(t, chromedp.SetValue(chromedp.CSS("#qrtext"), doc.QRText), chromedp.Click(chromedp.CSS("#paste-form button")))
		b.waitAttr(t, "#verdict", "data-state", "valid")
		if requests.verify.Load() != before+1 {
			t.Fatalf("%d verify calls, want 1", requests.verify.Load()-before)
		}
	})
	t.Run("typed-number-and-code", func(t *testing.T) {
		var typed struct {
			DocumentNumber   string `json:"document_number"`
			VerificationCode string `json:"verification_code"`
		}
		call(t, "POST", d.base+"/api/v1/me/attestations", token, map[string]string{"purpose": "bank"}, &typed, 201)
		b.do(t, chromedp.SetValue(chromedp.CSS("#docnum"), typed.DocumentNumber),
			chromedp.SetValue(chromedp.CSS("#vcode"), strings.ToLower(typed.VerificationCode)),
			chromedp.Click(chromedp.CSS("#typed-form button")))
		b.waitAttr(t, "#verdict", "data-state", "valid")
		b.waitText(t, "#holder", "SE4821937")
		// The result as shown passes the accessibility check too.
		eval[any](t, b, axe+";0")
		if v := eval[[]string](t, b, axeJS); len(v) > 0 {
			t.Errorf("accessibility of the result: %s", strings.Join(v, "; "))
		}
	})
	t.Run("fail-tampered-without-server-call", func(t *testing.T) {
		before := requests.verify.Load()
		b.do(t, chromedp.SetValue(chromedp.CSS("#qrtext"), tamper(t, doc.QRText)), chromedp.Click(chromedp.CSS("#paste-form button")))
		b.waitAttr(t, "#verdict", "data-state", "invalid")
		b.waitAttr(t, `#local-checks li[data-code="signature"]`, "class", "fail")
		b.waitText(t, "#online-state", "Not sent")
		time.Sleep(500 * time.Millisecond)
		if n := requests.verify.Load() - before; n != 0 {
			t.Fatalf("%d verify calls for a tampered QR, want none", n)
		}
	})
	t.Run("fail-other-sector-without-server-call", func(t *testing.T) {
		before := requests.verify.Load()
		b.do(t, chromedp.SetValue(chromedp.CSS("#qrtext"), telecom.QRText), chromedp.Click(chromedp.CSS("#paste-form button")))
		b.waitAttr(t, "#verdict", "data-state", "invalid")
		b.waitAttr(t, `#local-checks li[data-code="audience"]`, "class", "fail")
		if n := requests.verify.Load() - before; n != 0 {
			t.Fatalf("%d verify calls, want none", n)
		}
	})
	t.Run("offline", func(t *testing.T) {
		d.stop()
		if _, err := http.Get(d.base + "/healthz"); err == nil {
			t.Fatal("the server still answers")
		}
		b.do(t, chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("#qrtext")))
		b.waitText(t, "#freshness", "Keys fetched")
		b.do(t, chromedp.SetValue(chromedp.CSS("#qrtext"), doc.QRText), chromedp.Click(chromedp.CSS("#paste-form button")))
		b.waitAttr(t, "#verdict", "data-state", "valid_offline")
		b.waitText(t, "#online-state", "No network")
		if n := eval[float64](t, b, `document.querySelectorAll('#local-checks li.pass').length`); n != 8 {
			t.Fatalf("%v local checks passed offline: %s", n, b.text(t, "#local-checks"))
		}
	})
}

// TestWebActForDependant: erik, whom an officer recorded as his daughter's
// parent, acts for her from the pages: her passport, an appointment
// booked in her name and shown among hers, not his; then he stops, and
// the pages are his own again.
func TestWebActForDependant(t *testing.T) {
	b := newBrowser(t)
	d := startWebDemo(t)
	d.signIn(t, b, "erik", d.demo.Password("erik"))
	b.open(t, d.base+"/principals")
	b.waitText(t, "main", "ANDERSSON, LINNEA")
	b.clickNav(t, `form[action="/acting-for"] button`)
	b.waitText(t, ".acting", "ANDERSSON, LINNEA")
	b.waitText(t, "main", "LINNEA")
	if main := b.text(t, "main"); strings.Contains(main, "SE4821937") || strings.Contains(main, "No passport is on record") {
		t.Fatalf("not the child's passport while acting for her: %s", main)
	}

	centre, date := d.bookable(t, "visa_extension")
	b.open(t, d.base+"/appointments/new?business=visa_extension&centre="+centre+"&date="+date)
	b.do(t, chromedp.Click(chromedp.CSS(`input[name="slot_start"]`)))
	b.fill(t, nil, `form[action="/appointments"] button`)
	b.waitText(t, ".notice", "Your appointment is booked")
	b.waitText(t, ".acting", "LINNEA")

	var own struct {
		Items []any `json:"items"`
	}
	call(t, "GET", d.base+"/api/v1/appointments", d.login(t, "erik"), nil, &own, 200)
	if len(own.Items) != 0 {
		t.Fatalf("the booking went to the father: %v", own.Items)
	}

	b.fill(t, nil, `form[action="/acting-for/stop"] button`)
	b.open(t, d.base+"/appointments")
	if n := eval[float64](t, b, `document.querySelectorAll('.acting').length`); n != 0 {
		t.Fatal("still acting after stopping")
	}
	if strings.Contains(b.text(t, "main"), "Booked") {
		t.Fatal("the child's appointment is shown as the father's")
	}
	b.open(t, d.base+"/me")
	b.waitText(t, "main", "SE4821937")
}
