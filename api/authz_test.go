package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// publicRoutes are the only routes an anonymous caller may use. Every other
// route registered in routes.go — including routes added later — must
// refuse anonymous callers, and every /api/v1/admin/ route must refuse
// residents. Add a route here only when it is meant for the whole internet.
var publicRoutes = map[string]bool{
	"GET /healthz":               true,
	"GET /readyz":                true,
	"GET /metrics":               true,
	"GET /openapi.json":          true,
	"POST /api/v1/auth/register": true,
	// Sends a code to the contact on record, never to the caller; the
	// answer is the same whatever the details.
	"POST /api/v1/auth/enrolment-codes": true,
	// A Chinese helper asks for their code by resident identity number.
	"POST /api/v1/auth/helper-enrolment-codes": true,
	"POST /api/v1/auth/login":                  true,
	// Proven by username and current password, checked as a login is.
	"POST /api/v1/auth/password": true,
	// Anonymous status inquiry: proven by application number, passport
	// number and birth date, rate-limited per address.
	"POST /api/v1/inquiries": true,
	// The directory, guidelines and free slots are public information.
	"GET /api/v1/business-types":                         true,
	"GET /api/v1/service-centers":                        true,
	"GET /api/v1/service-centers/:id":                    true,
	"GET /api/v1/service-centers/:id/slots":              true,
	"GET /api/v1/calendar-days":                          true,
	"GET /api/v1/guidelines":                             true,
	"GET /api/v1/guidelines/:business":                   true,
	"GET /api/v1/guidelines/:business/versions":          true,
	"GET /api/v1/guidelines/:business/versions/:version": true,
	// Published keys and status lists serve offline verification by anyone
	// holding a document.
	"GET /.well-known/jwks.json":   true,
	"GET /api/v1/status-lists/:id": true,
	// The two above in one signed file, for verifiers with no network.
	"GET /api/v1/trust-bundle": true,
}

func TestAuthzEveryRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		doc := openAPIDoc(t)
		routes := e.engine.Routes()
		if len(routes) < 15 {
			t.Fatalf("only %d routes registered: is the registry wired?", len(routes))
		}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			t.Run(key, func(t *testing.T) {
				item := doc.Paths.Find(openAPIPath(rt.Path))
				if item == nil || item.GetOperation(rt.Method) == nil {
					t.Errorf("%s is not in openapi.yaml", key)
				}
				if publicRoutes[key] {
					return
				}
				path := fillPath(rt.Path, e.b.ID)
				for name, token := range map[string]string{"anonymous": "", "forged token": "bm90IGEgcmVhbCB0b2tlbiBhdCBhbGwgbm90IGF0IGFsbA"} {
					w := e.do(rt.Method, path, token, "{}")
					if w.Code != http.StatusUnauthorized {
						t.Errorf("%s: status %d, want 401", name, w.Code)
					}
				}
				if strings.HasPrefix(rt.Path, "/api/v1/admin/") {
					w := e.do(rt.Method, path, e.tokens["resident"], "{}")
					if w.Code != http.StatusForbidden {
						t.Errorf("resident: status %d, want 403", w.Code)
					}
				}
			})
		}
	})
}

// TestAuthzResidentSeesOnlyOwnData calls every non-admin GET route as
// resident A, pointing every path parameter and the On-Behalf-Of header at
// resident B, and checks that nothing of B comes back.
func TestAuthzResidentSeesOnlyOwnData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		for _, rt := range e.engine.Routes() {
			if rt.Method != http.MethodGet || strings.HasPrefix(rt.Path, "/api/v1/admin/") || publicRoutes[rt.Method+" "+rt.Path] {
				continue
			}
			t.Run(rt.Path, func(t *testing.T) {
				w := e.do(rt.Method, fillPath(rt.Path, e.b.ID), e.tokens["resident"], "", "On-Behalf-Of", e.b.ID)
				// A problem echoes the caller's own request path in
				// "instance"; that is not B's data.
				body := strings.ReplaceAll(w.Body.String(), fillPath(rt.Path, e.b.ID), "")
				for _, secret := range []string{e.b.ID, e.b.Surname, e.b.Passport, e.b.Card} {
					if strings.Contains(body, secret) {
						t.Errorf("status %d: body shows resident B's %q", w.Code, secret)
					}
				}
			})
		}
		// And the own data is there, so the check above is not vacuous.
		for path, want := range map[string]string{
			"/api/v1/me": e.a.ID, "/api/v1/me/passport": e.a.Passport, "/api/v1/me/fpr-card": e.a.Card,
		} {
			if w := e.do(http.MethodGet, path, e.tokens["resident"], ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), want) {
				t.Errorf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
	})
}

func TestAuthzAdminOnlyRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		body := `{"username":"newofficer","password":"` + regPassword + `"}`
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts", e.tokens["officer"], body), http.StatusForbidden, "forbidden", "")
		wantStatus(t, e.do(http.MethodPost, "/api/v1/admin/accounts", e.tokens["admin"], body), http.StatusCreated)
	})
}
