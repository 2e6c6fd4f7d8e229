package api

import (
	"net/http"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestBrokenTextIsRefusedNamingTheParameter: a NUL or broken UTF-8 in a
// path, a query parameter, a cursor or a JSON text is refused with 400
// naming where it was, on every database; PostgreSQL refuses such text, so
// unchecked it answered 500.
func TestBrokenTextIsRefusedNamingTheParameter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		admin, officer := e.tokens["admin"], e.tokens["officer"]
		cases := []struct {
			name, method, path, token, body string
			code, field                     string
		}{
			{"fail-nul-in-filter", http.MethodGet, "/api/v1/admin/audit?entity=%00", admin, "", "invalid_characters", "entity"},
			{"fail-broken-utf8-in-filter", http.MethodGet, "/api/v1/admin/audit?actor_id=%ff", admin, "", "invalid_characters", "actor_id"},
			{"fail-nul-in-path", http.MethodGet, "/api/v1/admin/persons/%00", officer, "", "invalid_characters", "path"},
			{"fail-cursor-decoding-to-nul", http.MethodGet, "/api/v1/admin/audit?cursor=AA", admin, "", "invalid_cursor", "cursor"},
			{"fail-cursor-decoding-to-broken-utf8", http.MethodGet, "/api/v1/admin/audit?cursor=__4", admin, "", "invalid_cursor", "cursor"},
			{"fail-nul-in-json-text", http.MethodPost, "/api/v1/admin/persons", officer,
				`{"surname":"Oka\u0000for","given_names":"Chinedu","sex":"M","birth_date":"1950-06-01","nationality":"NGA"}`, "invalid_characters", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantProblem(t, e.do(c.method, c.path, c.token, c.body), http.StatusBadRequest, c.code, c.field)
			})
		}
		// An escaped backslash before "u0000" is ordinary text, not a NUL.
		w := e.do(http.MethodGet, "/api/v1/admin/persons?limit=5", officer, "")
		wantStatus(t, w, http.StatusOK)
	})
}

func TestHasEscapedNUL(t *testing.T) {
	for body, want := range map[string]bool{
		`{"a":"x\u0000y"}`:     true,
		`{"a":"\u0000"}`:       true,
		`{"a":"\\u0000"}`:      false, // a backslash, then the text u0000
		`{"a":"\\\u0000"}`:     true,  // a backslash, then a NUL
		`{"a":"\u00000"}`:      true,
		`{"a":"u0000 \u0001"}`: false,
	} {
		if got := hasEscapedNUL([]byte(body)); got != want {
			t.Errorf("%s: %v, want %v", body, got, want)
		}
	}
}
