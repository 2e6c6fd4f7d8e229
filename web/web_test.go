package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/clock"
)

// fakeAPI stands in for the HTTP API: it records every call and answers
// a login, /me and the verify caller; everything else is 404.
type fakeAPI struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.Method + " " + r.URL.Path {
	case "POST /api/v1/auth/login":
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["password"] != "right password" {
			w.WriteHeader(http.StatusUnauthorized)
			msg := "Wrong username or password."
			if r.Header.Get("Accept-Language") == "zh-CN" {
				msg = "用户名或密码错误。"
			}
			_, _ = io.WriteString(w, `{"type":"x","title":"Unauthorized","status":401,"code":"invalid_credentials","detail":"`+msg+`"}`)
			return
		}
		_, _ = io.WriteString(w, `{"token":"tok-1","expires_at":"2030-01-01T00:00:00Z","role":"resident"}`)
	case "POST /api/v1/inquiries":
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Retry-After", "6")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"type":"x","title":"Too Many Requests","status":429,"code":"rate_limited","detail":"请稍后再试。"}`)
	case "GET /api/v1/me":
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"type":"x","title":"Unauthorized","status":401,"code":"unauthorized"}`)
			return
		}
		_, _ = io.WriteString(w, `{"username":"erik","role":"resident","person":{"surname":"ANDERSSON"}}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"type":"x","title":"Not Found","status":404,"code":"not_found","detail":"Nothing here."}`)
	}
}

func (f *fakeAPI) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func newTestSite(t *testing.T) (*gin.Engine, *fakeAPI) {
	t.Helper()
	api := &fakeAPI{}
	s, err := New(Options{Logger: slog.New(slog.DiscardHandler), Clock: clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)), API: api})
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	s.Register(r)
	return r, api
}

// visitor is a browser: it keeps cookies, and reads the form token of the
// last page it got.
type visitor struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]*http.Cookie
	csrf    string
}

func newVisitor(t *testing.T, h http.Handler) *visitor {
	return &visitor{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

func (v *visitor) do(req *http.Request) *httptest.ResponseRecorder {
	for _, c := range v.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	v.h.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(v.cookies, c.Name)
			continue
		}
		v.cookies[c.Name] = c
	}
	if i := strings.Index(rec.Body.String(), `name="csrf" value="`); i >= 0 {
		rest := rec.Body.String()[i+len(`name="csrf" value="`):]
		v.csrf = rest[:strings.Index(rest, `"`)]
	}
	return rec
}

func (v *visitor) get(path string) *httptest.ResponseRecorder {
	return v.do(httptest.NewRequest("GET", path, nil))
}

func (v *visitor) post(path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// TestFormWithoutCSRFTokenIsRefused: a form post without the token, with
// another visitor's token, or from another site is refused with 403, and
// the API is never called; with the right token it goes through.
func TestFormWithoutCSRFTokenIsRefused(t *testing.T) {
	h, api := newTestSite(t)
	other := newVisitor(t, h)
	other.get("/sign-in")
	for _, tt := range []struct {
		name   string
		token  func(v *visitor) string
		header map[string]string
	}{
		{"fail-no-token", func(*visitor) string { return "" }, nil},
		{"fail-garbage-token", func(*visitor) string { return "abc" }, nil},
		{"fail-another-visitors-token", func(*visitor) string { return other.csrf }, nil},
		{"fail-cross-site", func(v *visitor) string { return v.csrf }, map[string]string{"Sec-Fetch-Site": "cross-site"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newVisitor(t, h)
			v.get("/sign-in")
			before := len(api.called())
			form := url.Values{"username": {"erik"}, "password": {"right password"}}
			if tok := tt.token(v); tok != "" {
				form.Set("csrf", tok)
			}
			req := httptest.NewRequest("POST", "/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, val := range tt.header {
				req.Header.Set(k, val)
			}
			rec := v.do(req)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "This form has expired") {
				t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
			}
			if n := len(api.called()) - before; n != 0 {
				t.Fatalf("the API was called %d times", n)
			}
			if _, ok := v.cookies[cookieSession]; ok {
				t.Fatal("signed in without a token")
			}
		})
	}
	t.Run("with-token", func(t *testing.T) {
		v := newVisitor(t, h)
		v.get("/sign-in")
		rec := v.post("/sign-in", url.Values{"csrf": {v.csrf}, "username": {"erik"}, "password": {"right password"}, "next": {"/me"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/me" {
			t.Fatalf("status %d location %q", rec.Code, rec.Header().Get("Location"))
		}
		c := v.cookies[cookieSession]
		if c == nil || c.Value != "tok-1" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Fatalf("session cookie %+v", c)
		}
		if rec := v.get("/me"); rec.Code != http.StatusOK {
			t.Fatalf("/me: %d", rec.Code)
		}
	})
}

// TestEveryPageHasTheSecurityHeaders: every GET route the site registers
// answers with the Content-Security-Policy (no inline script) and the
// other headers, whatever it answers.
func TestEveryPageHasTheSecurityHeaders(t *testing.T) {
	h, _ := newTestSite(t)
	for _, rt := range h.Routes() {
		if rt.Method != "GET" {
			continue
		}
		path := strings.NewReplacer(":id", "x1", ":business", "visa_extension", "*file", "app.css").Replace(rt.Path)
		t.Run(rt.Path, func(t *testing.T) {
			rec := newVisitor(t, h).get(path)
			if rt.Path == "/verifier" {
				return // a redirect to /verifier/
			}
			csp := rec.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Fatalf("Content-Security-Policy %q", csp)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
				if got := rec.Header().Get(k); got != want {
					t.Errorf("%s: %q", k, got)
				}
			}
			if strings.Contains(rec.Body.String(), "<script>") || strings.Contains(rec.Body.String(), " onclick=") {
				t.Error("inline script")
			}
		})
	}
}

// TestSignedInPagesNeedASession: without a session, or with one the API
// no longer accepts, a resident page sends the visitor to sign in, with
// only the page's path to come back to.
func TestSignedInPagesNeedASession(t *testing.T) {
	h, _ := newTestSite(t)
	for name, cookie := range map[string]string{"fail-no-session": "", "fail-ended-session": "tok-old"} {
		t.Run(name, func(t *testing.T) {
			v := newVisitor(t, h)
			if cookie != "" {
				v.cookies[cookieSession] = &http.Cookie{Name: cookieSession, Value: cookie}
			}
			rec := v.get("/documents")
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in?next=%2Fdocuments" {
				t.Fatalf("status %d location %q", rec.Code, rec.Header().Get("Location"))
			}
			if _, ok := v.cookies[cookieSession]; ok {
				t.Fatal("the ended session's cookie was kept")
			}
		})
	}
}

// TestRefusalIsShownInThePagesLanguage: the API's problem is shown as its
// localized detail, in the language chosen with the switch (a cookie,
// never the URL).
func TestRefusalIsShownInThePagesLanguage(t *testing.T) {
	h, _ := newTestSite(t)
	v := newVisitor(t, h)
	v.get("/")
	rec := v.post("/language", url.Values{"csrf": {v.csrf}, "lang": {"zh-CN"}, "next": {"/sign-in"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in" {
		t.Fatalf("switch: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if c := v.cookies[cookieLang]; c == nil || c.Value != "zh-CN" || !c.HttpOnly {
		t.Fatalf("language cookie %+v", c)
	}
	v.get("/sign-in")
	rec = v.post("/sign-in", url.Values{"csrf": {v.csrf}, "username": {"erik"}, "password": {"wrong"}})
	body := rec.Body.String()
	if rec.Code != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误。") || !strings.Contains(body, `<html lang="zh-CN">`) {
		t.Fatalf("status %d: %.500s", rec.Code, body)
	}
}

// TestLocalPath: where a form sends the visitor next is a path of this
// site, never another host.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/documents": "/documents", "": "/", "https://evil.example/": "/", "//evil.example/": "/",
		"/\\evil.example": "/", "/a\r\nSet-Cookie: x": "/", "documents": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCodesAreMarkedUntranslatable: confirmation codes and document
// numbers in the API's sentences are marked, the rest escaped.
func TestCodesAreMarkedUntranslatable(t *testing.T) {
	got := string(codes(`确认码：SWYBA2AP <b>`))
	want := `确认码：<span translate="no">SWYBA2AP</span> &lt;b&gt;`
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestVerifierCallNeedsTokenAndKey: the page's call to the verify API is
// refused without the CSRF header, and without a relying party's key the
// API is not called at all.
func TestVerifierCallNeedsTokenAndKey(t *testing.T) {
	h, api := newTestSite(t)
	v := newVisitor(t, h)
	v.get("/verifier/")
	send := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/verifier/verify", strings.NewReader(`{"qr":"fprl:/00"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set(csrfHeader, token)
		}
		return v.do(req)
	}
	t.Run("fail-no-csrf-header", func(t *testing.T) {
		if rec := send(""); rec.Code != http.StatusForbidden {
			t.Fatalf("status %d", rec.Code)
		}
	})
	t.Run("fail-no-key", func(t *testing.T) {
		if rec := send(v.csrf); rec.Code != http.StatusUnauthorized {
			t.Fatalf("status %d", rec.Code)
		}
	})
	for _, c := range api.called() {
		if strings.Contains(c, "/api/v1/verify") && c != "GET /api/v1/verify/caller" {
			t.Fatalf("the verify API was called: %v", api.called())
		}
	}
}

// TestRateLimitIsShownAsTheAPIsMessage: the API's 429 reaches the visitor
// as the same status, its wait and its message, not as a failure of the
// page.
func TestRateLimitIsShownAsTheAPIsMessage(t *testing.T) {
	h, _ := newTestSite(t)
	v := newVisitor(t, h)
	v.get("/inquiry")
	rec := v.post("/inquiry", url.Values{"csrf": {v.csrf}, "application_number": {"AP1"}, "passport_number": {"E1"}, "birth_date": {"1980-01-01"}})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "6" ||
		!strings.Contains(rec.Body.String(), "请稍后再试。") || !strings.Contains(rec.Body.String(), "rate_limited") {
		t.Fatalf("status %d retry %q: %.400s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
	if !strings.Contains(rec.Body.String(), `value="AP1"`) {
		t.Fatal("the form lost what was typed")
	}
}

// TestOnBehalfOnlyWhereTheAPITakesIt: the pages send On-Behalf-Of only on
// the routes the API accepts it on, which refuses it anywhere else.
func TestOnBehalfOnlyWhereTheAPITakesIt(t *testing.T) {
	for p, want := range map[string]bool{
		"/api/v1/appointments": true, "/api/v1/appointments/x/cancel": true, "/api/v1/me/passport": true,
		"/api/v1/me/attestations?limit=50": true, "/api/v1/applications/AP1": true,
		"/api/v1/me": false, "/api/v1/me/notifications": false, "/api/v1/me/principals": false,
		"/api/v1/appointmentsX": false, "/api/v1/business-types": false,
	} {
		if got := onBehalfPath(p); got != want {
			t.Errorf("onBehalfPath(%q) = %v, want %v", p, got, want)
		}
	}
}
