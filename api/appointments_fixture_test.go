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

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/storage"
)

// apptAuth is a fake Authenticator: the bearer token names the caller.
type apptAuth map[string]Principal

func (a apptAuth) Authenticate(_ context.Context, tok string) (Principal, error) {
	if p, ok := a[tok]; ok {
		return p, nil
	}
	return Principal{}, apperr.Unauthenticated("invalid_token", i18n.T("Bad token.", "令牌无效。"))
}

var _ Authenticator = apptAuth(nil)

func testApptAuth() apptAuth {
	return apptAuth{
		"alice":   {AccountID: "acct-alice", Username: "alice", Role: RoleResident, PersonID: "person-alice"},
		"bob":     {AccountID: "acct-bob", Username: "bob", Role: RoleResident, PersonID: "person-bob"},
		"nobody":  {AccountID: "acct-nobody", Username: "nobody", Role: RoleResident},
		"officer": {AccountID: "acct-officer", Username: "officer", Role: RoleOfficer},
	}
}

// apptCenters is an in-memory directory with one centre, c1, open weekdays
// 09:00–12:00.
type apptCenters struct{}

func (apptCenters) Schedule(_ context.Context, id string) (appointments.CenterSchedule, error) {
	if id != "c1" {
		return appointments.CenterSchedule{}, appointments.ErrCenterNotFound
	}
	morning := []appointments.Period{{Start: "09:00", End: "12:00"}}
	return appointments.CenterSchedule{ID: "c1", Name: i18n.T("Exit-Entry Hall", "出入境接待大厅"),
		Address:    i18n.T("2 Andingmen East Street, Beijing", "北京市安定门东大街2号"),
		Businesses: []string{appointments.VisaExtension, appointments.ResidenceWork},
		Weekly: map[time.Weekday][]appointments.Period{time.Monday: morning, time.Tuesday: morning,
			time.Wednesday: morning, time.Thursday: morning, time.Friday: morning},
		Calendar: calendar.New(nil, nil)}, nil
}

// Monday 30 November 2026, 10:00 in Shanghai.
var apptNow = time.Date(2026, 11, 30, 10, 0, 0, 0, clock.Shanghai())

type apptHarness struct {
	t   *testing.T
	h   http.Handler
	svc *appointments.Service
	db  *storage.DB
	clk *clock.Fake
}

func newApptHarness(t *testing.T, db *storage.DB, clk *clock.Fake) *apptHarness {
	t.Helper()
	clk.Set(apptNow)
	svc, err := appointments.New(db, apptCenters{}, clk, appointments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clk, DB: db,
		Auth: testApptAuth(), Appointments: svc, Notifications: notifications.NewStore(db.Gorm)})
	if err != nil {
		t.Fatal(err)
	}
	h := &apptHarness{t: t, h: s.engine(), svc: svc, db: db, clk: clk}
	rec := h.do("PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer",
		`{"window":null,"groups":[{"name":"visa","businesses":["visa_extension"],"slot_minutes":30,"capacity":1},
		  {"name":"residence","businesses":["residence_work"],"slot_minutes":60,"capacity":2}]}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("slot config: %d %s", rec.Code, rec.Body)
	}
	return h
}

// do sends a request; extra headers come in name, value pairs.
func (h *apptHarness) do(method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewBufferString(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

func decodeAs[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}

func wantApptProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code, field string) Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	p := decodeAs[Problem](t, rec)
	if p.Code != code || (field != "" && p.Field != field) || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("problem %+v, want code %s field %s", p, code, field)
	}
	return p
}
