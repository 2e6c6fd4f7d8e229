package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestDirectoryRoutesDocumented checks that every directory and guideline
// route is in openapi.yaml with its method and path parameters, and that the
// document is valid OpenAPI.
func TestDirectoryRoutesDocumented(t *testing.T) {
	doc := openAPIDoc(t)
	_, h := newTestServer(t, Deps{})
	mine := regexp.MustCompile(`^/api/v1/(business-types|service-centers|calendar-days|guidelines|admin/(service-centers|calendar-days|guidelines))`)
	n := 0
	for _, r := range h.Routes() {
		if !mine.MatchString(r.Path) {
			continue
		}
		n++
		path := openAPIPath(r.Path)
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is not documented", r.Method, path)
			continue
		}
		op := item.GetOperation(r.Method)
		if op.Responses.Value("400") == nil && op.Responses.Value("404") == nil && r.Method == http.MethodGet && strings.Contains(path, "{") {
			t.Errorf("%s %s documents none of its problems", r.Method, path)
		}
	}
	if n < 18 {
		t.Fatalf("only %d directory routes registered", n)
	}
}
