package api

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestInquiry(t *testing.T) {
	eachAppServer(t, InquiryLimit{Every: time.Millisecond, Burst: 1000}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "residence_study")
		e.register("person-bob", "visa_extension")
		body := func(number, passport, birth string) string {
			return `{"application_number":"` + number + `","passport_number":"` + passport + `","birth_date":"` + birth + `"}`
		}
		w := e.do("POST", "/api/v1/inquiries", "", body(strings.ToLower(a.Number), " e12345678", "1990-04-01"))
		pub := decodeJSON[publicApplication](t, w)
		if w.Code != http.StatusOK || pub.Number != a.Number || pub.ProcessingWorkingDays != 15 ||
			pub.Deadline != a.Deadline || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("inquiry: %d %s", w.Code, w.Body)
		}

		// Refused before any lookup: the service never sees these.
		before := e.views.inquiries.Load()
		invalid := []struct {
			name, body, code, field string
		}{
			{"fail-wrong-check-character", body(wrongCheck(a.Number), "E12345678", "1990-04-01"), "application_number_check", "application_number"},
			{"fail-malformed-number", body("AP1", "E12345678", "1990-04-01"), "invalid_application_number", "application_number"},
			{"fail-missing-number", `{"passport_number":"E12345678","birth_date":"1990-04-01"}`, "invalid_application_number", "application_number"},
			{"fail-bad-passport", body(a.Number, "E-1", "1990-04-01"), "invalid_passport_number", "passport_number"},
			{"fail-bad-birth-date", body(a.Number, "E12345678", "1990-13-01"), "invalid_birth_date", "birth_date"},
		}
		for _, tt := range invalid {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.do("POST", "/api/v1/inquiries", "", tt.body), 422, tt.code, tt.field)
			})
		}
		malformed := []struct{ name, body, code, field string }{
			{"fail-unknown-field", `{"application_number":"x","name":"Alice"}`, "unknown_field", "name"},
			{"fail-not-json", `application_number=x`, "malformed_json", ""},
			{"fail-empty-body", ``, "empty_body", ""},
			{"fail-wrong-type", `{"application_number":19}`, "wrong_type", "application_number"},
		}
		for _, tt := range malformed {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.do("POST", "/api/v1/inquiries", "", tt.body), 400, tt.code, tt.field)
			})
		}
		if n := e.views.inquiries.Load(); n != before {
			t.Fatalf("%d invalid inquiries reached the service", n-before)
		}

		// Every mismatch is the same 404, byte for byte but for the
		// request ID.
		mismatches := map[string]string{
			"fail-unknown-number":        body("AP2026110200000000"+checkOf("2026110200000000"), "E12345678", "1990-04-01"),
			"fail-wrong-passport":        body(a.Number, "E12345679", "1990-04-01"),
			"fail-wrong-birth-date":      body(a.Number, "E12345678", "1990-04-02"),
			"fail-other-persons-details": body(a.Number, "P0000001", "1985-12-31"),
		}
		var first string
		for name, b := range mismatches {
			t.Run(name, func(t *testing.T) {
				w := e.do("POST", "/api/v1/inquiries", "", b, "X-Request-Id", "fixed-request-id")
				wantProblem(t, w, 404, "application_not_found", "")
				if first == "" {
					first = w.Body.String()
				} else if w.Body.String() != first {
					t.Fatalf("not uniform:\n%s\n%s", w.Body, first)
				}
			})
		}
	})
}

func TestInquiryRateLimit(t *testing.T) {
	eachAppServer(t, InquiryLimit{Every: 30 * time.Second, Burst: 2}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		ok := `{"application_number":"` + a.Number + `","passport_number":"E12345678","birth_date":"1990-04-01"}`
		from := func(addr, body string) int {
			return e.do("POST", "/api/v1/inquiries", "", body, "RemoteAddr", addr).Code
		}
		if from("198.51.100.7:1000", ok) != 200 || from("198.51.100.7:1001", `{"x":1}`) != 400 {
			t.Fatal("the burst is not available")
		}
		// The third inquiry, even a valid one, is refused: bad requests
		// count too, or guessing with malformed bodies would be free.
		w := e.do("POST", "/api/v1/inquiries", "", ok, "RemoteAddr", "198.51.100.7:1002")
		wantProblem(t, w, http.StatusTooManyRequests, "too_many_inquiries", "")
		if got := w.Header().Get("Retry-After"); got != "30" {
			t.Fatalf("Retry-After = %q, want 30", got)
		}
		if from("198.51.100.7:1003", ok) != 429 {
			t.Fatal("a refused request must not consume the wait")
		}
		if from("203.0.113.9:1000", ok) != 200 {
			t.Fatal("another address is limited too")
		}
		// X-Forwarded-For is written by the client and does not move it
		// to another bucket.
		w = e.do("POST", "/api/v1/inquiries", "", ok, "RemoteAddr", "198.51.100.7:1004", "X-Forwarded-For", "192.0.2.1")
		if w.Code != 429 {
			t.Fatalf("X-Forwarded-For escaped the limit: %d", w.Code)
		}
		// One IPv6 /64 is one client.
		if from("[2001:db8:1:2::1]:1", ok) != 200 || from("[2001:db8:1:2::2]:1", ok) != 200 || from("[2001:db8:1:2:ffff::3]:1", ok) != 429 {
			t.Fatal("an IPv6 /64 is not limited as one client")
		}
		e.clk.Advance(30 * time.Second)
		if from("198.51.100.7:1005", ok) != 200 {
			t.Fatal("the limit did not refill")
		}
	})
}

func TestAddressLimiterForgetsIdleAddresses(t *testing.T) {
	l := newAddressLimiter(InquiryLimit{Every: time.Second, Burst: 2})
	now := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	for i := range 100 {
		l.wait("10.0.0."+string(rune('0'+i%10))+string(rune('0'+i/10)), now)
	}
	if len(l.buckets) != 100 {
		t.Fatalf("%d buckets", len(l.buckets))
	}
	l.wait("10.1.1.1", now.Add(2*time.Minute))
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after the idle ones refilled, want 1", len(l.buckets))
	}
}

func TestAddressKey(t *testing.T) {
	tests := map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"::ffff:192.0.2.1":     "192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"not-an-ip":            "not-an-ip",
	}
	for in, want := range tests {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzAddressKey(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "::1", "2001:db8::1", "", "1.2.3.4.5", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := addressKey(s)
		if addressKey(s) != k {
			t.Fatal("not deterministic")
		}
	})
}

// TestInquiryRateLimitBehindTrustedProxy: behind a configured reverse
// proxy, each client named by its X-Forwarded-For has its own bucket; a
// connection from anywhere else is still keyed by its own address whatever
// X-Forwarded-For it writes.
func TestInquiryRateLimitBehindTrustedProxy(t *testing.T) {
	eachAppServer(t, InquiryLimit{Every: time.Minute, Burst: 1}, func(t *testing.T, e *appEnv) {
		body := `{"application_number":"X","passport_number":"E12345678","birth_date":"1990-04-01"}`
		from := func(remote, forwarded string) int {
			return e.do("POST", "/api/v1/inquiries", "", body, "RemoteAddr", remote, "X-Forwarded-For", forwarded).Code
		}
		if from("10.0.0.5:1000", "198.51.100.7") == 429 || from("10.0.0.5:1001", "203.0.113.9") == 429 {
			t.Fatal("two clients behind the proxy share one bucket")
		}
		if from("10.0.0.6:1000", "198.51.100.7") != 429 {
			t.Fatal("the same client through another proxy node escaped its limit")
		}
		if from("192.0.2.1:1000", "198.51.100.8") == 429 || from("192.0.2.1:1001", "198.51.100.9") != 429 {
			t.Fatal("X-Forwarded-For from an untrusted address moved it to another bucket")
		}
	}, func(d *Deps) { d.TrustedProxies = []string{"10.0.0.0/8"} })
}

func TestNewRefusesMalformedTrustedProxy(t *testing.T) {
	for _, p := range []string{"proxy.example", "10.0.0.0/33", ""} {
		if err := CheckTrustedProxies([]string{p}); err == nil {
			t.Fatalf("%q accepted", p)
		}
	}
	if err := CheckTrustedProxies([]string{"10.0.0.1", "2001:db8::/32"}); err != nil {
		t.Fatal(err)
	}
}
