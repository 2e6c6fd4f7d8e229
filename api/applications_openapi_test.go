package api

import (
	"strconv"
	"strings"
	"testing"
)

// TestApplicationRoutesDocumented checks that every applications route the
// router registers is in openapi.yaml with the problems it can answer.
func TestApplicationRoutesDocumented(t *testing.T) {
	doc := openAPIDoc(t)
	_, h := newTestServer(t, Deps{})
	// Problems each route can produce beyond the ones every route has.
	wantProblems := map[string][]int{
		"GET /api/v1/applications":                        {400, 401, 403, 503},
		"GET /api/v1/applications/{number}":               {401, 403, 404, 422, 503},
		"POST /api/v1/inquiries":                          {400, 404, 413, 422, 429, 503},
		"GET /api/v1/admin/applications":                  {400, 401, 403, 422, 503},
		"POST /api/v1/admin/applications":                 {400, 401, 403, 413, 422, 503},
		"GET /api/v1/admin/applications/{number}":         {401, 403, 404, 422, 503},
		"POST /api/v1/admin/applications/{number}/events": {400, 401, 403, 404, 409, 413, 422, 503},
	}
	seen := 0
	for _, r := range h.Routes() {
		path := openAPIPath(r.Path)
		if !strings.Contains(path, "/applications") && !strings.HasSuffix(path, "/inquiries") {
			continue
		}
		seen++
		key := r.Method + " " + path
		want, ok := wantProblems[key]
		if !ok {
			t.Errorf("%s is registered but not listed in this test", key)
			continue
		}
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s is not documented", key)
			continue
		}
		op := item.GetOperation(r.Method)
		for _, status := range want {
			if op.Responses.Value(strconv.Itoa(status)) == nil {
				t.Errorf("%s does not document its %d problem", key, status)
			}
		}
	}
	if seen != len(wantProblems) {
		t.Fatalf("%d applications routes registered, want %d", seen, len(wantProblems))
	}
}
