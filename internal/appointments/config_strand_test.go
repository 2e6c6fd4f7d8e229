package appointments

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func fixtureGroups(visaName string, visaMinutes, visaCapacity int) SlotConfig {
	return SlotConfig{DefaultWindow: true, Groups: []SlotGroup{
		{Name: visaName, Businesses: []string{business.VisaExtension, business.VisaRenewal, business.VisaReissue}, SlotMinutes: visaMinutes, Capacity: visaCapacity},
		{Name: "residence", Businesses: []string{business.ResidenceWork, business.ResidenceStudy}, SlotMinutes: 60, Capacity: 1},
	}}
}

// TestSlotConfigCannotStrandBookings: with a visa appointment booked ahead,
// renaming its group, moving its business to another group or changing
// the slot length would let new bookings overbook its slot (they count in
// other counters), so each is refused and changes nothing; a new capacity
// is fine, and once the booking is cancelled the rename goes through.
func TestSlotConfigCannotStrandBookings(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		a := f.mustBook(t, "p1", business.VisaExtension, at(2, 9, 30))
		moved := fixtureGroups("visa", 30, 2)
		moved.Groups[0].Businesses = []string{business.VisaRenewal, business.VisaReissue}
		moved.Groups[1].Businesses = append(moved.Groups[1].Businesses, business.VisaExtension)
		for name, cfg := range map[string]SlotConfig{
			"fail-rename-group":          fixtureGroups("visa_hall", 30, 2),
			"fail-longer-slots":          fixtureGroups("visa", 60, 2),
			"fail-business-moves-groups": moved,
		} {
			t.Run(name, func(t *testing.T) {
				before, _ := f.svc.SlotConfig(ctx, "c1")
				_, err := f.svc.SetSlotConfig(ctx, officer, "c1", cfg)
				wantCode(t, err, "slot_config_strands_bookings")
				if after, _ := f.svc.SlotConfig(ctx, "c1"); len(after.Groups) != len(before.Groups) || after.Groups[1].Name != "visa" {
					t.Fatalf("a refused configuration changed it: %+v", after.Groups)
				}
			})
		}
		if _, err := f.svc.SetSlotConfig(ctx, officer, "c1", fixtureGroups("visa", 30, 5)); err != nil {
			t.Fatalf("a new capacity: %v", err)
		}
		if _, err := f.svc.Cancel(ctx, audit.Actor{ID: "acct-p1", Role: "resident"}, "p1", a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetSlotConfig(ctx, officer, "c1", fixtureGroups("visa_hall", 30, 2)); err != nil {
			t.Fatalf("renaming once nothing is booked: %v", err)
		}
	}, dbtest.WithClock(clk))
}

// pausingCenters pauses a booking inside its transaction, after it has
// held its centre and slot group, so a test can change the configuration
// meanwhile.
type pausingCenters struct {
	fakeCenters
	held, resume chan struct{}
}

func (p pausingCenters) PeriodsTx(tx storage.Tx, id string, d calendar.Date) ([]Period, error) {
	close(p.held)
	<-p.resume
	return p.fakeCenters.PeriodsTx(tx, id, d)
}

// TestSlotConfigWaitsForABookingInFlight: a rename started while a booking
// of the group is in flight waits for it, then sees it and is refused; the
// booking keeps its seat in the counter new bookings use.
func TestSlotConfigWaitsForABookingInFlight(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		pause := pausingCenters{fakeCenters: testCenters(), held: make(chan struct{}), resume: make(chan struct{})}
		svc, err := New(db, clk, pause, Options{})
		if err != nil {
			t.Fatal(err)
		}
		booked := make(chan error, 1)
		go func() {
			_, _, err := svc.Book(ctx, BookRequest{PersonID: "p1", Business: business.VisaExtension, CenterID: "c1",
				SlotStart: at(2, 9, 30), By: audit.Actor{ID: "acct-p1", Role: "resident"}})
			booked <- err
		}()
		<-pause.held
		changed := make(chan error, 1)
		go func() {
			_, err := f.svc.SetSlotConfig(ctx, officer, "c1", fixtureGroups("visa_hall", 30, 2))
			changed <- err
		}()
		select {
		case err := <-changed:
			t.Errorf("the configuration changed under a booking in flight: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(pause.resume)
		if err := <-booked; err != nil {
			t.Fatalf("booking: %v", err)
		}
		wantCode(t, <-changed, "slot_config_strands_bookings")
		if got := f.booked(t, "visa", at(2, 9, 30)); got != 1 {
			t.Fatalf("counter holds %d, want the booking", got)
		}
	}, dbtest.WithClock(clk))
}
