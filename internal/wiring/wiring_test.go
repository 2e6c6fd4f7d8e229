package wiring

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// Friday 27 November 2026, 10:00 in Shanghai.
var now = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func build(t *testing.T, db *storage.DB) (*Services, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(now)
	svc, err := Build(context.Background(), db, clk, Options{
		Accounts: accounts.Options{Argon2: accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	return svc, clk
}

func firstCenter(t *testing.T, svc *Services) directory.Center {
	t.Helper()
	page, err := svc.Directory.Search(context.Background(), directory.Query{Page: paging.Request{Limit: 10}}, now)
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no seeded centres: %v", err)
	}
	return page.Items[0].Center
}

func TestCentersAdapterGivesTheDirectorysSchedule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctr := firstCenter(t, svc)
		sched, err := Centers{Dir: svc.Directory}.Schedule(context.Background(), ctr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sched.ID != ctr.ID || sched.Address != ctr.Address || len(sched.Businesses) != len(ctr.Businesses) {
			t.Fatalf("schedule %+v does not match centre %+v", sched, ctr)
		}
		if len(ctr.Hours[1]) == 0 || len(sched.Weekly[time.Monday]) != len(ctr.Hours[1]) {
			t.Fatalf("Monday hours lost: %v vs %v", sched.Weekly[time.Monday], ctr.Hours[1])
		}
		if got, want := sched.Weekly[time.Monday][0].Start, time.Duration(ctr.Hours[1][0].Opens)*time.Minute; got != want {
			t.Fatalf("Monday opens %s, want %s", got, want)
		}
		if sched.Calendar == nil || sched.Calendar.IsWorkingDay(calendar.Date{Year: 2026, Month: time.October, Day: 1}) {
			t.Fatal("calendar missing or National Day counted as a working day")
		}
		if _, err := (Centers{Dir: svc.Directory}).Schedule(context.Background(), "no-such-centre"); !errors.Is(err, appointments.ErrCenterNotFound) {
			t.Fatalf("unknown centre: %v", err)
		}
	})
}

func TestApplicantsAdapterMatchesAnyPassportAndBirthDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx, ch := context.Background(), audit.System
		p, err := svc.Registry.CreatePerson(ctx, ch, registry.PersonInput{Surname: "TREMBLAY", GivenNames: "ANNE", Sex: "F", BirthDate: "1981-08-03", Nationality: "CAN"})
		if err != nil {
			t.Fatal(err)
		}
		for _, num := range []string{"AB123456", "AB654321"} { // the second supersedes the first
			if _, err := svc.Registry.AddPassport(ctx, ch, p.ID, registry.PassportInput{Number: num, IssuingState: "CAN", IssueDate: "2021-01-01", ExpiryDate: "2031-01-01"}); err != nil {
				t.Fatal(err)
			}
		}
		a := Applicants{Reg: svc.Registry}
		for _, tt := range []struct {
			name, person, passport, birth string
			want                          bool
		}{
			{"current passport", p.ID, "AB654321", "1981-08-03", true},
			{"superseded passport", p.ID, "AB123456", "1981-08-03", true},
			{"wrong birth date", p.ID, "AB654321", "1981-08-04", false},
			{"unknown passport", p.ID, "ZZ000000", "1981-08-03", false},
			{"unknown person", "nobody", "AB654321", "1981-08-03", false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := a.MatchesPassport(ctx, tt.person, tt.passport, tt.birth)
				if err != nil || got != tt.want {
					t.Fatalf("got %v, %v", got, err)
				}
			})
		}
		if ok, err := a.Exists(ctx, p.ID); !ok || err != nil {
			t.Fatalf("Exists: %v %v", ok, err)
		}
		if ok, err := a.Exists(ctx, "nobody"); ok || err != nil {
			t.Fatalf("Exists(nobody): %v %v", ok, err)
		}
	})
}

func TestClosureCancelsThatDaysAppointmentsWithNotice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := firstCenter(t, svc)
		visaSlots(t, svc, ctr.ID, 1)
		// Monday 30 November 2026, 10:00 Shanghai.
		start := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
		a, _, err := svc.Appointments.Book(ctx, appointments.BookRequest{PersonID: "person-1", Business: "visa_extension",
			CenterID: ctr.ID, SlotStart: start, By: audit.Actor{ID: "acct-1", Role: "resident"}})
		if err != nil {
			t.Fatal(err)
		}
		reason := i18n.T("Water pipe repairs.", "水管维修。")
		if _, err := svc.Directory.AddClosure(ctx, audit.System, ctr.ID,
			directory.Closure{Date: calendar.LocalDate(start), Reason: reason}); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Appointments.Get(ctx, "person-1", a.ID)
		if err != nil || got.Status != appointments.Cancelled {
			t.Fatalf("appointment after closure: %+v %v", got, err)
		}
		notes, err := svc.Notifications.List(ctx, "person-1", paging.Request{Limit: 10})
		// The closure's notice, after the booking's own.
		if err != nil || len(notes.Items) != 2 || notes.Items[0].Kind != "appointment.cancelled" || notes.Items[0].Body.Zh == "" {
			t.Fatalf("notification: %+v %v", notes, err)
		}
	})
}

// TestCentreWithBookingsStays: a centre people are booked at cannot be
// removed; once its day is closed (cancelling the booking with notice) it
// can, with its hours and closures.
func TestCentreWithBookingsStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := firstCenter(t, svc)
		visaSlots(t, svc, ctr.ID, 1)
		start := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // Monday 10:00 Shanghai
		if _, _, err := svc.Appointments.Book(ctx, appointments.BookRequest{PersonID: "person-1", Business: "visa_extension",
			CenterID: ctr.ID, SlotStart: start, By: audit.Actor{ID: "acct-1", Role: "resident"}}); err != nil {
			t.Fatal(err)
		}
		ch := audit.System
		err := svc.Directory.DeleteCenter(ctx, ch, ctr.ID)
		if e, _ := apperr.As(err); e == nil || e.Code != "service_center_has_bookings" || !strings.Contains(e.Message.En, "1 appointments") {
			t.Fatalf("removing a centre with a booking: %v", err)
		}
		if _, err := svc.Directory.Detail(ctx, ctr.ID, start); err != nil {
			t.Fatalf("the refused removal changed the centre: %v", err)
		}
		if _, err := svc.Directory.AddClosure(ctx, ch, ctr.ID, directory.Closure{Date: calendar.LocalDate(start),
			Reason: i18n.T("The centre moves.", "服务中心搬迁。")}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Directory.DeleteCenter(ctx, ch, ctr.ID); err != nil {
			t.Fatalf("removing the centre once its bookings were cancelled: %v", err)
		}
		if _, err := svc.Directory.Detail(ctx, ctr.ID, start); !apperr.Is(err, "service_center_not_found") {
			t.Fatalf("after removal: %v", err)
		}
	})
}

// pausingCenters holds the centre for a booking and then waits, so a test
// can try to remove the centre while the booking is in flight.
type pausingCenters struct {
	Centers
	held, resume chan struct{}
}

func (p pausingCenters) HoldTx(tx storage.Tx, id string) error {
	if err := p.Centers.HoldTx(tx, id); err != nil {
		return err
	}
	close(p.held)
	<-p.resume
	return nil
}

// visaSlots books visa extensions at centerID in 30-minute slots of 5
// seats, from days ahead to 14 days ahead.
func visaSlots(t *testing.T, svc *Services, centerID string, from int) {
	t.Helper()
	if _, err := svc.Appointments.SetSlotConfig(context.Background(), audit.Actor{ID: "officer-1", Role: "officer"}, centerID, appointments.SlotConfig{
		Window: appointments.Window{From: from, To: 14},
		Groups: []appointments.SlotGroup{{Name: "visa", Businesses: []string{"visa_extension"}, SlotMinutes: 30, Capacity: 5}},
	}); err != nil {
		t.Fatal(err)
	}
}

// bookingInFlight is a booking paused inside its transaction, holding its
// centre, so a test can run a change of the centre meanwhile.
type bookingInFlight struct {
	resume chan struct{}
	done   chan bookResult
}

type bookResult struct {
	a   appointments.Appointment
	err error
}

// startBookingInFlight books a visa extension for person-1 at start
// through a second appointments service on svc's database whose centre
// hold pauses, and returns once the booking holds the centre. svc's
// directory hooks see its bookings as they see any: they read the tables.
func startBookingInFlight(t *testing.T, db *storage.DB, svc *Services, clk clock.Clock, centerID string, start time.Time) *bookingInFlight {
	t.Helper()
	pause := pausingCenters{Centers: Centers{Dir: svc.Directory}, held: make(chan struct{}), resume: make(chan struct{})}
	appts, err := appointments.New(db, clk, pause, appointments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := &bookingInFlight{resume: pause.resume, done: make(chan bookResult, 1)}
	go func() {
		a, _, err := appts.Book(context.Background(), appointments.BookRequest{PersonID: "person-1", Business: "visa_extension",
			CenterID: centerID, SlotStart: start, By: audit.Actor{ID: "acct-1", Role: "resident"}})
		b.done <- bookResult{a, err}
	}()
	<-pause.held
	return b
}

// finish lets the booking go on and returns its result.
func (b *bookingInFlight) finish() bookResult {
	close(b.resume)
	return <-b.done
}

// TestRemovalWaitsForABookingInFlight: a centre removed while a booking at
// it is in flight waits for the booking, then sees it and is refused; the
// two can never both succeed and leave an appointment at no centre.
func TestRemovalWaitsForABookingInFlight(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, clk := build(t, db)
		ctx := context.Background()
		ctr := firstCenter(t, svc)
		visaSlots(t, svc, ctr.ID, 1)
		booking := startBookingInFlight(t, db, svc, clk, ctr.ID, time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC))
		if db.Dialect == storage.Postgres {
			// An edit of the centre is not held up by the booking.
			edited := make(chan error, 1)
			go func() {
				edited <- db.Gorm.Exec("UPDATE service_centers SET updated_at = ? WHERE id = ?", time.Now().UTC(), ctr.ID).Error
			}()
			select { // errors, not fatal: the booking must still be resumed below
			case err := <-edited:
				if err != nil {
					t.Error(err)
				}
			case <-time.After(5 * time.Second):
				t.Error("an edit of the centre waited for a booking in flight")
			}
		}
		removed := make(chan error, 1)
		go func() { removed <- svc.Directory.DeleteCenter(ctx, audit.System, ctr.ID) }()
		select {
		case err := <-removed:
			t.Errorf("the centre was removed under a booking in flight: %v", err)
		case <-time.After(300 * time.Millisecond):
		}
		if r := booking.finish(); r.err != nil {
			t.Fatalf("booking: %v", r.err)
		}
		if err := <-removed; !apperr.Is(err, "service_center_has_bookings") {
			t.Fatalf("removal after the booking committed: %v", err)
		}
	})
}

// TestCentreWithOpenApplicationsStays: a centre holding an application that
// is not yet collected (its case, the applicant's documents) cannot be
// removed; once the applicant has collected, it can.
func TestCentreWithOpenApplicationsStays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx := context.Background()
		ctr := firstCenter(t, svc)
		person, err := svc.Registry.CreatePerson(ctx, audit.System, registry.PersonInput{
			Surname: "OKAFOR", GivenNames: "CHINEDU", Sex: "M", BirthDate: "1950-06-01", Nationality: "NGA"})
		if err != nil {
			t.Fatal(err)
		}
		off := audit.Actor{ID: "officer-1", Role: "officer"}
		rec, err := svc.Applications.Register(ctx, off, applications.Registration{PersonID: person.ID,
			BusinessType: "residence_private", CentreID: ctr.ID})
		if err != nil {
			t.Fatal(err)
		}
		ch := audit.System
		if err := svc.Directory.DeleteCenter(ctx, ch, ctr.ID); !apperr.Is(err, "service_center_has_applications") {
			t.Fatalf("removing a centre with an open application: %v", err)
		}
		for _, st := range []applications.Status{applications.Accepted, applications.UnderReview, applications.Approved,
			applications.ReadyForCollection, applications.Collected} {
			if _, err := svc.Applications.AddEvent(ctx, off, rec.Number, applications.Step{Status: st}); err != nil {
				t.Fatalf("%s: %v", st, err)
			}
		}
		if err := svc.Directory.DeleteCenter(ctx, ch, ctr.ID); err != nil {
			t.Fatalf("removing the centre once everything was collected: %v", err)
		}
		_, err = svc.Applications.Register(ctx, off, applications.Registration{PersonID: person.ID,
			BusinessType: "residence_private", CentreID: ctr.ID})
		if e, _ := apperr.As(err); e == nil || e.Code != "unknown_centre" || e.Field != "center_id" {
			t.Fatalf("registering at a removed centre: %v", err)
		}
	})
}

// TestVisitsAdapterReadsTheApplicantsOwnAppointment: an application's
// appointment is looked up as the applicant's own, with its centre,
// business and how far it got: booked is still ahead (even on its day),
// attended is kept, cancelled and missed are missed.
func TestVisitsAdapterReadsTheApplicantsOwnAppointment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, clk := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		a := bookAt(t, svc.Appointments, "person-1", ctr.ID, shanghai(time.November, 30, 10, 0))
		v := Visits{Appts: svc.Appointments}
		got, found, err := v.Visit(ctx, "person-1", a.ID)
		if err != nil || !found || got.State != applications.VisitAhead || got.CentreID != ctr.ID || got.BusinessType != "visa_extension" {
			t.Fatalf("own appointment: %+v %v %v", got, found, err)
		}
		if _, found, err := v.Visit(ctx, "person-2", a.ID); found || err != nil {
			t.Fatalf("another person's appointment found: %v %v", found, err)
		}
		missed := bookAt(t, svc.Appointments, "person-3", ctr.ID, shanghai(time.November, 30, 10, 0))
		cancelled := bookAt(t, svc.Appointments, "person-4", ctr.ID, shanghai(time.November, 30, 10, 0))
		if _, err := svc.Appointments.Cancel(ctx, audit.Actor{ID: "acct-person-4", Role: "resident"}, "person-4", cancelled.ID); err != nil {
			t.Fatal(err)
		}
		clk.Set(shanghai(time.November, 30, 10, 10))
		if got, _, _ := v.Visit(ctx, "person-1", a.ID); got.State != applications.VisitAhead {
			t.Fatalf("booked appointment under way counted as %v", got.State)
		}
		for _, m := range []struct {
			appt appointments.Appointment
			st   appointments.Status
		}{{a, appointments.Attended}, {missed, appointments.NoShow}} {
			if _, err := svc.Appointments.MarkAttendance(ctx, officerCh, m.appt.ID, m.st); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			person, id string
			want       applications.VisitState
		}{{"person-1", a.ID, applications.VisitKept}, {"person-3", missed.ID, applications.VisitMissed}, {"person-4", cancelled.ID, applications.VisitMissed}} {
			if got, found, _ := v.Visit(ctx, c.person, c.id); !found || got.State != c.want {
				t.Errorf("%s: state %v, want %v", c.person, got.State, c.want)
			}
		}
	})
}

// TestApplicationNeedsAKeptAppointment: through the whole graph, an
// application cannot name an appointment until the counter has recorded
// the applicant came; once it has, the application is registered and
// names its centre as the directory lists it.
func TestApplicationNeedsAKeptAppointment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, clk := build(t, db)
		ctx := context.Background()
		ctr := bookable(t, svc)
		person, err := svc.Registry.CreatePerson(ctx, audit.System, registry.PersonInput{
			Surname: "OKAFOR", GivenNames: "CHINEDU", Sex: "M", BirthDate: "1950-06-01", Nationality: "NGA"})
		if err != nil {
			t.Fatal(err)
		}
		a := bookAt(t, svc.Appointments, person.ID, ctr.ID, shanghai(time.November, 30, 10, 0))
		reg := applications.Registration{PersonID: person.ID, BusinessType: "visa_extension", CentreID: ctr.ID, AppointmentID: a.ID}
		off := audit.Actor{ID: "officer-1", Role: "officer"}
		clk.Set(shanghai(time.November, 30, 10, 5))
		if _, err := svc.Applications.Register(ctx, off, reg); !apperr.Is(err, "appointment_not_yet_kept") {
			t.Fatalf("registered at an appointment not yet kept: %v", err)
		}
		if _, err := svc.Appointments.MarkAttendance(ctx, officerCh, a.ID, appointments.Attended); err != nil {
			t.Fatal(err)
		}
		rec, err := svc.Applications.Register(ctx, off, reg)
		if err != nil {
			t.Fatal(err)
		}
		if rec.AppointmentID != a.ID || rec.Centre.Name != ctr.Name || rec.Centre.Address != ctr.Address {
			t.Fatalf("application %+v, want it at %v", rec.Application, ctr.Name)
		}
	})
}

// TestDirectoryAdapterNamesTheCentre: applications read a centre's name
// and address from the directory, and learn when it is no longer listed.
func TestDirectoryAdapterNamesTheCentre(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctr := firstCenter(t, svc)
		d := Directory{Dir: svc.Directory}
		got, found, err := d.Centre(context.Background(), ctr.ID)
		if err != nil || !found || got.Name != ctr.Name || got.Address != ctr.Address {
			t.Fatalf("centre %+v %v %v, want %v", got, found, err, ctr.Name)
		}
		if _, found, err := d.Centre(context.Background(), "no-such-centre"); found || err != nil {
			t.Fatalf("unknown centre: %v %v", found, err)
		}
	})
}
