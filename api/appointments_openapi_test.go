package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestAppointmentRoutesDocumented: every route of the appointment block is
// in openapi.yaml with its method, and the document is valid.
func TestAppointmentRoutesDocumented(t *testing.T) {
	doc := openAPIDoc(t)
	_, h := newTestServer(t, Deps{})
	n := 0
	for _, r := range h.Routes() {
		if !strings.Contains(r.Path, "appointments") && !strings.Contains(r.Path, "slot") && !strings.Contains(r.Path, "notifications") {
			continue
		}
		n++
		path := openAPIPath(r.Path)
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
	_, h := newTestServer(t, Deps{})
	rec := do(t, h, "GET", "/api/v1/service-centers/c1/slots?business=visa_extension&date=2026-12-01", nil)
	wantProblem(t, rec, http.StatusServiceUnavailable, "appointments_unavailable", "")
}
