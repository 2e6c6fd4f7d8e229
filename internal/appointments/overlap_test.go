package appointments

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// withC2 configures the second centre like the first, visa business in
// 30-minute slots and residence permits in 60-minute ones, and gives both
// room enough that no slot fills up: the rule under test is the person's.
func (f *fixture) withC2(t testing.TB) {
	t.Helper()
	for _, id := range []string{"c1", "c2"} {
		var visa, residence []string
		for _, b := range f.centers[id].Businesses {
			switch b {
			case business.VisaExtension, business.VisaRenewal, business.VisaReissue:
				visa = append(visa, b)
			case business.ResidenceWork, business.ResidenceStudy:
				residence = append(residence, b)
			}
		}
		_, err := f.svc.SetSlotConfig(context.Background(), officer, id, SlotConfig{DefaultWindow: true, Groups: []SlotGroup{
			{Name: "visa", Businesses: visa, SlotMinutes: 30, Capacity: 50},
			{Name: "residence", Businesses: residence, SlotMinutes: 60, Capacity: 50},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) bookAt(person, center, business string, start time.Time) (Appointment, error) {
	a, _, err := f.svc.Book(context.Background(), BookRequest{PersonID: person, Business: business,
		CenterID: center, SlotStart: start, By: audit.Actor{ID: "acct-" + person, Role: "resident"}})
	return a, err
}

// seats counts the seats taken at every centre, straight from the table.
func (f *fixture) seats(t testing.TB) int {
	t.Helper()
	var n int64
	if err := f.db.Gorm.Raw("SELECT COALESCE(SUM(booked), 0) FROM slot_bookings").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// wantOverlap checks that err is the 409 naming the appointment in the
// way, in both languages.
func wantOverlap(t testing.TB, err error, with Appointment) {
	t.Helper()
	wantCode(t, err, "appointment_overlap")
	e, _ := apperr.As(err)
	if e.Kind != apperr.KindConflict || e.ConflictsWith != with.ID || e.Field != "slot_start" {
		t.Fatalf("overlap error %+v, want a conflict with %s", e, with.ID)
	}
	local := with.Start.In(clock.Shanghai()).Format("15:04")
	for _, msg := range []string{e.Message.En, e.Message.Zh} {
		if !strings.Contains(msg, with.ConfirmationCode) || !strings.Contains(msg, local) {
			t.Errorf("message does not name %s at %s: %q", with.ConfirmationCode, local, msg)
		}
	}
	if !strings.Contains(e.Message.En, with.CenterName.En) || !strings.Contains(e.Message.Zh, with.CenterName.Zh) {
		t.Errorf("message does not name the centre %v: %+v", with.CenterName, e.Message)
	}
}

// TestBookingCannotOverlap has one row per way a booking can meet the
// person's other appointments. The person holds, before each row, what the
// row's setup booked.
func TestBookingCannotOverlap(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.withC2(t)
		holding := func(b string, start time.Time) func(*testing.T, string) Appointment {
			return func(t *testing.T, p string) Appointment { return f.mustBook(t, p, b, start) }
		}
		tests := []struct {
			name     string
			setup    func(t *testing.T, person string) Appointment
			center   string
			business string
			start    time.Time
			overlaps bool
		}{
			{name: "fail-same-slot-other-business", center: "c1", business: business.VisaRenewal, start: at(1, 10, 0), overlaps: true,
				setup: holding(business.VisaExtension, at(1, 10, 0))},
			{name: "fail-same-time-other-centre", center: "c2", business: business.VisaRenewal, start: at(1, 10, 0), overlaps: true,
				setup: holding(business.VisaExtension, at(1, 10, 0))},
			{name: "fail-inside-a-longer-slot", center: "c2", business: business.VisaExtension, start: at(1, 10, 30), overlaps: true,
				setup: holding(business.ResidenceWork, at(1, 10, 0))},
			{name: "fail-longer-slot-over-a-short-one", center: "c2", business: business.ResidenceWork, start: at(1, 9, 0), overlaps: true,
				setup: holding(business.VisaExtension, at(1, 9, 30))},
			{name: "fail-overlaps-attended", center: "c2", business: business.VisaRenewal, start: at(1, 10, 0), overlaps: true,
				setup: func(t *testing.T, p string) Appointment {
					a := f.mustBook(t, p, business.VisaExtension, at(1, 10, 0))
					if err := db.Gorm.Model(&appointmentRow{}).Where("id = ?", a.ID).Update("status", string(Attended)).Error; err != nil {
						t.Fatal(err)
					}
					return a
				}},
			{name: "ok-back-to-back", center: "c2", business: business.ResidenceWork, start: at(1, 10, 0),
				setup: holding(business.VisaExtension, at(1, 9, 30))},
			{name: "ok-same-time-other-day", center: "c2", business: business.VisaRenewal, start: at(2, 10, 0),
				setup: holding(business.VisaExtension, at(1, 10, 0))},
			{name: "ok-cancelled-frees-the-time", center: "c2", business: business.VisaRenewal, start: at(1, 10, 0),
				setup: func(t *testing.T, p string) Appointment {
					a := f.mustBook(t, p, business.VisaExtension, at(1, 10, 0))
					if _, err := f.svc.Cancel(context.Background(), resident, p, a.ID); err != nil {
						t.Fatal(err)
					}
					return a
				}},
			{name: "ok-someone-else-at-that-time", center: "c2", business: business.VisaRenewal, start: at(1, 10, 0),
				setup: func(t *testing.T, p string) Appointment {
					return f.mustBook(t, p+"-neighbour", business.VisaExtension, at(1, 10, 0))
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				person := "p-" + tt.name
				held := tt.setup(t, person)
				seats := f.seats(t)
				a, err := f.bookAt(person, tt.center, tt.business, tt.start)
				if !tt.overlaps {
					if err != nil || a.Status != Booked || f.seats(t) != seats+1 {
						t.Fatalf("book: %+v %v", a, err)
					}
					return
				}
				wantOverlap(t, err, held)
				if f.seats(t) != seats {
					t.Fatalf("a refused booking took a seat: %d → %d", seats, f.seats(t))
				}
				var n int64
				db.Gorm.Model(&appointmentRow{}).Where("person_id = ?", person).Count(&n)
				if n != 1 {
					t.Fatalf("%s holds %d appointments, want 1", person, n)
				}
			})
		}
	}, dbtest.WithClock(clk))
}

// TestRescheduleCannotOverlap: a move onto a time the person has booked
// elsewhere is refused and changes nothing; the appointment being moved
// does not stand in its own way.
func TestRescheduleCannotOverlap(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.withC2(t)
		ctx := context.Background()
		t.Run("fail-onto-other-centre", func(t *testing.T) {
			beijing := f.mustBook(t, "p1", business.VisaExtension, at(1, 10, 0))
			shanghai, err := f.bookAt("p1", "c2", business.VisaRenewal, at(2, 10, 0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.svc.Reschedule(ctx, resident, "p1", shanghai.ID, at(1, 10, 0))
			wantOverlap(t, err, beijing)
			if got, _ := f.svc.Get(ctx, "p1", shanghai.ID); !got.Start.Equal(at(2, 10, 0)) || got.Sequence != 0 {
				t.Fatalf("the refused move changed the appointment: %+v", got)
			}
		})
		t.Run("fail-onto-same-centre-other-business", func(t *testing.T) {
			visa := f.mustBook(t, "p2", business.VisaExtension, at(1, 9, 0))
			work := f.mustBook(t, "p2", business.ResidenceWork, at(1, 10, 0))
			seats := f.seats(t)
			_, err := f.svc.Reschedule(ctx, resident, "p2", visa.ID, at(1, 10, 30))
			wantOverlap(t, err, work)
			if f.seats(t) != seats || f.booked(t, "visa", at(1, 9, 0)) == 0 {
				t.Fatal("the refused move changed the seats")
			}
		})
		t.Run("ok-next-to-own-other", func(t *testing.T) {
			visa := f.mustBook(t, "p3", business.VisaExtension, at(1, 9, 0))
			f.mustBook(t, "p3", business.ResidenceWork, at(1, 10, 0))
			if _, err := f.svc.Reschedule(ctx, resident, "p3", visa.ID, at(1, 9, 30)); err != nil {
				t.Fatal(err)
			}
		})
	}, dbtest.WithClock(clk))
}

// TestOverlapRaceAcrossCentres: one person books overlapping slots at two
// centres at the same moment, many times over; each time exactly one
// booking wins and the other is told appointment_overlap. Without the
// database holding the person back, both would often win on PostgreSQL.
func TestOverlapRaceAcrossCentres(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.withC2(t)
		rounds := 100
		if db.Dialect == storage.SQLite {
			rounds = 10
		}
		for r := range rounds {
			person := fmt.Sprintf("racer-%d", r)
			// Spread the rounds over a week's mornings so no slot fills.
			when := at(7+r%5, 9+r/5%3, 0)
			attempts := []struct {
				center, business string
				start            time.Time
			}{
				{"c1", business.VisaExtension, when},
				{"c2", business.ResidenceWork, when},
			}
			errs := make([]error, len(attempts))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, at := range attempts {
				wg.Go(func() {
					<-start
					_, errs[i] = f.bookAt(person, at.center, at.business, at.start)
				})
			}
			close(start)
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case apperr.Is(err, "appointment_overlap"):
				default:
					t.Fatalf("round %d: %v", r, err)
				}
			}
			var held int64
			db.Gorm.Model(&appointmentRow{}).Where("person_id = ? AND status = ?", person, string(Booked)).Count(&held)
			if won != 1 || held != 1 {
				t.Fatalf("round %d: %d bookings won, %d held; want exactly one", r, won, held)
			}
		}
		assertBooksBalance(t, db.Gorm)
	}, dbtest.WithClock(clk))
}
