package appointments

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var resident = audit.Actor{ID: "acct-p1", Role: "resident"}

func TestCancel(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		t.Run("ok-releases-seat", func(t *testing.T) {
			a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 0))
			got, err := f.svc.Cancel(ctx, resident, "p1", a.ID)
			if err != nil || got.Status != Cancelled || got.CancelledAt == nil || got.Sequence != 1 {
				t.Fatalf("cancel: %+v %v", got, err)
			}
			if n := f.booked(t, "visa", a.Start); n != 0 {
				t.Fatalf("seat not released: %d", n)
			}
			events, _ := audit.List(db.Gorm, "appointment", a.ID)
			if len(events) != 2 || events[1].Action != "appointment.cancel" {
				t.Fatalf("audit: %+v", events)
			}
		})
		t.Run("fail-not-active", func(t *testing.T) {
			a := f.mustBook(t, "p2", business.VisaExtension, at(1, 9, 0))
			if _, err := f.svc.Cancel(ctx, resident, "p2", a.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Cancel(ctx, resident, "p2", a.ID)
			wantCode(t, err, "appointment_not_active")
		})
		t.Run("fail-other-persons-appointment", func(t *testing.T) {
			a := f.mustBook(t, "p3", business.VisaExtension, at(1, 9, 30))
			_, err := f.svc.Cancel(ctx, resident, "intruder", a.ID)
			wantCode(t, err, "appointment_not_found")
			if n := f.booked(t, "visa", a.Start); n != 1 {
				t.Fatalf("seat changed: %d", n)
			}
		})
		t.Run("fail-too-late", func(t *testing.T) {
			a := f.mustBook(t, "p4", business.VisaExtension, at(1, 10, 0))
			clk.Set(a.Start.Add(-ChangeDeadline + time.Minute))
			defer clk.Set(testNow)
			_, err := f.svc.Cancel(ctx, resident, "p4", a.ID)
			wantCode(t, err, "cancel_too_late")
		})
		t.Run("ok-just-in-time", func(t *testing.T) {
			a := f.mustBook(t, "p5", business.VisaExtension, at(1, 10, 30))
			clk.Set(a.Start.Add(-ChangeDeadline))
			defer clk.Set(testNow)
			_, err := f.svc.Cancel(ctx, resident, "p5", a.ID)
			wantCode(t, err, "")
		})
	}, dbtest.WithClock(clk))
}

func TestReschedule(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		t.Run("ok-moves-seat", func(t *testing.T) {
			a := f.mustBook(t, "p1", business.ResidenceWork, at(1, 9, 0))
			got, err := f.svc.Reschedule(ctx, resident, "p1", a.ID, at(2, 14, 30))
			if err != nil || !got.Start.Equal(at(2, 14, 30)) || !got.End.Equal(at(2, 15, 30)) || got.ID != a.ID || got.ConfirmationCode != a.ConfirmationCode {
				t.Fatalf("reschedule: %+v %v", got, err)
			}
			if f.booked(t, "residence", at(1, 9, 0)) != 0 || f.booked(t, "residence", at(2, 14, 30)) != 1 {
				t.Fatal("seats not swapped")
			}
		})
		t.Run("fail-slot-full-changes-nothing", func(t *testing.T) {
			a := f.mustBook(t, "p2", business.ResidenceWork, at(7, 9, 0))
			f.mustBook(t, "p3", business.ResidenceWork, at(7, 10, 0))
			_, err := f.svc.Reschedule(ctx, resident, "p2", a.ID, at(7, 10, 0))
			wantCode(t, err, "slot_full")
			got, _ := f.svc.Get(ctx, "p2", a.ID)
			if !got.Start.Equal(at(7, 9, 0)) || f.booked(t, "residence", at(7, 9, 0)) != 1 || f.booked(t, "residence", at(7, 10, 0)) != 1 {
				t.Fatalf("a refused reschedule changed state: %+v", got)
			}
		})
		t.Run("fail-same-slot", func(t *testing.T) {
			a := f.mustBook(t, "p4", business.VisaReissue, at(8, 9, 0))
			_, err := f.svc.Reschedule(ctx, resident, "p4", a.ID, at(8, 9, 0))
			wantCode(t, err, "same_slot")
		})
		t.Run("fail-closed-target", func(t *testing.T) {
			a := f.mustBook(t, "p5", business.VisaReissue, at(8, 9, 0))
			_, err := f.svc.Reschedule(ctx, resident, "p5", a.ID, at(3, 9, 0))
			wantCode(t, err, "center_closed")
		})
		t.Run("fail-too-late", func(t *testing.T) {
			a := f.mustBook(t, "p6", business.VisaReissue, at(1, 11, 0))
			clk.Set(at(1, 9, 30))
			defer clk.Set(testNow)
			_, err := f.svc.Reschedule(ctx, resident, "p6", a.ID, at(2, 9, 0))
			wantCode(t, err, "reschedule_too_late")
		})
		t.Run("fail-cancelled", func(t *testing.T) {
			a := f.mustBook(t, "p7", business.VisaReissue, at(9, 9, 0))
			if _, err := f.svc.Cancel(ctx, resident, "p7", a.ID); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.Reschedule(ctx, resident, "p7", a.ID, at(9, 9, 30))
			wantCode(t, err, "appointment_not_active")
		})
		t.Run("fail-other-person", func(t *testing.T) {
			a := f.mustBook(t, "p8", business.VisaReissue, at(9, 9, 0))
			_, err := f.svc.Reschedule(ctx, resident, "intruder", a.ID, at(9, 9, 30))
			wantCode(t, err, "appointment_not_found")
		})
	}, dbtest.WithClock(clk))
}

func TestSlots(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 0))
		day, err := f.svc.Slots(ctx, "c1", business.VisaRenewal, dateOf(at(1, 0, 0)))
		if err != nil {
			t.Fatal(err)
		}
		// 09:00–12:00 and 13:30–17:00 in 30-minute slots: 6 + 7.
		if !day.Open || !day.InWindow || len(day.Slots) != 13 {
			t.Fatalf("slots: %+v", day)
		}
		first := day.Slots[0]
		if !first.Start.Equal(at(1, 9, 0)) || first.Capacity != 2 || first.Remaining != 1 || day.Slots[1].Remaining != 2 {
			t.Fatalf("first slots: %+v %+v", first, day.Slots[1])
		}
		if last := day.Slots[12]; !last.Start.Equal(at(1, 16, 30)) || !last.End.Equal(at(1, 17, 0)) {
			t.Fatalf("last slot: %+v", last)
		}
		closed, _ := f.svc.Slots(ctx, "c1", business.VisaRenewal, closureDay)
		if closed.Open || len(closed.Slots) != 0 {
			t.Fatalf("closure day: %+v", closed)
		}
		late, _ := f.svc.Slots(ctx, "c1", business.VisaRenewal, dateOf(at(20, 0, 0)))
		if late.InWindow || len(late.Slots) != 0 {
			t.Fatalf("beyond window: %+v", late)
		}
		_, err = f.svc.Slots(ctx, "c1", business.StayPermit, dateOf(at(1, 0, 0)))
		wantCode(t, err, "business_not_offered")
		_, err = f.svc.Slots(ctx, "nowhere", business.VisaRenewal, dateOf(at(1, 0, 0)))
		wantCode(t, err, "center_not_found")
	}, dbtest.WithClock(clk))
}

func TestSlotsOfTodayHidePastTimes(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		cfg, _ := f.svc.SlotConfig(context.Background(), "c1")
		cfg.DefaultWindow, cfg.Window = false, Window{From: 0, To: 7}
		if _, err := f.svc.SetSlotConfig(context.Background(), officer, "c1", cfg); err != nil {
			t.Fatal(err)
		}
		day, err := f.svc.Slots(context.Background(), "c1", business.VisaExtension, dateOf(testNow))
		if err != nil || len(day.Slots) != 10 || !day.Slots[0].Start.Equal(testNow.Add(30*time.Minute)) {
			t.Fatalf("today after 10:00: %+v %v", day, err)
		}
	}, dbtest.WithClock(clk))
}
