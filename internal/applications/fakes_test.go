package applications

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// passport is one passport a fake registry person holds.
type passport struct{ number, birthDate string }

// fakeApplicants is an in-memory registry: person ID → passports.
type fakeApplicants map[string][]passport

var _ Applicants = fakeApplicants{}

func (f fakeApplicants) Exists(_ context.Context, id string) (bool, error) {
	_, ok := f[id]
	return ok, nil
}

func (f fakeApplicants) MatchesPassport(_ context.Context, id, number, birth string) (bool, error) {
	for _, p := range f[id] {
		if p.number == number && p.birthDate == birth {
			return true, nil
		}
	}
	return false, nil
}

// fakeDirectory knows a set of centres and one calendar.
type fakeDirectory struct {
	centres map[string]Centre
	cal     *calendar.Calendar
}

var _ Directory = fakeDirectory{}

func (f fakeDirectory) Calendar(context.Context) (*calendar.Calendar, error) { return f.cal, nil }

func (f fakeDirectory) HoldTx(_ storage.Tx, id string) error {
	if _, ok := f.centres[id]; !ok {
		return ErrCentreGone
	}
	return nil
}

func (f fakeDirectory) Centre(_ context.Context, id string) (Centre, bool, error) {
	c, ok := f.centres[id]
	return c, ok, nil
}

// testCentres are the fake directory's centres.
func testCentres() map[string]Centre {
	return map[string]Centre{
		centreBJ: {Name: i18n.T("Beijing Exit-Entry Hall", "北京出入境接待大厅"),
			Address: i18n.T("2 Andingmen East Street, Dongcheng, Beijing", "北京市东城区安定门东大街2号")},
		centreSH: {Name: i18n.T("Shanghai Exit-Entry Hall", "上海出入境接待大厅"),
			Address: i18n.T("1500 Minsheng Road, Pudong, Shanghai", "上海市浦东新区民生路1500号")},
	}
}

func date(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// nationalDay2026 is a State Council-style notice: 1–7 October off, Sunday
// 27 September and Saturday 10 October worked.
func nationalDay2026(t testing.TB) *calendar.Calendar {
	var hol []calendar.Date
	for d := 1; d <= 7; d++ {
		hol = append(hol, calendar.Date{Year: 2026, Month: time.October, Day: d})
	}
	return calendar.New(hol, []calendar.Date{date(t, "2026-09-27"), date(t, "2026-10-10")})
}

// shanghai builds an instant from Asia/Shanghai wall time.
func shanghai(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, clock.Shanghai())
}

// Test people and centres.
const (
	alice    = "person-alice"
	bob      = "person-bob"
	centreBJ = "centre-beijing"
	centreSH = "centre-shanghai"
	officer  = "account-officer-1"
)

func testApplicants() fakeApplicants {
	return fakeApplicants{
		alice: {{"E12345678", "1990-04-01"}, {"G87654321", "1990-04-01"}},
		bob:   {{"P0000001", "1985-12-31"}},
	}
}

type env struct {
	svc *Service
	db  *storage.DB
	clk *clock.Fake
	dir fakeDirectory // the service's directory; a test may change its centres
}

// newEnv builds a Service over db with the fake registry and directory.
func newEnv(t testing.TB, db *storage.DB, clk *clock.Fake) env {
	t.Helper()
	dir := fakeDirectory{centres: testCentres(), cal: nationalDay2026(t)}
	svc, err := New(db, clk, testApplicants(), dir, StandardProcessingTimes{}, Options{Appointments: fakeVisits{}})
	if err != nil {
		t.Fatal(err)
	}
	return env{svc: svc, db: db, clk: clk, dir: dir}
}

// fakeVisits holds bob's appointments for a work residence permit: appt-1
// kept at centreSH, appt-bj kept at centreBJ, appt-ahead still to come and
// appt-missed missed, both at centreSH.
type fakeVisits struct{}

func (fakeVisits) Visit(_ context.Context, personID, id string) (Visit, bool, error) {
	if personID != bob {
		return Visit{}, false, nil
	}
	v := Visit{CentreID: centreSH, BusinessType: "residence_work"}
	switch id {
	case "appt-1":
		v.State = VisitKept
	case "appt-bj":
		v.CentreID, v.State = centreBJ, VisitKept
	case "appt-ahead":
		v.State = VisitAhead
	case "appt-missed":
		v.State = VisitMissed
	default:
		return Visit{}, false, nil
	}
	return v, true, nil
}

var theOfficer = audit.Actor{ID: officer, Role: "officer", RequestID: "req-test-1"}

func (e env) register(t testing.TB, person, business, centre string) Record {
	t.Helper()
	rec, err := e.svc.Register(context.Background(), theOfficer,
		Registration{PersonID: person, BusinessType: business, CentreID: centre})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return rec
}

func (e env) move(t testing.TB, n Number, to Status) Record {
	t.Helper()
	rec, err := e.svc.AddEvent(context.Background(), theOfficer, n, Step{Status: to})
	if err != nil {
		t.Fatalf("move %s to %s: %v", n, to, err)
	}
	return rec
}

// count returns the number of rows of table.
func count(t testing.TB, db *storage.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
