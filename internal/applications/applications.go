// Package applications follows a visa or permit application from the
// counter to collection: officers register it with a check-charactered
// application number and a legal deadline counted in working days, move it
// through the status machine (see next in status.go) with a timeline event
// per step, and the applicant follows it — signed in, or anonymously with
// the number, passport number and birth date.
//
// Each event carries a public note, shown to the applicant, and an internal
// note that only officer views carry: the applicant-facing type Public has
// no field that could hold it. Every step writes the status, its event, a
// notification to the applicant and an audit row in one transaction.
package applications

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Applicants is the identity registry as this package needs it.
type Applicants interface {
	// Exists reports whether personID is a registry person.
	Exists(ctx context.Context, personID string) (bool, error)
	// MatchesPassport reports whether personID holds (or held) a passport
	// numbered passportNumber and was born on birthDate (YYYY-MM-DD).
	MatchesPassport(ctx context.Context, personID, passportNumber, birthDate string) (bool, error)
}

// Directory is the service-centre directory as this package needs it.
type Directory interface {
	// HoldTx makes sure, inside the registration's transaction, that the
	// centre still exists and stays until the transaction ends, so a
	// registration and the centre's removal cannot cross
	// (ErrCentreGone when it is gone).
	HoldTx(tx storage.Tx, id string) error
	// Calendar is the working-day calendar (holidays, make-up days) that
	// deadlines are counted in.
	Calendar(ctx context.Context) (*calendar.Calendar, error)
	// Centre names a centre as the directory lists it now; found is false
	// for one it no longer lists.
	Centre(ctx context.Context, id string) (c Centre, found bool, err error)
}

// Centre is a service centre as an application names it to its reader.
type Centre struct {
	Name    i18n.Text
	Address i18n.Text
}

// Appointments reads the appointment an application says it was handed in
// at.
type Appointments interface {
	// Visit returns personID's appointment id; found is false when the
	// person has no appointment with that ID.
	Visit(ctx context.Context, personID, id string) (v Visit, found bool, err error)
}

// Visit is what an application checks of its appointment.
type Visit struct {
	CentreID     string
	BusinessType string
	State        VisitState
}

// VisitState is how far an appointment has got, as an application sees
// it. Only a kept appointment is the visit an application was handed in
// at; the zero value is one still to come.
type VisitState int

// The states of a visit.
const (
	// VisitAhead is booked, and the counter has not recorded the person
	// as having come.
	VisitAhead VisitState = iota
	// VisitKept is attended: the person came.
	VisitKept
	// VisitMissed is cancelled, or the person did not come.
	VisitMissed
)

// ProcessingTimes gives the legal processing time of a business type in
// working days; ok is false for an unknown code.
type ProcessingTimes interface {
	WorkingDays(ctx context.Context, businessCode string) (days int, ok bool, err error)
}

// Application is the state of one application.
type Application struct {
	ID             string
	Number         Number
	PersonID       string
	BusinessType   string
	CentreID       string
	Centre         Centre // as the directory lists it when read
	AppointmentID  string // the attended appointment, empty for a walk-in
	Status         Status
	SubmittedAt    time.Time
	ProcessingDays int
	Deadline       calendar.Date
	Overdue        bool // computed from the clock at read time
	RegisteredBy   string
	UpdatedAt      time.Time
}

// Event is one step of the timeline as officers see it.
type Event struct {
	ID           string
	FromStatus   Status // empty for registration
	Status       Status
	At           time.Time
	OfficerID    string
	PublicNote   i18n.Text
	InternalNote string
}

// Record is an application with its full timeline, for officers only.
type Record struct {
	Application
	Events []Event
}

// PublicEvent is one step of the timeline as the applicant sees it.
type PublicEvent struct {
	Status Status
	At     time.Time
	Note   i18n.Text
}

// Public is what the applicant sees: no officer identities, no internal
// notes, no registry person ID.
type Public struct {
	Number         Number
	BusinessType   string
	CentreID       string
	Centre         Centre
	Status         Status
	SubmittedAt    time.Time
	ProcessingDays int
	Deadline       calendar.Date
	Overdue        bool
	Timeline       []PublicEvent
}

// Options are a Service's optional collaborators.
type Options struct {
	// Appointments checks the appointment_id of a registration; without
	// it a registration that names an appointment is refused.
	Appointments Appointments
	// Random feeds application numbers; crypto/rand when nil.
	Random io.Reader
}

// Service is the applications capability.
type Service struct {
	db         *storage.DB
	clock      clock.Clock
	applicants Applicants
	directory  Directory
	processing ProcessingTimes
	visits     Appointments
	random     io.Reader
}

// New builds a Service; every argument but opts is required.
func New(db *storage.DB, clk clock.Clock, applicants Applicants, dir Directory, processing ProcessingTimes, opts Options) (*Service, error) {
	if db == nil || clk == nil || applicants == nil || dir == nil || processing == nil {
		return nil, errors.New("applications: db, clock, applicants, directory and processing times are required")
	}
	if opts.Random == nil {
		opts.Random = rand.Reader
	}
	return &Service{db: db, clock: clk, applicants: applicants,
		directory: dir, processing: processing, visits: opts.Appointments, random: opts.Random}, nil
}

// today is the current civil date at the centres.
func (s *Service) today() calendar.Date { return calendar.LocalDate(s.clock.Now()) }

// overdue reports whether a is past its deadline today.
func overdue(a Application, today calendar.Date) bool {
	return a.Status.pending() && a.Deadline.Before(today)
}

func (r Record) public() Public {
	p := Public{Number: r.Number, BusinessType: r.BusinessType, CentreID: r.CentreID, Centre: r.Centre,
		Status: r.Status, SubmittedAt: r.SubmittedAt, ProcessingDays: r.ProcessingDays,
		Deadline: r.Deadline, Overdue: r.Overdue, Timeline: make([]PublicEvent, len(r.Events))}
	for i, e := range r.Events {
		p.Timeline[i] = PublicEvent{Status: e.Status, At: e.At, Note: e.PublicNote}
	}
	return p
}
