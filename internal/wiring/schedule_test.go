package wiring

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// shanghai is a wall-clock time in Shanghai (UTC+8) in late 2026.
func shanghai(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour-8, minute, 0, 0, time.UTC)
}

var officerCh = audit.Actor{ID: "officer-1", Role: "officer"}

// bookable is a centre open Monday to Saturday 09:00–17:00 with visa
// extensions booked in 30-minute slots of 5 seats, 0 to 14 days ahead.
func bookable(t *testing.T, svc *Services) directory.Center {
	t.Helper()
	ctx := context.Background()
	ctr := firstCenter(t, svc)
	var week []directory.OpeningPeriod
	for wd := 1; wd <= 6; wd++ {
		week = append(week, directory.OpeningPeriod{Weekday: wd, Period: directory.Period{Opens: 9 * 60, Closes: 17 * 60}})
	}
	if _, err := svc.Directory.SetHours(ctx, officerCh, ctr.ID, week); err != nil {
		t.Fatal(err)
	}
	visaSlots(t, svc, ctr.ID, 0)
	return ctr
}

func bookAt(t *testing.T, appts *appointments.Service, person, centerID string, start time.Time) appointments.Appointment {
	t.Helper()
	a, _, err := appts.Book(context.Background(), appointments.BookRequest{PersonID: person, Business: "visa_extension",
		CenterID: centerID, SlotStart: start, By: audit.Actor{ID: "acct-" + person, Role: "resident"}})
	if err != nil {
		t.Fatalf("booking %s at %s: %v", person, start, err)
	}
	return a
}

func statusOf(t *testing.T, svc *Services, a appointments.Appointment) appointments.Status {
	t.Helper()
	got, err := svc.Appointments.Get(context.Background(), a.PersonID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Status
}

// TestBookingSeesAClosureItsCacheHasNot: another node closed the centre for
// the day; this node's cached schedule still shows it open, but the
// booking reads the day inside its transaction and is refused.
func TestBookingSeesAClosureItsCacheHasNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctr := bookable(t, svc)
		day := shanghai(time.November, 30, 10, 0)
		if _, err := svc.Directory.Detail(context.Background(), ctr.ID, now); err != nil { // warm the cache
			t.Fatal(err)
		}
		if err := db.Gorm.Exec(`INSERT INTO service_center_closures (id, center_id, day, reason_en, reason_zh, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, "closure-elsewhere", ctr.ID, "2026-11-30", "Repairs.", "维修。", now).Error; err != nil {
			t.Fatal(err)
		}
		_, _, err := svc.Appointments.Book(context.Background(), appointments.BookRequest{PersonID: "person-1",
			Business: "visa_extension", CenterID: ctr.ID, SlotStart: day, By: audit.Actor{ID: "acct-1", Role: "resident"}})
		if !apperr.Is(err, "center_closed") {
			t.Fatalf("booking a day closed on another node: %v", err)
		}
	})
}

// TestClosureWaitsForABookingInFlightAndCancelsIt: a closure added while a
// booking for that day is in flight waits for it, then cancels it with
// notice; the booking can never survive on a closed day.
func TestClosureWaitsForABookingInFlightAndCancelsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, clk := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		booking := startBookingInFlight(t, db, svc, clk, ctr.ID, shanghai(time.November, 30, 10, 0))
		closed := make(chan error, 1)
		go func() {
			_, err := svc.Directory.AddClosure(ctx, officerCh, ctr.ID, directory.Closure{
				Date: calendar.Date{Year: 2026, Month: time.November, Day: 30}, Reason: i18n.T("Power cut.", "停电。")})
			closed <- err
		}()
		select {
		case err := <-closed:
			t.Errorf("the closure did not wait for the booking in flight: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		r := booking.finish()
		if r.err != nil {
			t.Fatalf("booking: %v", r.err)
		}
		if err := <-closed; err != nil {
			t.Fatalf("closure: %v", err)
		}
		if got := statusOf(t, svc, r.a); got != appointments.Cancelled {
			t.Fatalf("the booking survived the closure: %s", got)
		}
	})
}

// TestHolidayCancelsTheDaysAppointmentsEverywhere: a public holiday added
// to the calendar cancels that day's appointments at every centre, with
// the holiday's name as the reason; other days keep theirs.
func TestHolidayCancelsTheDaysAppointmentsEverywhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		hit := bookAt(t, svc.Appointments, "person-1", ctr.ID, shanghai(time.December, 1, 10, 0))
		kept := bookAt(t, svc.Appointments, "person-2", ctr.ID, shanghai(time.December, 2, 10, 0))
		if _, err := svc.Directory.PutCalendarDay(ctx, officerCh, directory.CalendarDay{
			Date: calendar.Date{Year: 2026, Month: time.December, Day: 1}, Kind: directory.KindHoliday,
			Name: i18n.T("Day of mourning", "全国哀悼日")}); err != nil {
			t.Fatal(err)
		}
		if got := statusOf(t, svc, hit); got != appointments.Cancelled {
			t.Fatalf("appointment on the new holiday: %s", got)
		}
		if got := statusOf(t, svc, kept); got != appointments.Booked {
			t.Fatalf("appointment on the next day: %s", got)
		}
		notes, _ := svc.Notifications.List(ctx, "person-1", paging.Request{Limit: 5})
		// The holiday's notice, after the booking's own.
		if len(notes.Items) != 2 || !strings.Contains(notes.Items[0].Body.Zh, "全国哀悼日") {
			t.Fatalf("notice: %+v", notes.Items)
		}
	})
}

// TestNewHoursCancelOnlyWhatFallsOutsideThem: shorter hours cancel the
// appointments after the new closing time, and no other.
func TestNewHoursCancelOnlyWhatFallsOutsideThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		morning := bookAt(t, svc.Appointments, "person-1", ctr.ID, shanghai(time.November, 30, 11, 30))
		afternoon := bookAt(t, svc.Appointments, "person-2", ctr.ID, shanghai(time.November, 30, 15, 0))
		var week []directory.OpeningPeriod
		for wd := 1; wd <= 6; wd++ {
			week = append(week, directory.OpeningPeriod{Weekday: wd, Period: directory.Period{Opens: 9 * 60, Closes: 12 * 60}})
		}
		if _, err := svc.Directory.SetHours(ctx, officerCh, ctr.ID, week); err != nil {
			t.Fatal(err)
		}
		if got := statusOf(t, svc, morning); got != appointments.Booked {
			t.Fatalf("11:30 within the new hours: %s", got)
		}
		if got := statusOf(t, svc, afternoon); got != appointments.Cancelled {
			t.Fatalf("15:00 after the new closing time: %s", got)
		}
	})
}

// TestClosureTodayKeepsAppointmentsThatBegan: closing the centre for the
// rest of today cancels the afternoon's appointments but not the morning's,
// which already took place and still take an attendance mark; a closure
// of a past day is refused and changes nothing.
func TestClosureTodayKeepsAppointmentsThatBegan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, clk := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		clk.Set(shanghai(time.November, 30, 8, 0))
		served := bookAt(t, svc.Appointments, "person-1", ctr.ID, shanghai(time.November, 30, 9, 0))
		later := bookAt(t, svc.Appointments, "person-2", ctr.ID, shanghai(time.November, 30, 15, 0))
		clk.Set(shanghai(time.November, 30, 13, 0))
		today := calendar.Date{Year: 2026, Month: time.November, Day: 30}
		if _, err := svc.Directory.AddClosure(ctx, officerCh, ctr.ID, directory.Closure{Date: today,
			Reason: i18n.T("Power cut.", "停电。")}); err != nil {
			t.Fatal(err)
		}
		if got := statusOf(t, svc, later); got != appointments.Cancelled {
			t.Fatalf("the afternoon's appointment: %s", got)
		}
		if _, err := svc.Appointments.MarkAttendance(ctx, audit.Actor{ID: "officer-1", Role: "officer"}, served.ID, appointments.Attended); err != nil {
			t.Fatalf("the morning's appointment lost its record: %v", err)
		}
		_, err := svc.Directory.AddClosure(ctx, officerCh, ctr.ID, directory.Closure{Date: today.AddDays(-1),
			Reason: i18n.T("Too late.", "太迟。")})
		if e, _ := apperr.As(err); e == nil || e.Code != "closure_in_past" || e.Field != "date" {
			t.Fatalf("a closure of yesterday: %v", err)
		}
	})
}

// TestWithdrawnMakeupDayCancelsItsAppointments: a Sunday worked by notice
// takes bookings; when the notice is withdrawn the day is a Sunday again
// and its appointments are cancelled with notice.
func TestWithdrawnMakeupDayCancelsItsAppointments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		sunday := calendar.Date{Year: 2026, Month: time.December, Day: 6}
		if _, err := svc.Directory.PutCalendarDay(ctx, officerCh, directory.CalendarDay{Date: sunday, Kind: directory.KindMakeup,
			Name: i18n.T("Make-up working day", "调休上班")}); err != nil {
			t.Fatal(err)
		}
		a := bookAt(t, svc.Appointments, "person-1", ctr.ID, shanghai(time.December, 6, 10, 0))
		if err := svc.Directory.DeleteCalendarDay(ctx, officerCh, sunday); err != nil {
			t.Fatal(err)
		}
		if got := statusOf(t, svc, a); got != appointments.Cancelled {
			t.Fatalf("appointment on the withdrawn make-up day: %s", got)
		}
	})
}

// TestCentersAdapterPassesHoursAsOffsets: the directory's hours reach
// appointments as offsets from midnight, the cached schedule and the
// transaction's reading alike, a period after lunch and one closing at
// midnight included.
func TestCentersAdapterPassesHoursAsOffsets(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := firstCenter(t, svc)
		week := []directory.OpeningPeriod{
			{Weekday: 1, Period: directory.Period{Opens: 9 * 60, Closes: 12 * 60}},
			{Weekday: 1, Period: directory.Period{Opens: 13*60 + 30, Closes: 24 * 60}},
		}
		if _, err := svc.Directory.SetHours(ctx, officerCh, ctr.ID, week); err != nil {
			t.Fatal(err)
		}
		want := []appointments.Period{{Start: 9 * time.Hour, End: 12 * time.Hour}, {Start: 13*time.Hour + 30*time.Minute, End: 24 * time.Hour}}
		sched, err := Centers{Dir: svc.Directory}.Schedule(ctx, ctr.ID)
		if err != nil || !slices.Equal(sched.Weekly[time.Monday], want) || len(sched.Weekly[time.Tuesday]) != 0 {
			t.Fatalf("schedule: %v %v, want Monday %v and nothing else", sched.Weekly, err, want)
		}
		var inTx []appointments.Period
		err = db.Gorm.Transaction(func(g *gorm.DB) error {
			var err error
			inTx, err = Centers{Dir: svc.Directory}.PeriodsTx(storage.TxOf(g), ctr.ID, calendar.Date{Year: 2026, Month: 11, Day: 30})
			return err
		})
		if err != nil || !slices.Equal(inTx, want) {
			t.Fatalf("periods in the transaction: %v %v, want %v", inTx, err, want)
		}
	})
}
