package api

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid OpenAPI document: %v", err)
	}
}

// TestOpenAPICoversEveryRoute fails when a registered route is missing from
// the document, or the document describes a route that does not exist.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	doc := openAPIDoc(t)
	registered := map[string]bool{}
	for _, r := range h.Routes() {
		registered[r.Method+" "+openAPIPath(r.Path)] = true
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from api/openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("api/openapi.yaml documents routes that do not exist:\n  %s", strings.Join(extra, "\n  "))
	}
	if len(registered) < 4 {
		t.Fatalf("only %d routes registered", len(registered))
	}
}

func TestOpenAPIServedAsJSON(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	rec := do(t, h, "GET", "/openapi.json", nil)
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	var v struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.OpenAPI != "3.1.0" || v.Paths["/healthz"] == nil {
		t.Fatalf("served document wrong: %v %+v", err, v)
	}
}

// TestOpenAPIBodyRoutesDocumentTooLarge: every route that reads a body sits
// behind the body limit, so every operation with a request body must
// document the 413 it can answer.
func TestOpenAPIBodyRoutesDocumentTooLarge(t *testing.T) {
	doc := openAPIDoc(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody != nil && op.Responses.Status(413) == nil {
				t.Errorf("%s %s reads a body but does not document 413", strings.ToUpper(method), path)
			}
		}
	}
}

// TestOpenAPIEveryOperationDocumentsBadRequest: any request can be refused
// with 400 before it reaches its handler (broken text in the path or query,
// a bad cursor), so every operation documents it.
func TestOpenAPIEveryOperationDocumentsBadRequest(t *testing.T) {
	doc := openAPIDoc(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Status(400) == nil {
				t.Errorf("%s %s does not document 400", strings.ToUpper(method), path)
			}
		}
	}
}
