package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestResidentApplicationRoutes(t *testing.T) {
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		e.register("person-bob", "visa_extension")

		w := e.do("GET", "/api/v1/applications?limit=10", "tok-alice", "")
		page := decodeJSON[struct {
			Items      []applicationSummary `json:"items"`
			NextCursor string               `json:"next_cursor"`
		}](t, w)
		if w.Code != http.StatusOK || len(page.Items) != 1 || page.Items[0].Number != a.Number {
			t.Fatalf("own list: %d %s", w.Code, w.Body)
		}
		w = e.do("GET", "/api/v1/applications/"+a.Number+"?lang=zh-CN", "tok-alice", "")
		pub := decodeJSON[publicApplication](t, w)
		if w.Code != http.StatusOK || pub.Deadline != "2026-11-11" || pub.Overdue || len(pub.Timeline) != 1 ||
			pub.StatusLabel != "已提交" || pub.BusinessTypeName != "签证延期" {
			t.Fatalf("own application: %d %s", w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "person-alice") || strings.Contains(w.Body.String(), "acc-officer") {
			t.Fatalf("public view shows internal identifiers: %s", w.Body)
		}

		e.clk.Set(time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC))
		w = e.do("GET", "/api/v1/applications/"+a.Number, "tok-alice", "")
		pub = decodeJSON[publicApplication](t, w)
		if !pub.Overdue {
			t.Fatalf("not overdue the day after the deadline: %s", w.Body)
		}

		tests := []struct {
			name, path, token string
			status            int
			code, field       string
		}{
			{"fail-other-persons-application", "/api/v1/applications/" + a.Number, "tok-bob", 404, "application_not_found", ""},
			{"fail-account-without-person", "/api/v1/applications/" + a.Number, "tok-noperson", 404, "application_not_found", ""},
			{"fail-unknown-number", "/api/v1/applications/AP2026110200000000" + checkOf("2026110200000000"), "tok-alice", 404, "application_not_found", ""},
			{"fail-bad-check-character", "/api/v1/applications/" + wrongCheck(a.Number), "tok-alice", 422, "application_number_check", "number"},
			{"fail-malformed-number", "/api/v1/applications/AP123", "tok-alice", 422, "invalid_application_number", "number"},
			{"fail-no-token", "/api/v1/applications", "", 401, "unauthenticated", ""},
			{"fail-bad-token", "/api/v1/applications", "tok-forged", 401, "invalid_token", ""},
			{"fail-officer-on-resident-route", "/api/v1/applications", "tok-officer", 403, "forbidden", ""},
			{"fail-bad-limit", "/api/v1/applications?limit=0", "tok-alice", 400, "invalid_limit", "limit"},
			{"fail-bad-cursor", "/api/v1/applications?cursor=***", "tok-alice", 400, "invalid_cursor", "cursor"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.do("GET", tt.path, tt.token, ""), tt.status, tt.code, tt.field)
			})
		}
	})
}

// TestInternalNotesOnlyForOfficers writes an internal note and looks for
// it in every resident and inquiry response, and in the officer view.
func TestInternalNotesOnlyForOfficers(t *testing.T) {
	const secret = "INTERNAL: employer under investigation"
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		w := e.event(a.Number, `{"status":"accepted","public_note":{"en":"Documents complete.","zh-CN":"材料齐全。"},"internal_note":"`+secret+`"}`)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), secret) {
			t.Fatalf("event: %d %s", w.Code, w.Body)
		}
		inquiry := `{"application_number":"` + a.Number + `","passport_number":"E12345678","birth_date":"1990-04-01"}`
		resident := map[string]*httpResult{
			"own-list":   result(e.do("GET", "/api/v1/applications", "tok-alice", "")),
			"own":        result(e.do("GET", "/api/v1/applications/"+a.Number, "tok-alice", "")),
			"own-zh":     result(e.do("GET", "/api/v1/applications/"+a.Number+"?lang=zh-CN", "tok-alice", "")),
			"inquiry":    result(e.do("POST", "/api/v1/inquiries", "", inquiry)),
			"inquiry-zh": result(e.do("POST", "/api/v1/inquiries", "", inquiry, "Accept-Language", "zh-CN")),
		}
		for name, r := range resident {
			if r.code != http.StatusOK || strings.Contains(r.body, secret) || strings.Contains(r.body, "internal_note") {
				t.Fatalf("%s: %d %s", name, r.code, r.body)
			}
		}
		if !strings.Contains(resident["own"].body, "Documents complete.") || !strings.Contains(resident["inquiry-zh"].body, "材料齐全。") {
			t.Fatalf("public note missing: %s / %s", resident["own"].body, resident["inquiry-zh"].body)
		}
		w = e.do("GET", "/api/v1/admin/applications/"+a.Number, "tok-officer", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), secret) {
			t.Fatalf("officer view lacks the internal note: %d %s", w.Code, w.Body)
		}
	})
}

type httpResult struct {
	code int
	body string
}

func result(w *httptest.ResponseRecorder) *httpResult {
	return &httpResult{code: w.Code, body: w.Body.String()}
}

// checkOf completes 16 digits with their check character.
func checkOf(digits string) string {
	p := 0
	for _, c := range digits {
		p = ((p + int(c-'0')) * 2) % 11
	}
	return string("0123456789X"[(12-p)%11])
}

// wrongCheck replaces a number's check character with a wrong one.
func wrongCheck(n string) string {
	last := n[len(n)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return n[:len(n)-1] + string(repl)
}
