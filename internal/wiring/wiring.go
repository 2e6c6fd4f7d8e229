// Package wiring adapts one capability's service to the small interface
// another capability declares for what it consumes: the directory as the
// appointments' centre schedules, the registry and the directory as the
// applications' applicants and calendar, the registry as the e-documents'
// holders. It also builds every hook the directory runs for the
// capabilities that depend on its centres (centreHooks). Keeping the
// adapters and hooks here lets each domain package stay ignorant of the
// others, and lets the binary and the cross-capability tests build the same
// graph. Nothing under internal/ but this package imports it.
package wiring

import (
	"context"
	"time"

	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
)

// Centers serves the directory as appointments.Centers.
type Centers struct{ Dir *directory.Service }

var _ appointments.Centers = Centers{}

// HoldTx holds the centre's row for the booking transaction tx
// (directory.HoldCenterTx).
func (c Centers) HoldTx(tx storage.Tx, id string) error {
	err := c.Dir.HoldCenterTx(tx, id)
	if isNotFound(err) {
		return appointments.ErrCenterNotFound
	}
	return err
}

// PeriodsTx is the centre's opening periods on d as tx sees them
// (directory.PeriodsOnTx).
func (c Centers) PeriodsTx(tx storage.Tx, id string, d calendar.Date) ([]appointments.Period, error) {
	ps, err := c.Dir.PeriodsOnTx(tx, id, d)
	if err != nil {
		return nil, err
	}
	return periods(ps), nil
}

// periods gives the directory's opening periods, in minutes after
// midnight, as the offsets appointments count slots in.
func periods(ps []directory.Period) []appointments.Period {
	if len(ps) == 0 {
		return nil
	}
	out := make([]appointments.Period, len(ps))
	for i, p := range ps {
		out[i] = appointments.Period{Start: time.Duration(p.Opens) * time.Minute, End: time.Duration(p.Closes) * time.Minute}
	}
	return out
}

// Schedule returns a centre's handled business, weekly hours, closures and
// the working-day calendar.
func (c Centers) Schedule(ctx context.Context, id string) (appointments.CenterSchedule, error) {
	ctr, err := c.Dir.Center(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return appointments.CenterSchedule{}, appointments.ErrCenterNotFound
		}
		return appointments.CenterSchedule{}, err
	}
	cal, err := c.Dir.Calendar(ctx)
	if err != nil {
		return appointments.CenterSchedule{}, err
	}
	weekly := map[time.Weekday][]appointments.Period{}
	for iso := 1; iso <= 7; iso++ {
		if ps := periods(ctr.Hours[iso]); ps != nil {
			weekly[time.Weekday(iso%7)] = ps
		}
	}
	closures := make([]calendar.Date, 0, len(ctr.Closures))
	for _, cl := range ctr.Closures {
		closures = append(closures, cl.Date)
	}
	return appointments.CenterSchedule{
		ID: ctr.ID, Name: ctr.Name, Address: ctr.Address, Businesses: ctr.Businesses,
		Weekly: weekly, Closures: closures, Calendar: cal,
	}, nil
}

// Applicants serves the registry as applications.Applicants.
type Applicants struct{ Reg *registry.Service }

var _ applications.Applicants = Applicants{}

// Exists reports whether personID is in the registry.
func (a Applicants) Exists(ctx context.Context, personID string) (bool, error) {
	_, err := a.Reg.Person(ctx, personID)
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil
	}
	return false, err
}

// MatchesPassport reports whether personID was born on birthDate and holds
// or held a passport numbered passportNumber.
func (a Applicants) MatchesPassport(ctx context.Context, personID, passportNumber, birthDate string) (bool, error) {
	rec, err := a.Reg.Record(ctx, personID)
	if err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, err
	}
	if rec.Person.BirthDate.String() != birthDate {
		return false, nil
	}
	for _, p := range rec.Passports {
		if p.Number == passportNumber {
			return true, nil
		}
	}
	return false, nil
}

// Directory serves the directory as applications.Directory.
type Directory struct{ Dir *directory.Service }

var _ applications.Directory = Directory{}

// HoldTx holds the centre's row for the registration transaction tx
// (directory.HoldCenterTx).
func (d Directory) HoldTx(tx storage.Tx, id string) error {
	err := d.Dir.HoldCenterTx(tx, id)
	if isNotFound(err) {
		return applications.ErrCentreGone
	}
	return err
}

// Calendar is the working-day calendar officers keep in the directory.
func (d Directory) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	return d.Dir.Calendar(ctx)
}

// Centre names a centre as the directory lists it now; found is false for
// one it no longer lists.
func (d Directory) Centre(ctx context.Context, id string) (applications.Centre, bool, error) {
	c, err := d.Dir.Center(ctx, id)
	if isNotFound(err) {
		return applications.Centre{}, false, nil
	}
	if err != nil {
		return applications.Centre{}, false, err
	}
	return applications.Centre{Name: c.Name, Address: c.Address}, true, nil
}

// Visits serves appointments as applications.Appointments.
type Visits struct{ Appts *appointments.Service }

var _ applications.Appointments = Visits{}

// Visit returns personID's appointment id as an application checks it.
func (v Visits) Visit(ctx context.Context, personID, id string) (applications.Visit, bool, error) {
	a, err := v.Appts.Get(ctx, personID, id)
	if isNotFound(err) {
		return applications.Visit{}, false, nil
	}
	if err != nil {
		return applications.Visit{}, false, err
	}
	return applications.Visit{CentreID: a.CenterID, BusinessType: a.Business, State: visitState(a.Status)}, true, nil
}

// visitState is how far an appointment in status st has got: attended is
// the only kept one; booked is still ahead even on its day, until the
// counter records the person came.
func visitState(st appointments.Status) applications.VisitState {
	switch st {
	case appointments.Attended:
		return applications.VisitKept
	case appointments.Booked:
		return applications.VisitAhead
	default: // cancelled, no_show
		return applications.VisitMissed
	}
}
