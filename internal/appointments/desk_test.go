package appointments

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestMarkAttendance(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 0))
		t.Run("fail-too-early", func(t *testing.T) {
			_, err := f.svc.MarkAttendance(ctx, officer, a.ID, Attended)
			wantCode(t, err, "attendance_too_early")
		})
		clk.Set(at(1, 9, 20))
		t.Run("fail-invalid-status", func(t *testing.T) {
			_, err := f.svc.MarkAttendance(ctx, officer, a.ID, Cancelled)
			wantCode(t, err, "invalid_attendance")
		})
		t.Run("fail-unknown-appointment", func(t *testing.T) {
			_, err := f.svc.MarkAttendance(ctx, officer, "no-such-id", Attended)
			wantCode(t, err, "appointment_not_found")
		})
		t.Run("ok-and-correct-audited", func(t *testing.T) {
			got, err := f.svc.MarkAttendance(ctx, officer, a.ID, NoShow)
			if err != nil || got.Status != NoShow {
				t.Fatalf("no-show: %+v %v", got, err)
			}
			got, err = f.svc.MarkAttendance(ctx, officer, a.ID, Attended)
			if err != nil || got.Status != Attended {
				t.Fatalf("attended: %+v %v", got, err)
			}
			events, _ := audit.List(db.Gorm, "appointment", a.ID)
			if len(events) != 3 || events[2].ActorID != officer.ID || events[2].RequestID != officer.RequestID ||
				!strings.Contains(*events[2].BeforeJSON, `"no_show"`) || !strings.Contains(*events[2].AfterJSON, `"attended"`) {
				t.Fatalf("audit: %+v", events)
			}
		})
		t.Run("fail-cancelled", func(t *testing.T) {
			clk.Set(testNow)
			c := f.mustBook(t, "p2", business.VisaExtension, at(1, 9, 30))
			if _, err := f.svc.Cancel(ctx, resident, "p2", c.ID); err != nil {
				t.Fatal(err)
			}
			clk.Set(at(1, 10, 0))
			_, err := f.svc.MarkAttendance(ctx, officer, c.ID, Attended)
			wantCode(t, err, "appointment_not_active")
		})
	}, dbtest.WithClock(clk))
}

func TestCancelForClosure(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		a1 := f.mustBook(t, "p1", business.VisaExtension, at(2, 9, 0))
		a2 := f.mustBook(t, "p2", business.ResidenceWork, at(2, 14, 30))
		gone := f.mustBook(t, "p3", business.VisaExtension, at(2, 9, 0))
		if _, err := f.svc.Cancel(ctx, resident, "p3", gone.ID); err != nil {
			t.Fatal(err)
		}
		other := f.mustBook(t, "p3", business.VisaRenewal, at(7, 9, 0))
		reason := i18n.T("Burst water main.", "水管爆裂。")
		n, err := f.svc.CancelForClosure(ctx, "c1", dateOf(at(2, 0, 0)), reason)
		if err != nil || n != 2 {
			t.Fatalf("closure cancelled %d: %v", n, err)
		}
		for _, a := range []Appointment{a1, a2} {
			got, _ := f.svc.Get(ctx, a.PersonID, a.ID)
			if got.Status != Cancelled || got.CancelReason != reason {
				t.Fatalf("%s not cancelled: %+v", a.ID, got)
			}
			page, err := notifications.NewStore(db).List(ctx, a.PersonID, paging.Request{Limit: 10})
			// The booking's own notice, then the closure's, newest first.
			if err != nil || len(page.Items) != 2 || page.Items[1].Kind != "appointment.booked" {
				t.Fatalf("notifications of %s: %+v %v", a.PersonID, page, err)
			}
			nt := page.Items[0]
			if nt.Kind != "appointment.cancelled" || nt.Ref != a.ID || !strings.Contains(nt.Body.En, a.ConfirmationCode) || !strings.Contains(nt.Body.Zh, "水管爆裂") ||
				!strings.Contains(nt.Subject.Zh, "预约已取消") || !strings.Contains(nt.Subject.En, "2026-12-02") {
				t.Fatalf("notification: %+v", nt)
			}
		}
		if f.booked(t, "visa", at(2, 9, 0)) != 0 || f.booked(t, "residence", at(2, 14, 30)) != 0 || f.booked(t, "visa", at(7, 9, 0)) != 1 {
			t.Fatal("seats not released, or another day touched")
		}
		if got, _ := f.svc.Get(ctx, "p3", other.ID); got.Status != Booked {
			t.Fatalf("other day cancelled: %+v", got)
		}
		if n, err := f.svc.CancelForClosure(ctx, "c1", dateOf(at(2, 0, 0)), reason); err != nil || n != 0 {
			t.Fatalf("second run cancelled %d: %v", n, err)
		}
	}, dbtest.WithClock(clk))
}

func TestCenterDayPages(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		var want []string
		for i, start := range []time.Time{at(1, 9, 0), at(1, 9, 0), at(1, 9, 30), at(1, 13, 30), at(1, 16, 30)} {
			want = append(want, f.mustBook(t, "p"+string(rune('a'+i)), business.VisaExtension, start).ID)
		}
		f.mustBook(t, "px", business.VisaExtension, at(2, 9, 0))
		var got []string
		p := paging.Request{Limit: 2}
		for {
			page, err := f.svc.CenterDay(ctx, "c1", dateOf(at(1, 0, 0)), p)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				got = append(got, a.ID)
			}
			if page.NextCursor == "" {
				break
			}
			p, _ = paging.Parse("2", page.NextCursor)
		}
		if len(got) != 5 || got[2] != want[2] || got[4] != want[4] {
			t.Fatalf("day list %v, want %v (first two in id order)", got, want)
		}
		_, err := f.svc.CenterDay(ctx, "c1", dateOf(at(1, 0, 0)), paging.Request{Limit: 2, After: "garbage"})
		wantCode(t, err, "invalid_cursor")
	}, dbtest.WithClock(clk))
}

func TestSlotConfigValidation(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		good := SlotGroup{Name: "visa", Businesses: []string{business.VisaExtension}, SlotMinutes: 30, Capacity: 2}
		tests := []struct {
			name  string
			cfg   SlotConfig
			field string
			code  string
		}{
			{"fail-window-reversed", SlotConfig{Window: Window{5, 1}, Groups: []SlotGroup{good}}, "window", "invalid_window"},
			{"fail-window-too-long", SlotConfig{Window: Window{1, 120}, Groups: []SlotGroup{good}}, "window", "invalid_window"},
			{"fail-group-name", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "Visa!", Businesses: []string{business.VisaExtension}, SlotMinutes: 30, Capacity: 2}}}, "groups[0].name", "invalid_group_name"},
			{"fail-slot-minutes", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "v", Businesses: []string{business.VisaExtension}, SlotMinutes: 2, Capacity: 2}}}, "groups[0].slot_minutes", "invalid_slot_minutes"},
			{"fail-capacity", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "v", Businesses: []string{business.VisaExtension}, SlotMinutes: 30, Capacity: 0}}}, "groups[0].capacity", "invalid_capacity"},
			{"fail-no-businesses", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "v", SlotMinutes: 30, Capacity: 1}}}, "groups[0].businesses", "no_businesses"},
			{"fail-unknown-business", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "v", Businesses: []string{"x"}, SlotMinutes: 30, Capacity: 1}}}, "groups[0].businesses[0]", "unknown_business"},
			{"fail-business-not-handled", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{{Name: "v", Businesses: []string{business.StayPermit}, SlotMinutes: 30, Capacity: 1}}}, "groups[0].businesses[0]", "business_not_offered"},
			{"fail-business-in-two-groups", SlotConfig{DefaultWindow: true, Groups: []SlotGroup{good, {Name: "w", Businesses: []string{business.VisaExtension}, SlotMinutes: 30, Capacity: 1}}}, "groups[1].businesses[0]", "business_in_two_groups"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.SetSlotConfig(ctx, officer, "c1", tt.cfg)
				e, ok := apperr.As(err)
				if !ok || e.Code != tt.code || e.Field != tt.field {
					t.Fatalf("got %v, want %s on %s", err, tt.code, tt.field)
				}
				cfg, _ := f.svc.SlotConfig(ctx, "c1")
				if len(cfg.Groups) != 2 {
					t.Fatalf("refused config changed state: %+v", cfg)
				}
			})
		}
		t.Run("ok-capacity-change-reaches-counters", func(t *testing.T) {
			f.mustBook(t, "p1", business.ResidenceWork, at(1, 9, 0))
			cfg, _ := f.svc.SlotConfig(ctx, "c1")
			cfg.Groups[0].Capacity = 3 // residence sorts first
			if _, err := f.svc.SetSlotConfig(ctx, officer, "c1", cfg); err != nil {
				t.Fatal(err)
			}
			f.mustBook(t, "p2", business.ResidenceWork, at(1, 9, 0))
			f.mustBook(t, "p3", business.ResidenceWork, at(1, 9, 0))
			_, err := f.book("p4", business.ResidenceWork, at(1, 9, 0))
			wantCode(t, err, "slot_full")
		})
	}, dbtest.WithClock(clk))
}

func TestCalendarFileParses(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 30))
		for _, lang := range []i18n.Lang{i18n.EN, i18n.ZH} {
			body, err := f.svc.Calendar(ctx, "p1", a.ID, lang)
			if err != nil {
				t.Fatal(err)
			}
			ev := parseOneEvent(t, body)
			start, err := ev.GetStartAt()
			if err != nil || !start.Equal(at(1, 9, 30)) || start.In(clock.Shanghai()).Hour() != 9 {
				t.Fatalf("DTSTART %v %v", start, err)
			}
			if end, _ := ev.GetEndAt(); !end.Equal(at(1, 10, 0)) {
				t.Fatalf("DTEND %v", end)
			}
			wantAddr := testCenters()["c1"].Address.In(lang)
			if loc := ev.GetProperty(ics.ComponentPropertyLocation).Value; loc != wantAddr {
				t.Fatalf("LOCATION %q, want %q", loc, wantAddr)
			}
			if uid := ev.GetProperty(ics.ComponentPropertyUniqueId).Value; uid != a.ID+"@appointments.fprlink" {
				t.Fatalf("UID %q", uid)
			}
			if !bytes.Contains(body, []byte("DTSTART;TZID=Asia/Shanghai:20261201T093000\r\n")) {
				t.Fatalf("local start time not written as such:\n%s", body)
			}
		}
		if _, err := f.svc.Calendar(ctx, "intruder", a.ID, i18n.EN); !apperr.Is(err, "appointment_not_found") {
			t.Fatalf("other person's calendar: %v", err)
		}
		moved, _ := f.svc.Reschedule(ctx, resident, "p1", a.ID, at(2, 14, 0))
		body, _ := f.svc.Calendar(ctx, "p1", a.ID, i18n.EN)
		ev := parseOneEvent(t, body)
		if ev.GetProperty(ics.ComponentPropertyUniqueId).Value != a.ID+"@appointments.fprlink" ||
			ev.GetProperty(ics.ComponentPropertySequence).Value != "1" || moved.Sequence != 1 {
			t.Fatalf("reschedule must keep the UID and bump SEQUENCE:\n%s", body)
		}
	}, dbtest.WithClock(clk))
}

func parseOneEvent(t *testing.T, body []byte) *ics.VEvent {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	return evs[0]
}
