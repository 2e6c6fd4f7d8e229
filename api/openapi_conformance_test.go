package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Every response an api test receives through do is checked against
// api/openapi.yaml: its status must be documented for the operation, and a
// JSON body must match the documented schema. So the document cannot drift
// from what the handlers answer.

var (
	conformanceOnce   sync.Once
	conformanceRouter routers.Router
	conformanceErr    error
)

func openAPIRouter() (routers.Router, error) {
	conformanceOnce.Do(func() {
		var doc *openapi3.T
		if doc, conformanceErr = LoadOpenAPI(); conformanceErr != nil {
			return
		}
		// Bodies that are not JSON are checked for status and content type
		// only.
		for _, ct := range []string{"application/statuslist+jwt", "application/fprl-bundle+jwt", "text/calendar"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		conformanceRouter, conformanceErr = legacy.NewRouter(doc)
	})
	return conformanceRouter, conformanceErr
}

// checkConformance reports how rec, the answer to req, departs from the
// document; an empty string means it conforms.
func checkConformance(req *http.Request, rec *httptest.ResponseRecorder) string {
	router, err := openAPIRouter()
	if err != nil {
		return "openapi: " + err.Error()
	}
	// Unrouted paths (404 from gin, 405) are not operations of the document.
	route, params, err := router.FindRoute(req)
	if err != nil {
		var unrouted *routers.RouteError
		if errors.As(err, &unrouted) {
			return ""
		}
		return "route: " + req.Method + " " + req.URL.Path + ": " + err.Error()
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  rec.Code,
		Header:  rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		msg := err.Error()
		if len(msg) > 600 {
			msg = msg[:600] + "…"
		}
		return req.Method + " " + route.Path + " → " + http.StatusText(rec.Code) + ": " + strings.ReplaceAll(msg, "\n", " | ")
	}
	return ""
}

// requestCopy keeps what validation needs of a request whose body the
// handler has consumed.
func requestCopy(req *http.Request, body []byte) *http.Request {
	c := req.Clone(context.Background())
	c.Body = io.NopCloser(bytes.NewReader(body))
	return c
}

// TestConformanceCheckCatchesUndocumentedAnswers keeps the check above from
// passing everything: an undocumented status and a body of the wrong shape
// are both reported, and the real answer is not.
func TestConformanceCheckCatchesUndocumentedAnswers(t *testing.T) {
	answer := func(code int, contentType, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", contentType)
		rec.WriteHeader(code)
		rec.WriteString(body)
		return rec
	}
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	if msg := checkConformance(req, answer(http.StatusTeapot, "application/problem+json", `{}`)); msg == "" {
		t.Error("an undocumented status passed")
	}
	if msg := checkConformance(req, answer(http.StatusOK, "application/json", `["ok"]`)); msg == "" {
		t.Error("a body of the wrong shape passed")
	}
	_, h := newTestServer(t, Deps{})
	real := httptest.NewRecorder()
	h.ServeHTTP(real, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if msg := checkConformance(req, real); msg != "" {
		t.Errorf("the real answer departs: %s", msg)
	}
}
