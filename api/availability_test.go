package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestUnwiredAppointmentsAnswer401BeforeUnavailable: on a server built
// without the appointments service, an authenticated appointments route
// still asks an anonymous caller to sign in, refuses the wrong role, and
// only tells a signed-in caller of the right role that the service is off.
func TestUnwiredAppointmentsAnswer401BeforeUnavailable(t *testing.T) {
	_, h := newTestServer(t, Deps{Auth: testAccounts})
	for _, c := range []struct {
		name, method, path, token string
		status                    int
		code                      string
	}{
		{"anonymous", "GET", "/api/v1/appointments", "", 401, "unauthenticated"},
		{"forged token", "GET", "/api/v1/appointments", "not-a-token", 401, "invalid_token"},
		{"resident", "GET", "/api/v1/appointments", "tok-alice", 503, "appointments_unavailable"},
		{"anonymous books", "POST", "/api/v1/appointments", "", 401, "unauthenticated"},
		{"resident books", "POST", "/api/v1/appointments", "tok-alice", 503, "appointments_unavailable"},
		{"anonymous desk", "GET", "/api/v1/admin/service-centers/c1/appointments", "", 401, "unauthenticated"},
		{"resident at the desk", "GET", "/api/v1/admin/service-centers/c1/appointments", "tok-alice", 403, "forbidden"},
		{"officer at the desk", "GET", "/api/v1/admin/service-centers/c1/appointments", "tok-officer", 503, "appointments_unavailable"},
		{"public slots", "GET", "/api/v1/service-centers/c1/slots", "", 503, "appointments_unavailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, send(t, h, c.method, c.path, c.token, "{}"), c.status, c.code, "")
		})
	}
}

// alwaysOn are the routes that need no optional capability.
var alwaysOn = map[string]bool{
	"GET /healthz":               true,
	"GET /readyz":                true,
	"GET /metrics":               true,
	"GET /openapi.json":          true,
	"GET /api/v1/business-types": true,
}

// TestUnwiredServicesAnswer401Then503 walks every route of a server built
// with nothing but an Authenticator. Every authenticated route must answer
// an anonymous caller 401, and a caller of an admitted role 503; every
// public route but the always-on ones must answer 503; and every route that
// can answer 503 must document it.
func TestUnwiredServicesAnswer401Then503(t *testing.T) {
	_, h := newTestServer(t, Deps{Auth: testAccounts})
	doc := openAPIDoc(t)
	for _, rt := range h.Routes() {
		key := rt.Method + " " + rt.Path
		t.Run(key, func(t *testing.T) {
			if alwaysOn[key] {
				return
			}
			path := fillPath(rt.Path, "x1")
			// call returns the status and the problem: every answer here is one.
			call := func(token string) (int, Problem) {
				rec := send(t, h, rt.Method, path, token, "{}")
				return rec.Code, decodeProblem(t, rec)
			}
			status, p := http.StatusForbidden, Problem{}
			switch {
			case publicRoutes[key]:
				status, p = call("")
			case key == "POST /api/v1/verify" || key == "GET /api/v1/verify/caller":
				// An API-key route: without the API-key service no key can be
				// checked, so every caller is unauthenticated.
				for _, tok := range []string{"", "tok-admin"} {
					if got, _ := call(tok); got != http.StatusUnauthorized {
						t.Fatalf("token %q: status %d, want 401", tok, got)
					}
				}
				return
			default:
				if got, p := call(""); got != http.StatusUnauthorized {
					t.Fatalf("anonymous: status %d (%s), want 401", got, p.Code)
				}
				for _, tok := range []string{"tok-alice", "tok-officer", "tok-admin"} {
					if status, p = call(tok); status != http.StatusForbidden {
						break
					}
				}
			}
			if status != http.StatusServiceUnavailable || !strings.HasSuffix(p.Code, "_unavailable") {
				t.Fatalf("status %d code %q, want 503 and a *_unavailable code", status, p.Code)
			}
			item := doc.Paths.Find(openAPIPath(rt.Path))
			if item == nil || item.GetOperation(rt.Method) == nil {
				t.Fatal("not in openapi.yaml")
			}
			if item.GetOperation(rt.Method).Responses.Value(strconv.Itoa(http.StatusServiceUnavailable)) == nil {
				t.Error("openapi.yaml does not document its 503")
			}
		})
	}
}
