package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// Each row is a query parameter the route does not declare; the answer
// names it and nothing is read.
func TestUnknownQueryParameterIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		rows := []struct{ name, path, param string }{
			{"guidelines-date-for-on", "/api/v1/guidelines?date=2026-01-01", "date"},
			{"guideline-date-for-on", "/api/v1/guidelines/visa_extension?date=2026-01-01", "date"},
			{"centres-misspelt-city", "/api/v1/service-centers?town=Shanghai", "town"},
			{"centre-detail", "/api/v1/service-centers/x?verbose=1", "verbose"},
			{"business-types", "/api/v1/business-types?category=visa", "category"},
			{"calendar-days", "/api/v1/calendar-days?month=5", "month"},
			{"healthz", "/healthz?probe=1", "probe"},
			{"first-of-several-sorted", "/api/v1/guidelines?zeta=1&alpha=2&limit=5", "alpha"},
			{"empty-name", "/api/v1/guidelines?=1", ""},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				w := e.do(t, "GET", r.path, "", "")
				p := wantProblem(t, w, http.StatusBadRequest, "unknown_query_parameter", r.param)
				if r.param != "" && !strings.Contains(p.Detail, r.param) {
					t.Errorf("detail %q does not name %s", p.Detail, r.param)
				}
			})
		}
		t.Run("zh-CN", func(t *testing.T) {
			w := e.do(t, "GET", "/api/v1/guidelines?date=2026-01-01&lang=zh-CN", "", "")
			p := wantProblem(t, w, http.StatusBadRequest, "unknown_query_parameter", "date")
			if !strings.Contains(p.Detail, "查询参数") {
				t.Errorf("detail %q is not Chinese", p.Detail)
			}
		})
	})
}

func TestDeclaredQueryParametersAreAccepted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		for _, path := range []string{
			"/api/v1/guidelines?on=2026-11-23&limit=5&lang=zh-CN",
			"/api/v1/guidelines/visa_extension?on=2026-11-23",
			"/api/v1/service-centers?city=Shanghai&limit=2&lang=en",
			"/api/v1/business-types?limit=3",
			"/healthz?lang=en",
		} {
			if w := e.do(t, "GET", path, "", ""); w.Code != http.StatusOK {
				t.Errorf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
	})
}

// Every registered route has its list, so a new route cannot slip past the
// check by being left out of the document.
func TestEveryRouteDeclaresItsQueryParameters(t *testing.T) {
	s, engine := newTestServer(t, Deps{})
	for _, r := range engine.Routes() {
		if _, ok := s.queries[r.Method+" "+r.Path]; !ok {
			t.Errorf("%s %s has no query parameter list in api/openapi.yaml", r.Method, r.Path)
		}
	}
}
