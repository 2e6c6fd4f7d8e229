package api

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var assistNow = time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)

// onBehalfRequest is a concrete request on each route of the table.
func onBehalfRequest(key string) (method, path, body string) {
	method, route, _ := strings.Cut(key, " ")
	path = strings.ReplaceAll(route, ":number", "AP20261102123456785")
	path = fillPath(path, "0190a0b0-0000-7000-8000-000000000001")
	switch key {
	case "POST /api/v1/appointments":
		body = bookBody(slot0900)
	case "POST /api/v1/appointments/:id/reschedule":
		body = `{"slot_start":"2026-12-02T10:30:00+08:00"}`
	case "POST /api/v1/me/attestations":
		body = `{"purpose":"bank"}`
	case "POST /api/v1/inquiries":
		body = `{"application_number":"AP20261102123456785","passport_number":"P1","birth_date":"1990-01-01"}`
	}
	return method, path, body
}

// TestOnBehalfRouteTable holds the table to the registered routes: every
// entry is a route, and every resident route that reads or changes a
// person's records is in it.
func TestOnBehalfRouteTable(t *testing.T) {
	s, engine := newTestServer(t, Deps{})
	_ = s
	registered := map[string]bool{}
	for _, r := range engine.Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	for key := range onBehalfRoutes {
		if !registered[key] {
			t.Errorf("%s is in the on-behalf table but not a route", key)
		}
	}
	for key := range registered {
		_, route, _ := strings.Cut(key, " ")
		personal := strings.HasPrefix(route, "/api/v1/appointments") || strings.HasPrefix(route, "/api/v1/applications") ||
			strings.HasPrefix(route, "/api/v1/me/attestations") || route == "/api/v1/me/passport" || route == "/api/v1/me/fpr-card"
		if _, ok := onBehalfRoutes[key]; personal && !ok {
			t.Errorf("%s reads or changes a person's records but is not in the on-behalf table", key)
		}
	}
	wantScope := map[string]assistance.Scope{
		"GET /api/v1/appointments": assistance.AppointmentsRead, "POST /api/v1/appointments": assistance.AppointmentsWrite,
		"POST /api/v1/appointments/:id/cancel": assistance.AppointmentsWrite, "GET /api/v1/applications/:number": assistance.ApplicationsRead,
		"POST /api/v1/inquiries": assistance.ApplicationsRead, "GET /api/v1/me/passport": assistance.DocumentsRead,
		"POST /api/v1/me/attestations": assistance.EDocumentsIssue, "GET /api/v1/me/attestations/:id/document.pdf": assistance.EDocumentsIssue,
	}
	for key, scope := range wantScope {
		if got := onBehalfRoutes[key].scope; got != scope {
			t.Errorf("%s needs %s, want %s", key, got, scope)
		}
	}
	for key, r := range onBehalfRoutes {
		write := strings.HasPrefix(key, "POST ") && key != "POST /api/v1/inquiries"
		if strings.HasPrefix(string(r.scope), "appointments:") && write != (r.scope == assistance.AppointmentsWrite) {
			t.Errorf("%s: a change needs appointments:write and a read appointments:read, got %s", key, r.scope)
		}
	}
}

// TestOnBehalfMatrix runs every route of the table against every grant
// state: only an active grant with the route's scope lets the request
// through (here to the capability, which is off and answers 503 — the
// request got past the grant check); every other state is a 403 with its
// own code.
func TestOnBehalfMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(assistNow)
		w := newAssistWorld(t, db, clk)
		helper := w.account("hana", RoleResident, w.person("HELPER", calendar.Date{Year: 1980, Month: 1, Day: 1}))
		adult := calendar.Date{Year: 1950, Month: 5, Day: 5}
		principals := map[assistance.Scope]map[string]string{} // scope → state → person ID
		for _, scope := range assistance.Scopes {
			principals[scope] = map[string]string{}
			for _, state := range []string{"active", "pending", "ended", "expired", "wrong_scope"} {
				pid := w.person("PRINCIPAL", adult)
				p := w.account("p"+strings.ReplaceAll(string(scope), ":", "")+state, RoleResident, pid)
				scopes := []assistance.Scope{scope}
				st := state
				if state == "wrong_scope" {
					scopes, st = nil, "active"
					for _, other := range assistance.Scopes {
						if other != scope {
							scopes = append(scopes, other)
						}
					}
				}
				w.grant(p, helper, st, scopes...)
				principals[scope][state] = pid
			}
		}
		// another principal's grant: otto gave every scope to ivo, not to hana.
		other := w.account("otto", RoleResident, w.person("OTHER", adult))
		ivo := w.account("ivo", RoleResident, w.person("IVO", adult))
		w.grant(other, ivo, "active", assistance.Scopes...)
		unrelated := w.person("UNRELATED", adult)
		clk.Advance(2 * time.Hour) // past the expired grants' expiry

		_, engine := newTestServer(t, Deps{Clock: clk, DB: db, Auth: w.auth, Assistance: w.deps()})
		keys := make([]string, 0, len(onBehalfRoutes))
		for k := range onBehalfRoutes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			scope := onBehalfRoutes[key].scope
			method, path, body := onBehalfRequest(key)
			rows := []struct {
				name, person string
				status       int
				code         string
			}{
				{"active", principals[scope]["active"], http.StatusServiceUnavailable, ""},
				{"pending", principals[scope]["pending"], http.StatusForbidden, "assistance_grant_pending"},
				{"ended", principals[scope]["ended"], http.StatusForbidden, "assistance_grant_ended"},
				{"expired", principals[scope]["expired"], http.StatusForbidden, "assistance_grant_expired"},
				{"wrong_scope", principals[scope]["wrong_scope"], http.StatusForbidden, "assistance_scope_missing"},
				{"no_grant", unrelated, http.StatusForbidden, "assistance_no_grant"},
				{"no_such_person", "0190a0b0-0000-7000-8000-0000000000ff", http.StatusForbidden, "assistance_no_grant"},
				{"another_principal", other.PersonID, http.StatusForbidden, "assistance_no_grant"},
			}
			for _, row := range rows {
				t.Run(key+"/"+row.name, func(t *testing.T) {
					rec := send(t, engine, method, path, "hana", body, HeaderOnBehalfOf, row.person)
					if rec.Code != row.status {
						t.Fatalf("status %d, want %d: %s", rec.Code, row.status, rec.Body)
					}
					p := decodeProblem(t, rec)
					if row.code != "" && p.Code != row.code {
						t.Fatalf("code %s, want %s", p.Code, row.code)
					}
					if row.code == "" && !strings.HasSuffix(p.Code, "_unavailable") {
						t.Fatalf("allowed request answered %s", p.Code)
					}
				})
			}
		}
	})
}

// TestOnBehalfHeaderRefusedElsewhere: a route that cannot be used for
// someone refuses the header instead of quietly acting as the caller.
func TestOnBehalfHeaderRefusedElsewhere(t *testing.T) {
	_, engine := newTestServer(t, Deps{Auth: fakeAuth{"r": {AccountID: "a", Role: RoleResident, PersonID: "p"}}})
	for _, path := range []string{"/api/v1/me", "/api/v1/me/notifications", "/api/v1/me/helpers", "/api/v1/me/activity", "/api/v1/service-centers"} {
		wantProblem(t, send(t, engine, "GET", path, "r", "", HeaderOnBehalfOf, "0190a0b0-0000-7000-8000-000000000001"),
			http.StatusBadRequest, "on_behalf_not_supported", HeaderOnBehalfOf)
	}
}

// TestOnBehalfMalformedPersonID names the header.
func TestOnBehalfMalformedPersonID(t *testing.T) {
	_, engine := newTestServer(t, Deps{Auth: fakeAuth{"r": {AccountID: "a", Role: RoleResident, PersonID: "p"}},
		Assistance: Assistance{Gate: refuseAll{}}})
	wantProblem(t, send(t, engine, "GET", "/api/v1/me/passport", "r", "", HeaderOnBehalfOf, "not-a-person"),
		http.StatusBadRequest, "invalid_on_behalf_of", HeaderOnBehalfOf)
}

// TestOnBehalfWithoutAssistance: with no assistance service the header
// is refused with 503, never ignored.
func TestOnBehalfWithoutAssistance(t *testing.T) {
	_, engine := newTestServer(t, Deps{Auth: fakeAuth{"r": {AccountID: "a", Role: RoleResident, PersonID: "p"}}})
	wantProblem(t, send(t, engine, "GET", "/api/v1/me/passport", "r", "", HeaderOnBehalfOf, "0190a0b0-0000-7000-8000-000000000001"),
		http.StatusServiceUnavailable, "assistance_unavailable", "")
}

// TestOnBehalfInquiryNeedsSignIn: an inquiry for someone needs the
// helper signed in, while an anonymous inquiry stays open.
func TestOnBehalfInquiryNeedsSignIn(t *testing.T) {
	_, engine := newTestServer(t, Deps{Auth: fakeAuth{}})
	_, _, body := onBehalfRequest("POST /api/v1/inquiries")
	wantProblem(t, send(t, engine, "POST", "/api/v1/inquiries", "", body, HeaderOnBehalfOf, "0190a0b0-0000-7000-8000-000000000001"),
		http.StatusUnauthorized, "unauthenticated", "")
}

type refuseAll struct{}

func (refuseAll) Authorize(context.Context, string, string, assistance.Scope) (assistance.Grant, error) {
	return assistance.Grant{}, assistance.ErrNoGrant
}

func (refuseAll) RecordActivity(context.Context, assistance.Grant, assistance.Activity, *i18n.Text) error {
	return nil
}

func (refuseAll) RecordActivityTx(storage.Tx, assistance.Grant, assistance.Activity, *i18n.Text) error {
	return nil
}

// recordingDocuments is MyDocuments answering for whichever person it is
// asked about, and remembering who that was.
type recordingDocuments struct{ asked *[]string }

func (d recordingDocuments) Person(_ context.Context, id string) (registry.Person, error) {
	*d.asked = append(*d.asked, id)
	return registry.Person{ID: id}, nil
}

func (d recordingDocuments) CurrentPassport(_ context.Context, personID string) (registry.Passport, error) {
	*d.asked = append(*d.asked, personID)
	return registry.Passport{ID: "pp", PersonID: personID, Number: "X1", IssuingState: "SWE", Status: "valid",
		IssueDate: calendar.Date{Year: 2020, Month: 1, Day: 1}, ExpiryDate: calendar.Date{Year: 2030, Month: 1, Day: 1}}, nil
}

func (d recordingDocuments) CurrentFPRCard(_ context.Context, personID string) (registry.FPRCard, error) {
	*d.asked = append(*d.asked, personID)
	return registry.FPRCard{}, nil
}

// TestOnBehalfActsAsThePrincipal: past the grant, the handler reads the
// principal's records, not the helper's, and the principal's activity view
// names the helper.
func TestOnBehalfActsAsThePrincipal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(assistNow)
		w := newAssistWorld(t, db, clk)
		helper := w.account("hana", RoleResident, w.person("HELPER", calendar.Date{Year: 1980, Month: 1, Day: 1}))
		pia := w.account("pia", RoleResident, w.person("PRINCIPAL", calendar.Date{Year: 1940, Month: 1, Day: 1}))
		w.grant(pia, helper, "active", assistance.DocumentsRead)
		var asked []string
		_, engine := newTestServer(t, Deps{Clock: clk, DB: db, Auth: w.auth, Assistance: w.deps(),
			Registry: Registry{Mine: recordingDocuments{&asked}}})
		wantStatus(t, send(t, engine, "GET", "/api/v1/me/passport", "hana", "", HeaderOnBehalfOf, pia.PersonID), http.StatusOK)
		wantStatus(t, send(t, engine, "GET", "/api/v1/me/passport", "hana", ""), http.StatusOK)
		if len(asked) != 2 || asked[0] != pia.PersonID || asked[1] != helper.PersonID {
			t.Fatalf("persons read: %v, want the principal's then the helper's own", asked)
		}
		page := wantJSON[paging.Page[activityJSON]](t, send(t, engine, "GET", "/api/v1/me/activity", "pia", ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].HelperUsername != "hana" || page.Items[0].Action != "passport.view" ||
			!page.Items[0].Succeeded || page.Items[0].ActionLabel != "Looked at your passport details" {
			t.Fatalf("activity: %+v", page.Items)
		}
		if page := wantJSON[paging.Page[activityJSON]](t, send(t, engine, "GET", "/api/v1/me/activity", "hana", ""), http.StatusOK); len(page.Items) != 0 {
			t.Fatalf("the helper's own activity lists what they did for others: %+v", page.Items)
		}
	})
}
