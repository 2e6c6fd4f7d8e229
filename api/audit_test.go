package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestAdminAuditTrail: an admin finds an officer's registry change in the
// trail, with the record as it was written; officers and residents cannot
// read the trail, and bad filters are refused naming the parameter.
func TestAdminAuditTrail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		officer, err := e.acc.ByUsername(context.Background(), "officer1")
		if err != nil {
			t.Fatal(err)
		}
		w := e.do(http.MethodPost, "/api/v1/admin/persons", e.tokens["officer"],
			`{"surname":"Okafor","given_names":"Chinedu","sex":"M","birth_date":"1950-06-01","nationality":"NGA"}`, "X-Request-Id", "audit-test-req-1")
		wantStatus(t, w, http.StatusCreated)
		person := decodeJSON[personJSON](t, w)

		w = e.do(http.MethodGet, "/api/v1/admin/audit?entity=person&actor_id="+officer.ID, e.tokens["admin"], "")
		wantStatus(t, w, http.StatusOK)
		page := decodeJSON[struct{ Items []auditEventJSON }](t, w)
		if len(page.Items) != 1 {
			t.Fatalf("events: %s", w.Body)
		}
		ev := page.Items[0]
		var after struct{ Surname string }
		if ev.Action != "person.create" || ev.EntityID != person.ID || ev.ActorRole != "officer" ||
			string(ev.Before) != "null" || json.Unmarshal(ev.After, &after) != nil || after.Surname != "OKAFOR" {
			t.Fatalf("event: %+v (after %s)", ev, ev.After)
		}
		if ev.RequestID != "audit-test-req-1" {
			t.Fatalf("request ID %q, want the caller's", ev.RequestID)
		}

		for _, who := range []string{"officer", "resident"} {
			wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/audit", e.tokens[who], ""), http.StatusForbidden, "forbidden", "")
		}
		wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/audit?from=yesterday", e.tokens["admin"], ""),
			http.StatusBadRequest, "invalid_time", "from")
		wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/audit?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", e.tokens["admin"], ""),
			http.StatusUnprocessableEntity, "empty_window", "to")
		wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/audit?cursor=bm90LWFuLWlk", e.tokens["admin"], ""),
			http.StatusBadRequest, "invalid_cursor", "cursor")
	})
}

// TestAdminAuditActingFor: a change a helper made for a principal shows
// both, and the principal's trail is found by on_behalf_of; a change the
// same account made for itself names no principal.
func TestAdminAuditActingFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		at := e.clk.Now()
		helper := audit.Actor{ID: "acct-helper", Role: "resident", OnBehalfOf: e.a.ID, RequestID: "req-helper-1"}
		for i, en := range []audit.Entry{
			{Actor: helper, Action: "appointment.book", Entity: "appointment", EntityID: "appt-for-principal"},
			{Actor: audit.Actor{ID: "acct-helper", Role: "resident"}, Action: "appointment.book", Entity: "appointment", EntityID: "appt-own"},
		} {
			if err := audit.Write(db.Gorm, at.Add(time.Duration(i)*time.Second), en); err != nil {
				t.Fatal(err)
			}
		}

		w := e.do(http.MethodGet, "/api/v1/admin/audit?on_behalf_of="+e.a.ID, e.tokens["admin"], "")
		wantStatus(t, w, http.StatusOK)
		page := decodeJSON[struct{ Items []auditEventJSON }](t, w)
		if len(page.Items) != 1 {
			t.Fatalf("events for the principal: %s", w.Body)
		}
		if ev := page.Items[0]; ev.EntityID != "appt-for-principal" || ev.ActorID != "acct-helper" ||
			ev.OnBehalfOf != e.a.ID || ev.RequestID != "req-helper-1" {
			t.Fatalf("event: %+v", ev)
		}

		w = e.do(http.MethodGet, "/api/v1/admin/audit?actor_id=acct-helper", e.tokens["admin"], "")
		wantStatus(t, w, http.StatusOK)
		var raw struct{ Items []map[string]any }
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil || len(raw.Items) != 2 {
			t.Fatalf("events by the helper: %v %s", err, w.Body)
		}
		if _, named := raw.Items[0]["on_behalf_of"]; named || raw.Items[0]["entity_id"] != "appt-own" {
			t.Fatalf("own change: %v", raw.Items[0])
		}
		if raw.Items[1]["on_behalf_of"] != e.a.ID {
			t.Fatalf("change for the principal: %v", raw.Items[1])
		}

		wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/audit?on_behalf_of="+strings.Repeat("p", 201), e.tokens["admin"], ""),
			http.StatusBadRequest, "filter_too_long", "on_behalf_of")
	})
}
