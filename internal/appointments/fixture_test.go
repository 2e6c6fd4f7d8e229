package appointments

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// fakeCenters is an in-memory directory.
type fakeCenters map[string]CenterSchedule

func (f fakeCenters) Schedule(_ context.Context, id string) (CenterSchedule, error) {
	sc, ok := f[id]
	if !ok {
		return sc, ErrCenterNotFound
	}
	return sc, nil
}

func (f fakeCenters) HoldTx(_ storage.Tx, id string) error {
	if _, ok := f[id]; !ok {
		return ErrCenterNotFound
	}
	return nil
}

func (f fakeCenters) PeriodsTx(_ storage.Tx, id string, d calendar.Date) ([]Period, error) {
	sc, ok := f[id]
	if !ok {
		return nil, ErrCenterNotFound
	}
	return sc.periodsOn(d), nil
}

var _ Centers = fakeCenters(nil)

// The test world: Monday 30 November 2026, 10:00 in Shanghai. The default
// window runs from Tuesday 1 to Monday 14 December. 3 December is a closure
// of c1, 4 December a (pretend) public holiday, Sunday 6 December a make-up
// working day; c1 also opens Saturday mornings.
var (
	testNow    = time.Date(2026, 11, 30, 10, 0, 0, 0, clock.Shanghai())
	closureDay = calendar.Date{Year: 2026, Month: 12, Day: 3}
	holiday    = calendar.Date{Year: 2026, Month: 12, Day: 4}
	makeupDay  = calendar.Date{Year: 2026, Month: 12, Day: 6}
)

func weekday(p ...Period) []Period { return p }

func testCenters() fakeCenters {
	day := weekday(Period{9 * time.Hour, 12 * time.Hour}, Period{13*time.Hour + 30*time.Minute, 17 * time.Hour})
	return fakeCenters{
		"c1": {
			ID: "c1", Name: i18n.T("Exit-Entry Hall, Chaoyang", "朝阳出入境接待大厅"),
			Address:    i18n.T("2 Andingmen East Street, Dongcheng, Beijing", "北京市东城区安定门东大街2号"),
			Businesses: []string{business.VisaExtension, business.VisaRenewal, business.VisaReissue, business.ResidenceWork, business.ResidenceStudy, business.FPRApplication},
			Weekly: map[time.Weekday][]Period{
				time.Monday: day, time.Tuesday: day, time.Wednesday: day, time.Thursday: day, time.Friday: day,
				time.Saturday: weekday(Period{9 * time.Hour, 12 * time.Hour}),
			},
			Closures: []calendar.Date{closureDay},
			Calendar: calendar.New([]calendar.Date{holiday}, []calendar.Date{makeupDay}),
		},
		// c2 is another city's hall, for the rules that span centres; its
		// slots are configured only by the tests that use it (withC2).
		"c2": {
			ID: "c2", Name: i18n.T("Exit-Entry Hall, Pudong", "浦东出入境接待大厅"),
			Address:    i18n.T("1500 Minsheng Road, Pudong, Shanghai", "上海市浦东新区民生路1500号"),
			Businesses: []string{business.VisaExtension, business.VisaRenewal, business.ResidenceWork},
			Weekly: map[time.Weekday][]Period{
				time.Monday: day, time.Tuesday: day, time.Wednesday: day, time.Thursday: day, time.Friday: day,
			},
			Calendar: calendar.New([]calendar.Date{holiday}, []calendar.Date{makeupDay}),
		},
	}
}

// at is a Shanghai wall-clock time on a December 2026 day.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 12, day, hour, minute, 0, 0, clock.Shanghai())
}

type fixture struct {
	svc     *Service
	db      *storage.DB
	clk     *clock.Fake
	centers fakeCenters // the service's directory; a test may change it
}

var officer = audit.Actor{ID: "officer-1", Role: "officer", RequestID: "req-test"}

// newFixture configures c1: visa business in 30-minute slots of 2 seats,
// residence permits in 60-minute slots of 1 seat; FPR applications are
// handled by the centre but have no slots configured.
func newFixture(t testing.TB, db *storage.DB, clk *clock.Fake) *fixture {
	t.Helper()
	clk.Set(testNow) // subtests share the clock; each starts on the same day
	centers := testCenters()
	svc, err := New(db, clk, centers, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.SetSlotConfig(context.Background(), officer, "c1", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{
		{Name: "visa", Businesses: []string{business.VisaExtension, business.VisaRenewal, business.VisaReissue}, SlotMinutes: 30, Capacity: 2},
		{Name: "residence", Businesses: []string{business.ResidenceWork, business.ResidenceStudy}, SlotMinutes: 60, Capacity: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, db: db, clk: clk, centers: centers}
}

func (f *fixture) book(person, business string, start time.Time) (Appointment, error) {
	a, _, err := f.svc.Book(context.Background(), BookRequest{PersonID: person, Business: business,
		CenterID: "c1", SlotStart: start, By: audit.Actor{ID: "acct-" + person, Role: "resident"}})
	return a, err
}

func (f *fixture) mustBook(t testing.TB, person, business string, start time.Time) Appointment {
	t.Helper()
	a, err := f.book(person, business, start)
	if err != nil {
		t.Fatalf("book %s %s %s: %v", person, business, start, err)
	}
	return a
}

// booked reads a slot counter straight from the table.
func (f *fixture) booked(t testing.TB, group string, start time.Time) int {
	t.Helper()
	var c counterRow
	err := f.db.Gorm.Where("center_id = ? AND business_group = ? AND slot_start = ?", "c1", group, start.UTC()).Take(&c).Error
	if err != nil {
		return 0
	}
	return c.Booked
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func dateOf(t time.Time) calendar.Date { return calendar.LocalDate(t) }
