package api

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestDirectoryRoutesDocumented checks that every directory and guideline
// route is in openapi.yaml with its method and path parameters, and that the
// document is valid OpenAPI.
func TestDirectoryRoutesDocumented(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	s, err := newServer(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.NewFake(dirMondayTen), DB: dbtest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	mine := regexp.MustCompile(`^/api/v1/(business-types|service-centers|calendar-days|guidelines|admin/(service-centers|calendar-days|guidelines))`)
	n := 0
	for _, r := range s.engine().Routes() {
		if !mine.MatchString(r.Path) {
			continue
		}
		n++
		path := param.ReplaceAllString(r.Path, "{$1}")
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
