package api

// The helpers every test of this package shares: a server with harmless
// defaults, a fake Authenticator, sending requests, and checking what comes
// back. A capability's tests keep only their own fixtures (callers,
// services, seeded data) next to them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

type okPinger struct{ err error }

func (p okPinger) Ping(context.Context) error { return p.err }

// newTestServer builds the real router with the given deps filled in with
// harmless defaults.
func newTestServer(t testing.TB, d Deps) (*server, *gin.Engine) {
	t.Helper()
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Clock == nil {
		d.Clock = clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	}
	if d.DB == nil {
		d.DB = okPinger{}
	}
	s, err := newServer(d)
	if err != nil {
		t.Fatal(err)
	}
	return s, s.engine()
}

// fakeAuth is an Authenticator over fixed bearer tokens; any other token is
// the invalid_token problem.
type fakeAuth map[string]Principal

var _ Authenticator = fakeAuth{}

func (f fakeAuth) Authenticate(_ context.Context, token string) (Principal, error) {
	if p, ok := f[token]; ok {
		return p, nil
	}
	return Principal{}, apperr.Unauthenticated("invalid_token", i18n.T("Bad token.", "令牌无效。"))
}

// do sends a request through h. Extra headers come in name, value pairs;
// the name "RemoteAddr" sets the client's address instead.
func do(t testing.TB, h http.Handler, method, path string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "RemoteAddr" {
			req.RemoteAddr = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	var sent []byte
	if req.Body != nil {
		sent, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	orig := requestCopy(req, sent)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if msg := checkConformance(orig, rec); msg != "" {
		t.Errorf("response departs from api/openapi.yaml: %s", msg)
	}
	return rec
}

// send is do for an API call: a bearer token and a JSON body, each only
// when not empty. Extra headers are set after them and may override them.
func send(t testing.TB, h http.Handler, method, path, token, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
		hdr = append([]string{"Content-Type", "application/json"}, hdr...)
	}
	if token != "" {
		hdr = append([]string{"Authorization", "Bearer " + token}, hdr...)
	}
	return do(t, h, method, path, r, hdr...)
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
}

// decodeJSON decodes the body of w as a T.
func decodeJSON[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode body %q: %v", w.Body.String(), err)
	}
	return v
}

// wantJSON checks the status of w and decodes its body as a T.
func wantJSON[T any](t testing.TB, w *httptest.ResponseRecorder, status int) T {
	t.Helper()
	wantStatus(t, w, status)
	return decodeJSON[T](t, w)
}

// decodeProblem decodes an application/problem+json body and checks that
// it is consistent: its status is the response's and its type its code's.
func decodeProblem(t testing.TB, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, body %s", ct, rec.Body.String())
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body %q: %v", rec.Body.String(), err)
	}
	if p.Status != rec.Code || p.Type != ProblemTypeBase+p.Code || p.Code == "" {
		t.Fatalf("inconsistent problem %+v for status %d", p, rec.Code)
	}
	return p
}

// wantProblem checks that w is a consistent problem with the status, the
// code and the field at fault; field "" means the problem names no field.
func wantProblem(t testing.TB, w *httptest.ResponseRecorder, status int, code, field string) Problem {
	t.Helper()
	wantStatus(t, w, status)
	p := decodeProblem(t, w)
	if p.Code != code || p.Field != field {
		t.Fatalf("problem %s on %q, want %s on %q: %s", p.Code, p.Field, code, field, w.Body.String())
	}
	return p
}

// openAPIDoc loads the embedded OpenAPI document and fails the test unless
// it is valid.
func openAPIDoc(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := validOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// validOpenAPI loads and validates the document once for all tests; none
// of them changes it.
var validOpenAPI = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := LoadOpenAPI()
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is invalid: %w", err)
	}
	return doc, nil
})

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_][A-Za-z0-9_]*)`)

// openAPIPath turns gin's /x/:id into OpenAPI's /x/{id}.
func openAPIPath(p string) string { return ginParam.ReplaceAllString(p, "{$1}") }

// fillPath puts value into every path parameter of a gin route.
func fillPath(route, value string) string { return ginParam.ReplaceAllLiteralString(route, value) }
