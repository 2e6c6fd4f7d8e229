package appointments

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestRowsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		err := storage.CheckModels(db, &appointmentRow{}, &groupRow{}, &groupBusinessRow{},
			&windowRow{}, &counterRow{}, &personRow{}, &idempotencyRow{})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestBookRules has one row per booking rule. Each row books as its own
// person so rows do not disturb each other; setup books what the rule needs.
func TestBookRules(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		tests := []struct {
			name     string
			setup    func(t *testing.T, person string)
			business string
			center   string
			start    time.Time
			code     string
		}{
			{name: "ok", business: business.VisaExtension, start: at(1, 9, 0)},
			{name: "ok-saturday-hours", business: business.VisaExtension, start: at(5, 9, 30)},
			{name: "ok-makeup-sunday", business: business.VisaExtension, start: at(6, 14, 0)},
			{name: "ok-afternoon-period", business: business.ResidenceWork, start: at(1, 13, 30)},
			{name: "fail-unknown-business", business: "tourist_visa", start: at(1, 9, 0), code: "unknown_business"},
			{name: "fail-center-not-found", business: business.VisaExtension, center: "nowhere", start: at(1, 9, 0), code: "center_not_found"},
			{name: "fail-business-not-handled", business: business.StayPermit, start: at(1, 9, 0), code: "business_not_offered"},
			{name: "fail-business-not-configured", business: business.FPRApplication, start: at(1, 9, 0), code: "business_not_offered"},
			{name: "fail-slot-in-past", business: business.VisaExtension, start: at(1, 9, 0).AddDate(0, 0, -2), code: "slot_in_past"},
			{name: "fail-today-before-window", business: business.VisaExtension, start: testNow.Add(4 * time.Hour), code: "slot_outside_window"},
			{name: "fail-after-window", business: business.VisaExtension, start: at(15, 9, 0), code: "slot_outside_window"},
			{name: "fail-closure-day", business: business.VisaExtension, start: at(3, 9, 0), code: "center_closed"},
			{name: "fail-public-holiday", business: business.VisaExtension, start: at(4, 9, 0), code: "center_closed"},
			{name: "fail-sunday", business: business.VisaExtension, start: at(13, 9, 0), code: "center_closed"},
			{name: "fail-off-grid", business: business.VisaExtension, start: at(1, 9, 10), code: "no_such_slot"},
			{name: "fail-lunch-break", business: business.VisaExtension, start: at(1, 12, 30), code: "no_such_slot"},
			{name: "fail-grid-of-other-group", business: business.ResidenceWork, start: at(1, 9, 30), code: "no_such_slot"},
			{name: "fail-slot-full", business: business.ResidenceWork, start: at(2, 9, 0), code: "slot_full",
				setup: func(t *testing.T, _ string) { f.mustBook(t, "filler", business.ResidenceWork, at(2, 9, 0)) }},
			{name: "fail-duplicate-business", business: business.VisaExtension, start: at(7, 9, 0), code: "duplicate_business",
				setup: func(t *testing.T, p string) { f.mustBook(t, p, business.VisaExtension, at(8, 9, 0)) }},
			{name: "fail-too-many-appointments", business: business.ResidenceStudy, start: at(7, 10, 0), code: "too_many_appointments",
				setup: func(t *testing.T, p string) {
					f.mustBook(t, p, business.VisaExtension, at(9, 9, 0))
					f.mustBook(t, p, business.VisaRenewal, at(9, 9, 30))
					f.mustBook(t, p, business.ResidenceWork, at(9, 10, 0))
				}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				person := "p-" + tt.name
				if tt.setup != nil {
					tt.setup(t, person)
				}
				center := tt.center
				if center == "" {
					center = "c1"
				}
				before := f.booked(t, "visa", tt.start) + f.booked(t, "residence", tt.start)
				a, _, err := f.svc.Book(context.Background(), BookRequest{PersonID: person, Business: tt.business,
					CenterID: center, SlotStart: tt.start, By: audit.Actor{ID: "acct", Role: "resident"}})
				wantCode(t, err, tt.code)
				after := f.booked(t, "visa", tt.start) + f.booked(t, "residence", tt.start)
				if tt.code != "" {
					if after != before {
						t.Fatalf("a refused booking changed the counter %d → %d", before, after)
					}
					return
				}
				if after != before+1 || a.Status != Booked || !a.Start.Equal(tt.start) || !IsConfirmationCode(a.ConfirmationCode) {
					t.Fatalf("booking %+v, counter %d → %d", a, before, after)
				}
			})
		}
	}, dbtest.WithClock(clk))
}

func TestEndedAppointmentDoesNotBlock(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 0))
		clk.Set(at(1, 12, 0)) // the visit is over and nobody recorded attendance
		f.mustBook(t, "p1", business.VisaExtension, at(3, 9, 0).AddDate(0, 0, 4))
	}, dbtest.WithClock(clk))
}

func TestIdempotentRetryBooksOnce(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		req := BookRequest{PersonID: "p1", Business: business.VisaExtension, CenterID: "c1",
			SlotStart: at(1, 9, 0), IdempotencyKey: "key-1", By: audit.Actor{ID: "acct-p1", Role: "resident"}}
		first, replayed, err := f.svc.Book(context.Background(), req)
		if err != nil || replayed {
			t.Fatalf("first: %v replayed=%v", err, replayed)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				again, replayed, err := f.svc.Book(context.Background(), req)
				if err != nil || !replayed || again.ID != first.ID || again.ConfirmationCode != first.ConfirmationCode {
					t.Errorf("retry: %+v replayed=%v err=%v", again, replayed, err)
				}
			})
		}
		wg.Wait()
		if n := f.booked(t, "visa", req.SlotStart); n != 1 {
			t.Fatalf("booked %d seats, want 1", n)
		}
		t.Run("fail-key-reused-for-other-request", func(t *testing.T) {
			other := req
			other.SlotStart = at(1, 9, 30)
			_, _, err := f.svc.Book(context.Background(), other)
			wantCode(t, err, "idempotency_key_reused")
			if n := f.booked(t, "visa", other.SlotStart); n != 0 {
				t.Fatalf("refused retry booked %d seats", n)
			}
		})
		t.Run("same-key-other-person-is-independent", func(t *testing.T) {
			other := req
			other.PersonID = "p2"
			a, replayed, err := f.svc.Book(context.Background(), other)
			if err != nil || replayed || a.ID == first.ID {
				t.Fatalf("other person: %+v replayed=%v err=%v", a, replayed, err)
			}
		})
		t.Run("expired-key-books-afresh", func(t *testing.T) {
			f.mustBook(t, "filler", business.VisaExtension, at(2, 9, 0))
			later := req
			later.PersonID, later.IdempotencyKey, later.SlotStart = "p3", "key-3", at(2, 10, 0)
			a1, _, err := f.svc.Book(context.Background(), later)
			wantCode(t, err, "")
			if _, err := f.svc.Cancel(context.Background(), audit.Actor{ID: "acct-p3"}, "p3", a1.ID); err != nil {
				t.Fatal(err)
			}
			clk.Advance(IdempotencyTTL + time.Minute)
			defer clk.Set(testNow)
			a2, replayed, err := f.svc.Book(context.Background(), later)
			if err != nil || replayed || a2.ID == a1.ID {
				t.Fatalf("after expiry: %+v replayed=%v err=%v", a2, replayed, err)
			}
		})
	}, dbtest.WithClock(clk))
}

func TestConfirmationCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c, err := randomCode()
		if err != nil {
			t.Fatal(err)
		}
		if !IsConfirmationCode(c) || seen[c] {
			t.Fatalf("bad or repeated code %q", c)
		}
		seen[c] = true
	}
	for _, bad := range []string{"", "ABCDEFG", "ABCDEFGHJ", "ABCDEF0H", "abcdefgh", "ABCDEFGI"} {
		if IsConfirmationCode(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
