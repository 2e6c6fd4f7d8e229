package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestGrantRoutes walks the grant routes as the principal, the helper and
// an officer, each answer checked against the OpenAPI document, and the
// ending taking effect on the helper's next request.
func TestGrantRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(assistNow)
		w := newAssistWorld(t, db, clk)
		w.account("hana", RoleResident, w.person("HELPER", calendar.Date{Year: 1980, Month: 1, Day: 1}))
		pia := w.account("pia", RoleResident, w.person("PRINCIPAL", calendar.Date{Year: 1940, Month: 1, Day: 1}))
		child := w.person("CHILD", calendar.Date{Year: 2015, Month: 4, Day: 1})
		w.auth["officer"] = Principal{AccountID: "acct-officer", Username: "officer", Role: RoleOfficer}
		_, engine := newTestServer(t, Deps{Clock: clk, DB: db, Auth: w.auth, Assistance: w.deps()})
		until := assistNow.Add(72 * time.Hour).Format(time.RFC3339)

		g := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/me/helpers", "pia",
			`{"username":"hana","scopes":["documents:read"],"expires_at":"`+until+`"}`), http.StatusCreated)
		if g.State != "pending" || g.Kind != "account" || g.HelperUsername != "hana" {
			t.Fatalf("invite: %+v", g)
		}
		wantProblem(t, send(t, engine, "POST", "/api/v1/me/helpers", "pia", `{"username":"hana","scopes":["everything"]}`),
			http.StatusUnprocessableEntity, "invalid_scopes", "scopes")
		wantProblem(t, send(t, engine, "POST", "/api/v1/me/helpers", "pia", `{"username":"hana","scopes":["documents:read"],"expires_at":"soon"}`),
			http.StatusUnprocessableEntity, "invalid_time", "expires_at")
		wantProblem(t, send(t, engine, "POST", "/api/v1/me/helpers", "pia", `{"scopes":["documents:read"]}`),
			http.StatusUnprocessableEntity, "required", "username")
		wantProblem(t, send(t, engine, "POST", "/api/v1/me/principals/"+g.ID+"/accept", "pia", ""), http.StatusNotFound, "grant_not_found", "")
		got := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/me/principals/"+g.ID+"/accept?lang=zh-CN", "hana", ""), http.StatusOK)
		if got.State != "active" || got.StateLabel != "有效" || got.PrincipalName != "PRINCIPAL, TEST" {
			t.Fatalf("accept: %+v", got)
		}
		page := wantJSON[paging.Page[grantJSON]](t, send(t, engine, "GET", "/api/v1/me/principals", "hana", ""), http.StatusOK)
		if len(page.Items) != 1 || page.Items[0].ID != g.ID {
			t.Fatalf("principals: %+v", page.Items)
		}
		wantStatus(t, send(t, engine, "DELETE", "/api/v1/me/helpers/"+g.ID, "pia", ""), http.StatusOK)
		wantProblem(t, send(t, engine, "GET", "/api/v1/me/passport", "hana", "", HeaderOnBehalfOf, pia.PersonID),
			http.StatusForbidden, "assistance_grant_ended", "")
		wantProblem(t, send(t, engine, "DELETE", "/api/v1/me/principals/"+g.ID, "hana", ""), http.StatusConflict, "grant_not_live", "")

		// An officer records a parent's grant for the child; it lapses on
		// her 18th birthday.
		rec := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/admin/assistance-grants", "officer",
			`{"person_id":"`+child+`","helper_username":"hana","relationship":"parent","evidence":"birth certificate","scopes":["appointments:read"]}`),
			http.StatusCreated)
		if rec.State != "active" || rec.LapsesOn != "2033-04-01" || rec.RelationshipLabel != "parent" {
			t.Fatalf("record: %+v", rec)
		}
		wantProblem(t, send(t, engine, "POST", "/api/v1/admin/assistance-grants", "officer",
			`{"person_id":"`+child+`","helper_username":"hana","scopes":["appointments:read"]}`),
			http.StatusUnprocessableEntity, "required", "relationship")
		wantProblem(t, send(t, engine, "POST", "/api/v1/admin/assistance-grants", "hana", `{}`), http.StatusForbidden, "forbidden", "")

		// A helper's request, refused with a reason in both languages.
		req := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/me/dependants/requests", "hana",
			`{"passport_number":"NOBODY","nationality":"swe","birth_date":"1941-02-09","relationship":"friend","evidence":"power of attorney","scopes":["appointments:write"]}`),
			http.StatusCreated)
		if req.State != "pending" || req.PrincipalPersonID != "" {
			t.Fatalf("request: %+v", req)
		}
		wantProblem(t, send(t, engine, "POST", "/api/v1/me/dependants/requests", "hana",
			`{"passport_number":"X","nationality":"SWE","birth_date":"9 Feb","relationship":"friend","evidence":"e","scopes":["appointments:write"]}`),
			http.StatusUnprocessableEntity, "invalid_date", "birth_date")
		pending := wantJSON[paging.Page[grantJSON]](t, send(t, engine, "GET", "/api/v1/admin/assistance-grants?state=pending", "officer", ""), http.StatusOK)
		if len(pending.Items) != 1 || pending.Items[0].ID != req.ID {
			t.Fatalf("pending: %+v", pending.Items)
		}
		wantProblem(t, send(t, engine, "POST", "/api/v1/admin/assistance-grants/"+req.ID+"/approve", "officer", ""),
			http.StatusConflict, "request_unmatched", "")
		wantProblem(t, send(t, engine, "POST", "/api/v1/admin/assistance-grants/"+req.ID+"/refuse", "officer", `{"reason":{"en":"No match."}}`),
			http.StatusUnprocessableEntity, "invalid_reason", "reason.zh-CN")
		ref := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/admin/assistance-grants/"+req.ID+"/refuse?lang=zh-CN", "officer",
			`{"reason":{"en":"The details match no registered person.","zh-CN":"所填信息与登记人员不符。"}}`), http.StatusOK)
		if ref.State != "refused" || ref.RefusalReason != "所填信息与登记人员不符。" {
			t.Fatalf("refuse: %+v", ref)
		}
		ended := wantJSON[grantJSON](t, send(t, engine, "POST", "/api/v1/admin/assistance-grants/"+rec.ID+"/end", "officer", ""), http.StatusOK)
		if ended.State != "ended" {
			t.Fatalf("end: %+v", ended)
		}
		wantProblem(t, send(t, engine, "GET", "/api/v1/admin/assistance-grants/nope", "officer", ""), http.StatusNotFound, "grant_not_found", "")
		wantProblem(t, send(t, engine, "GET", "/api/v1/admin/assistance-grants?state=lapsed", "officer", ""),
			http.StatusUnprocessableEntity, "invalid_state", "state")
	})
}
