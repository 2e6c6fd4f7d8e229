package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

func TestOfficerRegistersApplication(t *testing.T) {
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		w := e.do("POST", "/api/v1/admin/applications", "tok-admin",
			`{"person_id":"person-bob","business_type":"residence_work","center_id":"centre-sh",
			  "appointment_id":"appt-7","submitted_at":"2026-11-02T09:00:00+08:00"}`)
		rec := decodeJSON[officerApplication](t, w)
		if w.Code != http.StatusCreated || w.Header().Get("Location") != "/api/v1/admin/applications/"+rec.Number ||
			rec.Deadline != "2026-11-23" || rec.PersonID != "person-bob" || rec.RegisteredBy != "acc-admin" ||
			rec.AppointmentID != "appt-7" || len(rec.Timeline) != 1 || rec.Timeline[0].OfficerID != "acc-admin" {
			t.Fatalf("register: %d %s", w.Code, w.Body)
		}
		good := `"person_id":"person-bob","business_type":"residence_work","center_id":"centre-sh"`
		tests := []struct {
			name, token, body string
			status            int
			code, field       string
		}{
			{"fail-resident", "tok-alice", "{" + good + "}", 403, "forbidden", ""},
			{"fail-no-token", "", "{" + good + "}", 401, "unauthenticated", ""},
			{"fail-unknown-field", "tok-officer", "{" + good + `,"fee":400}`, 400, "unknown_field", "fee"},
			{"fail-centre-spelling", "tok-officer", `{"person_id":"person-bob","business_type":"residence_work","centre_id":"centre-sh"}`, 400, "unknown_field", "centre_id"},
			{"fail-missing-centre", "tok-officer", `{"person_id":"person-bob","business_type":"residence_work"}`, 422, "required", "center_id"},
			{"fail-missing-person", "tok-officer", `{"business_type":"visa_extension","center_id":"centre-sh"}`, 422, "required", "person_id"},
			{"fail-bad-submitted-at", "tok-officer", "{" + good + `,"submitted_at":"2026-11-02 09:00"}`, 422, "invalid_time", "submitted_at"},
			{"fail-future-submitted-at", "tok-officer", "{" + good + `,"submitted_at":"2026-11-03T09:00:00+08:00"}`, 422, "submitted_in_future", "submitted_at"},
			{"fail-unknown-business-type", "tok-officer", `{"person_id":"person-bob","business_type":"work_visa","center_id":"centre-sh"}`, 422, "unknown_business_type", "business_type"},
			{"fail-unknown-person", "tok-officer", `{"person_id":"person-eve","business_type":"visa_extension","center_id":"centre-sh"}`, 422, "unknown_person", "person_id"},
			{"fail-unknown-centre", "tok-officer", `{"person_id":"person-bob","business_type":"visa_extension","center_id":"centre-xx"}`, 422, "unknown_centre", "center_id"},
			{"fail-unknown-appointment", "tok-officer", "{" + good + `,"appointment_id":"appt-404"}`, 422, "unknown_appointment", "appointment_id"},
			{"fail-another-persons-appointment", "tok-officer", `{"person_id":"person-alice","business_type":"residence_work","center_id":"centre-sh","appointment_id":"appt-7"}`, 422, "unknown_appointment", "appointment_id"},
			{"fail-appointment-at-another-centre", "tok-officer", "{" + good + `,"appointment_id":"appt-8"}`, 422, "appointment_mismatch", "appointment_id"},
			{"fail-appointment-for-another-business", "tok-officer", `{"person_id":"person-bob","business_type":"visa_extension","center_id":"centre-sh","appointment_id":"appt-7"}`, 422, "appointment_mismatch", "appointment_id"},
			{"fail-cancelled-appointment", "tok-officer", "{" + good + `,"appointment_id":"appt-9"}`, 422, "appointment_not_kept", "appointment_id"},
			{"fail-appointment-not-yet-kept", "tok-officer", "{" + good + `,"appointment_id":"appt-10"}`, 422, "appointment_not_yet_kept", "appointment_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.do("POST", "/api/v1/admin/applications", tt.token, tt.body), tt.status, tt.code, tt.field)
			})
		}
		w = e.do("GET", "/api/v1/admin/applications", "tok-officer", "")
		if !strings.Contains(w.Body.String(), `"items":[{`) || strings.Count(w.Body.String(), `"number"`) != 1 {
			t.Fatalf("refused registrations left applications: %s", w.Body)
		}
	})
}

func TestOfficerEvents(t *testing.T) {
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		for _, s := range []string{"accepted", "under_review", "supplement_requested", "under_review", "rejected", "ready_for_collection", "collected"} {
			if w := e.event(a.Number, `{"status":"`+s+`"}`); w.Code != http.StatusCreated {
				t.Fatalf("%s: %d %s", s, w.Code, w.Body)
			}
		}
		b := e.register("person-bob", "visa_extension")
		tests := []struct {
			name, number, body string
			status             int
			code, field        string
		}{
			{"fail-transition-from-final", a.Number, `{"status":"under_review"}`, 409, "invalid_transition", ""},
			{"fail-transition-skips-steps", b.Number, `{"status":"approved"}`, 409, "invalid_transition", ""},
			{"fail-transition-to-same", b.Number, `{"status":"submitted"}`, 409, "invalid_transition", ""},
			{"fail-unknown-status", b.Number, `{"status":"done"}`, 422, "unknown_status", "status"},
			{"fail-note-without-chinese", b.Number, `{"status":"accepted","public_note":{"en":"ok"}}`, 422, "note_language_missing", "public_note.zh-CN"},
			{"fail-note-unknown-language", b.Number, `{"status":"accepted","public_note":{"en":"ok","zh-CN":"好","fr":"ok"}}`, 400, "unknown_field", "fr"},
			{"fail-bad-number", "AP1", `{"status":"accepted"}`, 422, "invalid_application_number", "number"},
			{"fail-unknown-application", "AP2026110200000000" + checkOf("2026110200000000"), `{"status":"accepted"}`, 404, "application_not_found", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.event(tt.number, tt.body), tt.status, tt.code, tt.field)
			})
		}
		w := e.do("POST", "/api/v1/admin/applications/"+b.Number+"/events", "tok-bob", `{"status":"accepted"}`)
		wantProblem(t, w, 403, "forbidden", "")
		w = e.do("GET", "/api/v1/admin/applications/"+b.Number, "tok-officer", "")
		rec := decodeJSON[officerApplication](t, w)
		if rec.Status != "submitted" || len(rec.Timeline) != 1 {
			t.Fatalf("refused events changed the application: %s", w.Body)
		}
	})
}

func TestOfficerSearch(t *testing.T) {
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		b := e.register("person-bob", "visa_extension")
		if w := e.event(b.Number, `{"status":"accepted"}`); w.Code != 201 {
			t.Fatal(w.Body)
		}
		e.clk.Advance(15 * 24 * time.Hour) // both past their deadline
		list := func(query string) []officerSummary {
			w := e.do("GET", "/api/v1/admin/applications"+query, "tok-officer", "")
			if w.Code != 200 {
				t.Fatalf("%s: %d %s", query, w.Code, w.Body)
			}
			page := decodeJSON[struct {
				Items      []officerSummary `json:"items"`
				NextCursor string           `json:"next_cursor"`
			}](t, w)
			return page.Items
		}
		if got := list("?status=accepted&center_id=centre-bj&overdue=true"); len(got) != 1 || got[0].Number != b.Number || !got[0].Overdue {
			t.Fatalf("filtered: %+v", got)
		}
		if got := list("?overdue=false"); len(got) != 0 {
			t.Fatalf("not overdue: %+v", got)
		}
		if got := list("?limit=1"); len(got) != 1 || got[0].Number != b.Number {
			t.Fatalf("first page: %+v", got)
		}
		if got := list("?center_id=centre-sh"); len(got) != 0 {
			t.Fatalf("other centre: %+v", got)
		}
		if got := list(""); len(got) != 2 || got[1].Number != a.Number || !got[1].Overdue {
			t.Fatalf("unfiltered: %+v", got)
		}
		bad := []struct{ name, query, code, field string }{
			{"fail-status", "?status=late", "unknown_status", "status"},
			{"fail-overdue", "?overdue=maybe", "invalid_boolean", "overdue"},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, e.do("GET", "/api/v1/admin/applications"+tt.query, "tok-officer", ""), 422, tt.code, tt.field)
			})
		}
		wantProblem(t, e.do("GET", "/api/v1/admin/applications?limit=101", "tok-officer", ""), 400, "invalid_limit", "limit")
		wantProblem(t, e.do("GET", "/api/v1/admin/applications", "tok-alice", ""), 403, "forbidden", "")
	})
}

func TestApplicationsUnconfigured(t *testing.T) {
	_, h := newTestServer(t, Deps{Clock: clock.NewFake(mondayAt), Auth: testAccounts})
	w := do(t, h, "POST", "/api/v1/inquiries", strings.NewReader(`{}`))
	wantProblem(t, w, http.StatusServiceUnavailable, "applications_unavailable", "")
}

// TestApplicationsNameTheCentreCenterID: applications answer and filter by
// center_id, as every other capability does; the British spelling is
// prose, never a field or parameter name.
func TestApplicationsNameTheCentreCenterID(t *testing.T) {
	eachAppServer(t, InquiryLimit{}, func(t *testing.T, e *appEnv) {
		a := e.register("person-alice", "visa_extension")
		for _, path := range []string{"/api/v1/admin/applications/" + a.Number, "/api/v1/admin/applications?center_id=centre-bj"} {
			w := e.do("GET", path, "tok-officer", "")
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"center_id":"centre-bj"`) || strings.Contains(w.Body.String(), `"centre_id"`) {
				t.Fatalf("%s: %d %s", path, w.Code, w.Body)
			}
		}
		wantProblem(t, e.do("GET", "/api/v1/admin/applications?centre_id=centre-bj", "tok-officer", ""), 400, "unknown_query_parameter", "centre_id")
	})
}
