package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// testAccounts are the callers of the applications tests.
var testAccounts = fakeAuth{
	"tok-alice":    {AccountID: "acc-alice", Username: "alice", Role: RoleResident, PersonID: "person-alice"},
	"tok-bob":      {AccountID: "acc-bob", Username: "bob", Role: RoleResident, PersonID: "person-bob"},
	"tok-noperson": {AccountID: "acc-new", Username: "new", Role: RoleResident},
	"tok-officer":  {AccountID: "acc-officer", Username: "officer", Role: RoleOfficer},
	"tok-admin":    {AccountID: "acc-admin", Username: "admin", Role: RoleAdmin},
}

// appRegistry is an in-memory registry of two people.
type appRegistry struct{}

func (appRegistry) Exists(_ context.Context, id string) (bool, error) {
	return id == "person-alice" || id == "person-bob", nil
}

func (appRegistry) MatchesPassport(_ context.Context, id, number, birth string) (bool, error) {
	return (id == "person-alice" && number == "E12345678" && birth == "1990-04-01") ||
		(id == "person-bob" && number == "P0000001" && birth == "1985-12-31"), nil
}

type appDirectory struct{}

func (appDirectory) HoldTx(_ storage.Tx, id string) error {
	if id != "centre-bj" && id != "centre-sh" {
		return applications.ErrCentreGone
	}
	return nil
}

func (appDirectory) Calendar(context.Context) (*calendar.Calendar, error) {
	return calendar.New(nil, nil), nil
}

// appCentres are the two centres of appDirectory.
var appCentres = map[string]applications.Centre{
	"centre-bj": {Name: i18n.T("Beijing Exit-Entry Hall", "北京出入境接待大厅"),
		Address: i18n.T("2 Andingmen East Street, Dongcheng, Beijing", "北京市东城区安定门东大街2号")},
	"centre-sh": {Name: i18n.T("Shanghai Exit-Entry Hall", "上海出入境接待大厅"),
		Address: i18n.T("1500 Minsheng Road, Pudong, Shanghai", "上海市浦东新区民生路1500号")},
}

func (appDirectory) Centre(_ context.Context, id string) (applications.Centre, bool, error) {
	c, ok := appCentres[id]
	return c, ok, nil
}

// appVisits holds bob's appointments: appt-7 kept for a work residence
// permit at centre-sh, appt-8 for the same at centre-bj, appt-9 cancelled,
// appt-10 booked at centre-sh and not yet kept.
type appVisits struct{}

func (appVisits) Visit(_ context.Context, personID, id string) (applications.Visit, bool, error) {
	if personID != "person-bob" {
		return applications.Visit{}, false, nil
	}
	switch id {
	case "appt-7":
		return applications.Visit{CentreID: "centre-sh", BusinessType: "residence_work", State: applications.VisitKept}, true, nil
	case "appt-8":
		return applications.Visit{CentreID: "centre-bj", BusinessType: "residence_work", State: applications.VisitKept}, true, nil
	case "appt-9":
		return applications.Visit{CentreID: "centre-sh", BusinessType: "residence_work", State: applications.VisitMissed}, true, nil
	case "appt-10":
		return applications.Visit{CentreID: "centre-sh", BusinessType: "residence_work", State: applications.VisitAhead}, true, nil
	}
	return applications.Visit{}, false, nil
}

// countingViews counts inquiries that reach the service.
type countingViews struct {
	ApplicationViews
	inquiries atomic.Int64
}

func (c *countingViews) Inquire(ctx context.Context, q applications.Inquiry) (applications.Public, error) {
	c.inquiries.Add(1)
	return c.ApplicationViews.Inquire(ctx, q)
}

type appEnv struct {
	t     *testing.T
	h     http.Handler
	clk   *clock.Fake
	views *countingViews
}

// mondayAt is 09:30 on Monday 2 November 2026 in Asia/Shanghai.
var mondayAt = time.Date(2026, 11, 2, 9, 30, 0, 0, clock.Shanghai())

// eachAppServer runs fn against the real router over a real applications
// service on each database dialect.
func eachAppServer(t *testing.T, limit InquiryLimit, fn func(t *testing.T, e *appEnv), more ...func(*Deps)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(mondayAt)
		svc, err := applications.New(db, clk, appRegistry{}, appDirectory{}, applications.StandardProcessingTimes{},
			applications.Options{Appointments: appVisits{}})
		if err != nil {
			t.Fatal(err)
		}
		views := &countingViews{ApplicationViews: svc}
		d := Deps{Clock: clk, DB: db,
			Auth: testAccounts, Applications: Applications{Views: views, Desk: svc, InquiryLimit: limit}}
		for _, m := range more {
			m(&d)
		}
		_, h := newTestServer(t, d)
		fn(t, &appEnv{t: t, h: h, clk: clk, views: views})
	}, dbtest.WithClock(clock.NewFake(mondayAt)))
}

// do sends a request with an optional bearer token and JSON body.
func (e *appEnv) do(method, path, token, body string, hdr ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return send(e.t, e.h, method, path, token, body, hdr...)
}

// register registers an application for person over HTTP.
func (e *appEnv) register(person, business string) officerApplication {
	e.t.Helper()
	w := e.do("POST", "/api/v1/admin/applications", "tok-officer",
		`{"person_id":"`+person+`","business_type":"`+business+`","center_id":"centre-bj"}`)
	return wantJSON[officerApplication](e.t, w, http.StatusCreated)
}

// event posts an event and returns the response.
func (e *appEnv) event(number, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	return e.do("POST", "/api/v1/admin/applications/"+number+"/events", "tok-officer", body)
}
