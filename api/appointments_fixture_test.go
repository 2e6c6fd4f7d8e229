package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/storage"
)

// apptAccounts are the callers of the appointment tests: the bearer token
// names the caller.
var apptAccounts = fakeAuth{
	"alice":   {AccountID: "acct-alice", Username: "alice", Role: RoleResident, PersonID: "person-alice"},
	"bob":     {AccountID: "acct-bob", Username: "bob", Role: RoleResident, PersonID: "person-bob"},
	"nobody":  {AccountID: "acct-nobody", Username: "nobody", Role: RoleResident},
	"officer": {AccountID: "acct-officer", Username: "officer", Role: RoleOfficer},
}

// apptCenters is an in-memory directory with one centre, c1, open weekdays
// 09:00–12:00.
type apptCenters struct{}

func (apptCenters) HoldTx(_ storage.Tx, id string) error {
	if id != "c1" {
		return appointments.ErrCenterNotFound
	}
	return nil
}

func (c apptCenters) PeriodsTx(_ storage.Tx, id string, d calendar.Date) ([]appointments.Period, error) {
	sc, err := c.Schedule(context.Background(), id)
	if err != nil {
		return nil, err
	}
	wd, open := sc.Calendar.HoursOf(d)
	if !open {
		return nil, nil
	}
	return sc.Weekly[wd], nil
}

func (apptCenters) Schedule(_ context.Context, id string) (appointments.CenterSchedule, error) {
	if id != "c1" {
		return appointments.CenterSchedule{}, appointments.ErrCenterNotFound
	}
	morning := []appointments.Period{{Start: 9 * time.Hour, End: 12 * time.Hour}}
	return appointments.CenterSchedule{ID: "c1", Name: i18n.T("Exit-Entry Hall", "出入境接待大厅"),
		Address:    i18n.T("2 Andingmen East Street, Beijing", "北京市安定门东大街2号"),
		Businesses: []string{business.VisaExtension, business.ResidenceWork},
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
	svc, err := appointments.New(db, clk, apptCenters{}, appointments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, engine := newTestServer(t, Deps{Clock: clk, DB: db,
		Auth: apptAccounts, Appointments: Appointments{Finder: svc, Bookings: svc, Own: svc, Desk: svc,
			Notifications: notifications.NewStore(db)}})
	h := &apptHarness{t: t, h: engine, svc: svc, db: db, clk: clk}
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
	return send(h.t, h.h, method, path, token, body, headers...)
}
