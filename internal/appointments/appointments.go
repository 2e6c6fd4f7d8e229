// Package appointments books in-person appointments at service centres for
// visa and permit business, and guarantees that no slot is ever overbooked.
//
// Capacity is enforced by the database, never by a read-then-write in Go:
// every bookable slot has a counter row (slot_bookings) created with
// INSERT … ON CONFLICT DO NOTHING and taken with a conditional
// UPDATE … SET booked = booked + 1 WHERE booked < capacity, backed by a CHECK
// constraint. A person's own rules (one active appointment per business type,
// at most three in total, never two at overlapping times at any centre) are
// checked after locking a per-person row, so two concurrent bookings by the
// same person cannot both pass.
//
// Every booking, move and cancellation leaves the person a bilingual
// notification, and every appointment returned names its centre as the
// directory lists it.
//
// Centres themselves (opening hours, closures, the working-day calendar)
// belong to the directory; this package sees them only through the small
// Centers interface it declares.
package appointments

import (
	"time"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Status of an appointment.
type Status string

// The states an appointment moves through. Only Booked is active.
const (
	Booked    Status = "booked"
	Cancelled Status = "cancelled"
	Attended  Status = "attended"
	NoShow    Status = "no_show"
)

var statusLabels = map[Status]i18n.Text{
	Booked:    i18n.T("Booked", "已预约"),
	Cancelled: i18n.T("Cancelled", "已取消"),
	Attended:  i18n.T("Attended", "已到场办理"),
	NoShow:    i18n.T("Missed", "未到场"),
}

// Label names the status for the person reading it.
func (s Status) Label() i18n.Text { return i18n.Label(statusLabels, s) }

// IsBusiness reports whether code is a known business type.
func IsBusiness(code string) bool { return business.Valid(code) }

// BusinessName is the bilingual name of a business type, the catalogue's,
// so a booking names its business as the directory and guidelines do.
func BusinessName(code string) i18n.Text {
	if t, ok := business.Lookup(code); ok {
		return t.Name
	}
	return i18n.T(code, code)
}

// Rules of the service.
const (
	// MaxActive is how many active appointments one person may hold.
	MaxActive = 3
	// ChangeDeadline is how long before the start an appointment can still
	// be cancelled or rescheduled: the centre plans its staff from then on.
	ChangeDeadline = 2 * time.Hour
)

// Appointment is a booked visit.
type Appointment struct {
	ID               string
	PersonID         string
	CenterID         string
	Business         string
	Group            string
	Start            time.Time
	End              time.Time
	Status           Status
	ConfirmationCode string
	BookedBy         string
	Sequence         int // bumped on every change, the ICS SEQUENCE
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CancelledAt      *time.Time
	CancelReason     i18n.Text

	// CenterName and CenterAddress are the centre as the directory lists it
	// when the appointment is read, filled in by every method that returns
	// one, so a person is always told where to go, not only an ID. They are
	// the directory's facts, not the appointment's, so audit snapshots of an
	// appointment leave them out.
	CenterName    i18n.Text `json:"-"`
	CenterAddress i18n.Text `json:"-"`
}

// Slot is one bookable interval and how many seats are left in it.
type Slot struct {
	Start     time.Time
	End       time.Time
	Capacity  int
	Remaining int
}

// DaySlots is the answer to "which slots are there on this day".
type DaySlots struct {
	CenterID string
	Business string
	Date     string
	Open     bool // false on a holiday, a closure or a day without hours
	InWindow bool // false when the day cannot be booked (yet)
	Slots    []Slot
}
