package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/clock"
)

type okPinger struct{ err error }

func (p okPinger) Ping(context.Context) error { return p.err }

// newTestServer builds the real router with the given deps filled in with
// harmless defaults.
func newTestServer(t *testing.T, d Deps) (*server, *gin.Engine) {
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

func do(t *testing.T, h http.Handler, method, path string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, body %s", ct, rec.Body.String())
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v", err)
	}
	if p.Status != rec.Code || p.Type != ProblemTypeBase+p.Code || p.Code == "" {
		t.Fatalf("inconsistent problem %+v for status %d", p, rec.Code)
	}
	return p
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}
