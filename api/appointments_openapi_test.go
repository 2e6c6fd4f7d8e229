package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/clock"
)

// TestAppointmentRoutesDocumented: every route of the appointment block is
// in openapi.yaml with its method, and the document is valid.
func TestAppointmentRoutesDocumented(t *testing.T) {
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml invalid: %v", err)
	}
	s, err := newServer(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Real{}, DB: nopPinger{}})
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	n := 0
	for _, r := range s.engine().Routes() {
		if !strings.Contains(r.Path, "appointments") && !strings.Contains(r.Path, "slot") && !strings.Contains(r.Path, "notifications") {
			continue
		}
		n++
		path := param.ReplaceAllString(r.Path, "{$1}")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is not documented", r.Method, path)
		}
	}
	if n != 12 {
		t.Fatalf("found %d appointment routes, want 12", n)
	}
}

// TestAppointmentsUnavailableWithoutService: a build without the service
// answers 503 problems instead of panicking.
func TestAppointmentsUnavailableWithoutService(t *testing.T) {
	s, err := newServer(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Real{}, DB: nopPinger{}})
	if err != nil {
		t.Fatal(err)
	}
	h := &apptHarness{t: t, h: s.engine()}
	rec := h.do("GET", "/api/v1/service-centers/c1/slots?business=visa_extension&date=2026-12-01", "", "")
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d", rec.Code)
	}
	var p Problem
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if p.Code != "appointments_unavailable" {
		t.Fatalf("problem %+v", p)
	}
}

type nopPinger struct{}

func (nopPinger) Ping(context.Context) error { return nil }
