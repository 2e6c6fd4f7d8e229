package appointments

import (
	"time"

	"github.com/fprlink/fprlink/internal/i18n"
)

// The gorm row types. They mirror migrations/*/00500_appointments.sql and
// stay separate from the domain types above; TestRowsMatchSchema keeps them
// in step with the migrated tables on both dialects.

type appointmentRow struct {
	ID               string `gorm:"primaryKey"`
	PersonID         string
	CenterID         string
	Business         string
	BusinessGroup    string
	SlotStart        time.Time
	SlotEnd          time.Time
	Status           string
	ConfirmationCode string
	BookedBy         string
	Sequence         int
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CancelledAt      *time.Time
	CancelReasonEn   string
	CancelReasonZh   string
}

func (appointmentRow) TableName() string { return "appointments" }

func (r appointmentRow) appointment() Appointment {
	a := Appointment{
		ID: r.ID, PersonID: r.PersonID, CenterID: r.CenterID, Business: r.Business,
		Group: r.BusinessGroup, Start: r.SlotStart.UTC(), End: r.SlotEnd.UTC(),
		Status: Status(r.Status), ConfirmationCode: r.ConfirmationCode, BookedBy: r.BookedBy,
		Sequence: r.Sequence, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		CancelReason: i18n.T(r.CancelReasonEn, r.CancelReasonZh),
	}
	if r.CancelledAt != nil {
		t := r.CancelledAt.UTC()
		a.CancelledAt = &t
	}
	return a
}

type groupRow struct {
	CenterID    string `gorm:"primaryKey"`
	Name        string `gorm:"primaryKey"`
	SlotMinutes int
	Capacity    int
	UpdatedAt   time.Time
}

func (groupRow) TableName() string { return "appointment_slot_groups" }

type groupBusinessRow struct {
	CenterID  string `gorm:"primaryKey"`
	Business  string `gorm:"primaryKey"`
	GroupName string
}

func (groupBusinessRow) TableName() string { return "appointment_slot_group_businesses" }

type windowRow struct {
	CenterID  string `gorm:"primaryKey"`
	FromDays  int
	ToDays    int
	UpdatedAt time.Time
}

func (windowRow) TableName() string { return "appointment_windows" }

type counterRow struct {
	CenterID      string    `gorm:"primaryKey"`
	BusinessGroup string    `gorm:"primaryKey"`
	SlotStart     time.Time `gorm:"primaryKey"`
	Capacity      int
	Booked        int
}

func (counterRow) TableName() string { return "slot_bookings" }

type personRow struct {
	PersonID  string `gorm:"primaryKey"`
	TouchedAt time.Time
}

func (personRow) TableName() string { return "appointment_persons" }

type idempotencyRow struct {
	PersonID      string `gorm:"primaryKey"`
	IdemKey       string `gorm:"primaryKey"`
	RequestHash   string
	AppointmentID string
	CreatedAt     time.Time
}

func (idempotencyRow) TableName() string { return "appointment_idempotency" }
