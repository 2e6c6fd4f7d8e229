package appointments

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// A person is in one place at a time: no two of their appointments may
// overlap, whatever the centres. The rule is kept by the same means as the
// other per-person rules: the booking or rescheduling transaction first
// takes the person's row lock (lockPerson), then looks for an overlapping
// appointment. Two transactions for one person therefore run one after the
// other, and the second one's query (a fresh snapshot per statement under
// READ COMMITTED) sees what the first committed. On SQLite every write
// transaction already runs alone (BEGIN IMMEDIATE).
//
// An exclusion constraint (EXCLUDE USING gist with tstzrange &&) would say
// the same in the schema on PostgreSQL, but it needs the btree_gist
// extension, which a managed database may not let the service create, and
// SQLite has no equivalent, so the two dialects would enforce the rule
// differently. The lock is already taken for the other rules and costs
// nothing more.

// holdingTime are the statuses in which an appointment occupies the
// person's time: booked, or attended (marked on the day, possibly before the
// slot ends). A cancelled or missed appointment frees it.
var holdingTime = []string{string(Booked), string(Attended)}

// overlapError carries the appointment a booking would overlap out of the
// transaction, which is rolled back before the centre is named.
type overlapError struct{ with appointmentRow }

func (e *overlapError) Error() string {
	return "appointments: overlaps appointment " + e.with.ID
}

// checkOverlap refuses [start, end) when personID already holds an
// appointment that overlaps it, other than exceptID (the one being
// rescheduled). It must run after lockPerson in the same transaction.
func checkOverlap(tx *gorm.DB, personID string, start, end time.Time, exceptID string) error {
	var rows []appointmentRow
	err := tx.Where("person_id = ? AND id <> ? AND status IN ? AND slot_start < ? AND slot_end > ?",
		personID, exceptID, holdingTime, end, start).
		Order("slot_start, id").Limit(1).Find(&rows).Error
	if err != nil {
		return internal("overlapping appointments", err)
	}
	if len(rows) > 0 {
		return &overlapError{with: rows[0]}
	}
	return nil
}

// explainOverlap turns an overlapError into the 409 the person reads,
// naming the appointment in the way: what, where, when, and its
// confirmation code. Any other error passes through.
func (s *Service) explainOverlap(ctx context.Context, err error) error {
	var ov *overlapError
	if !errors.As(err, &ov) {
		return err
	}
	a := ov.with.appointment()
	if nerr := s.name(ctx, []*Appointment{&a}); nerr != nil {
		return nerr
	}
	return overlapConflict(a)
}

func overlapConflict(a Appointment) error {
	loc := clock.Shanghai()
	day, from, to := a.Start.In(loc).Format("2006-01-02"), a.Start.In(loc).Format("15:04"), a.End.In(loc).Format("15:04")
	name := BusinessName(a.Business)
	return &apperr.Error{Kind: apperr.KindConflict, Code: "appointment_overlap", Field: "slot_start",
		ConflictsWith: a.ID, Message: i18n.T(
			fmt.Sprintf("You already have an appointment at this time: %s at %s on %s, %s–%s (confirmation code %s). One person can attend only one appointment at a time; choose a time that does not overlap it, or cancel that appointment first.",
				name.En, a.CenterName.En, day, from, to, a.ConfirmationCode),
			fmt.Sprintf("您在该时段已有预约：%s %s–%s 在%s办理%s（确认码 %s）。同一时间只能办理一个预约，请选择不与其重叠的时间，或先取消该预约。",
				day, from, to, a.CenterName.Zh, name.Zh, a.ConfirmationCode))}
}
