package appointments

import (
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
)

// The statements in this file are the whole of the capacity guarantee.
// They are plain SQL that both PostgreSQL and SQLite accept.

// lockPerson serialises a person's own bookings and changes. On PostgreSQL
// the UPDATE holds the row lock until commit, so a second transaction for
// the same person waits here and then counts what the first one wrote
// (READ COMMITTED takes a fresh snapshot per statement). SQLite already
// serialises every write transaction (BEGIN IMMEDIATE).
func lockPerson(tx *gorm.DB, personID string, now time.Time) error {
	if err := tx.Exec(`INSERT INTO appointment_persons (person_id, touched_at) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, personID, now).Error; err != nil {
		return internal("person row", err)
	}
	if err := tx.Exec(`UPDATE appointment_persons SET touched_at = ? WHERE person_id = ?`, now, personID).Error; err != nil {
		return internal("lock person", err)
	}
	return nil
}

// checkPersonRules enforces one active appointment per business type and
// at most MaxActive in total. It must run after lockPerson in the same
// transaction. An appointment whose slot has ended no longer counts even if
// no officer recorded attendance, so a person is never blocked by one.
func checkPersonRules(tx *gorm.DB, personID, business, exceptID string, now time.Time) error {
	var active []string
	err := tx.Model(&appointmentRow{}).
		Where("person_id = ? AND status = ? AND slot_end > ? AND id <> ?", personID, string(Booked), now, exceptID).
		Pluck("business", &active).Error
	if err != nil {
		return internal("count active", err)
	}
	for _, b := range active {
		if b == business {
			return errDuplicateBusiness
		}
	}
	if len(active) >= MaxActive {
		return errTooManyActive
	}
	return nil
}

// seat names one slot counter.
type seat struct {
	centerID string
	group    string
	start    time.Time
}

func (a seat) less(b seat) bool {
	if a.group != b.group {
		return a.group < b.group
	}
	return a.start.Before(b.start)
}

// takeSeat books one seat of a slot or fails with slot_full. The counter row
// is created on first use; the conditional UPDATE either increments it
// below capacity or touches nothing, and the database decides which while
// holding the row lock, so concurrent bookings cannot overshoot.
func takeSeat(tx *gorm.DB, st seat, capacity int) error {
	err := tx.Exec(`INSERT INTO slot_bookings (center_id, business_group, slot_start, capacity, booked)
		VALUES (?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`, st.centerID, st.group, st.start, capacity).Error
	if err != nil {
		return internal("create slot counter", err)
	}
	res := tx.Exec(`UPDATE slot_bookings SET booked = booked + 1
		WHERE center_id = ? AND business_group = ? AND slot_start = ? AND booked < capacity`,
		st.centerID, st.group, st.start)
	if res.Error != nil {
		return internal("take seat", res.Error)
	}
	if res.RowsAffected == 0 {
		return errSlotFull
	}
	return nil
}

// releaseSeat gives a seat back. A counter already at zero means the books
// disagree with the appointments, which must not be papered over.
func releaseSeat(tx *gorm.DB, st seat) error {
	res := tx.Exec(`UPDATE slot_bookings SET booked = booked - 1
		WHERE center_id = ? AND business_group = ? AND slot_start = ? AND booked > 0`,
		st.centerID, st.group, st.start)
	if res.Error != nil {
		return internal("release seat", res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.Internal("appointments: release seat %s/%s/%s: counter already empty",
			st.centerID, st.group, st.start.Format(time.RFC3339))
	}
	return nil
}
