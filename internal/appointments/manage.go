package appointments

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// Get returns personID's appointment id. Another person's appointment is
// reported as not found, never as forbidden, so IDs cannot be probed.
func (s *Service) Get(ctx context.Context, personID, id string) (Appointment, error) {
	row, err := loadOwn(s.db.Gorm.WithContext(ctx), personID, id)
	if err != nil {
		return Appointment{}, err
	}
	return s.named(ctx, row.appointment(), nil)
}

func loadOwn(db *gorm.DB, personID, id string) (appointmentRow, error) {
	var row appointmentRow
	err := db.Where("id = ? AND person_id = ?", id, personID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, errNotFound
	}
	if err != nil {
		return row, internal("load appointment", err)
	}
	return row, nil
}

// List returns a page of personID's appointments, most recently booked
// first. UUIDv7 IDs sort by creation, so the ID is the keyset cursor.
func (s *Service) List(ctx context.Context, personID string, p paging.Request) (paging.Page[Appointment], error) {
	q := s.db.Gorm.WithContext(ctx).Where("person_id = ?", personID)
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	var rows []appointmentRow
	if err := q.Order("id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Appointment]{}, internal("list appointments", err)
	}
	list := toAppointments(rows)
	if err := s.nameAll(ctx, list); err != nil {
		return paging.Page[Appointment]{}, err
	}
	return paging.Build(list, p.Limit, func(a Appointment) string { return a.ID }), nil
}

func toAppointments(rows []appointmentRow) []Appointment {
	out := make([]Appointment, len(rows))
	for i, r := range rows {
		out[i] = r.appointment()
	}
	return out
}

// Cancel cancels personID's appointment and gives the seat back, up to
// ChangeDeadline before the start, and tells the person.
func (s *Service) Cancel(ctx context.Context, by audit.Actor, personID, id string) (Appointment, error) {
	// Read first to name the centre for the notice: an appointment never
	// changes centre, so the transaction below can rely on it.
	cur, err := s.Get(ctx, personID, id)
	if err != nil {
		return Appointment{}, err
	}
	now := s.clock.Now().UTC()
	var out Appointment
	err = s.transact(ctx, func(tx *gorm.DB) error {
		row, err := loadOwn(tx, personID, id)
		if err != nil {
			return err
		}
		if Status(row.Status) != Booked {
			return errNotActive
		}
		if now.After(row.SlotStart.Add(-ChangeDeadline)) {
			return errCancelTooLate
		}
		before := row.appointment()
		if err := markCancelled(tx, &row, now, cancelReasonByPerson()); err != nil {
			return err
		}
		if err := releaseSeat(tx, seat{row.CenterID, row.BusinessGroup, row.SlotStart}); err != nil {
			return err
		}
		out = row.appointment()
		if err := audit.Write(tx, now, audit.Entry{Actor: by,
			Action: "appointment.cancel", Entity: "appointment", EntityID: id,
			Before: before, After: out}); err != nil {
			return err
		}
		out.CenterName, out.CenterAddress = cur.CenterName, cur.CenterAddress
		if _, err := notifications.Add(tx, now, cancelledNotice(out, by)); err != nil {
			return internal("cancellation notification", err)
		}
		return nil
	})
	return out, internalUnless(err, nil)
}

// markCancelled moves row from booked to cancelled. The status in the WHERE
// clause makes a concurrent change (another cancel, a closure) lose cleanly
// instead of releasing the seat twice.
func markCancelled(tx *gorm.DB, row *appointmentRow, now time.Time, reason [2]string) error {
	res := tx.Model(&appointmentRow{}).
		Where("id = ? AND status = ? AND slot_start = ?", row.ID, string(Booked), row.SlotStart).
		Updates(map[string]any{"status": string(Cancelled), "cancelled_at": now, "updated_at": now,
			"sequence": gorm.Expr("sequence + 1"), "cancel_reason_en": reason[0], "cancel_reason_zh": reason[1]})
	if res.Error != nil {
		return internal("cancel", res.Error)
	}
	if res.RowsAffected == 0 {
		return errNotActive
	}
	row.Status, row.CancelledAt, row.UpdatedAt = string(Cancelled), &now, now
	row.Sequence++
	row.CancelReasonEn, row.CancelReasonZh = reason[0], reason[1]
	return nil
}

func cancelReasonByPerson() [2]string {
	return [2]string{"Cancelled at your request.", "应您的要求已取消。"}
}

// Reschedule moves personID's appointment to newStart in one transaction:
// the old seat is released and the new one taken together, so at no moment
// does the person hold both or neither. If the new slot is full, or
// overlaps another of the person's appointments, nothing changes. The
// person is told of the move.
func (s *Service) Reschedule(ctx context.Context, by audit.Actor, personID, id string, newStart time.Time) (Appointment, error) {
	newStart = newStart.UTC()
	cur, err := s.Get(ctx, personID, id)
	if err != nil {
		return Appointment{}, err
	}
	now := s.clock.Now().UTC()
	switch {
	case cur.Status != Booked:
		return Appointment{}, errNotActive
	case now.After(cur.Start.Add(-ChangeDeadline)):
		return Appointment{}, errRescheduleTooLate
	case cur.Start.Equal(newStart):
		return Appointment{}, errSameSlot
	}
	sc, err := s.schedule(ctx, cur.CenterID)
	if err != nil {
		return Appointment{}, err
	}
	t, err := s.resolve(ctx, sc, cur.Business, newStart)
	if err != nil {
		return Appointment{}, err
	}
	var out Appointment
	err = s.transact(ctx, func(tx *gorm.DB) error {
		if err := lockPerson(tx, personID, now); err != nil {
			return err
		}
		if err := checkOverlap(tx, personID, t.start, t.end, cur.ID); err != nil {
			return err
		}
		if err := s.centers.HoldTx(storage.TxOf(tx), t.sched.ID); err != nil {
			return err
		}
		g, err := s.holdGroup(tx, t, cur.Business)
		if err != nil {
			return err
		}
		if err := s.stillOpen(tx, t); err != nil {
			return err
		}
		row, err := moveAppointment(tx, cur, t, now)
		if err != nil {
			return err
		}
		if err := swapSeats(tx, seat{cur.CenterID, cur.Group, cur.Start}, seat{t.sched.ID, g.Name, t.start}, g.Capacity); err != nil {
			return err
		}
		out = row.appointment()
		if err := audit.Write(tx, now, audit.Entry{Actor: by,
			Action: "appointment.reschedule", Entity: "appointment", EntityID: id,
			Before: cur, After: out}); err != nil {
			return err
		}
		out.CenterName, out.CenterAddress = cur.CenterName, cur.CenterAddress
		if _, err := notifications.Add(tx, now, rescheduledNotice(cur, out, by)); err != nil {
			return internal("reschedule notification", err)
		}
		return nil
	})
	return out, internalUnless(s.explainOverlap(ctx, err), nil)
}

// moveAppointment points the appointment at the new slot, provided it is
// still booked at the slot the caller saw.
func moveAppointment(tx *gorm.DB, cur Appointment, t target, now time.Time) (appointmentRow, error) {
	res := tx.Model(&appointmentRow{}).
		Where("id = ? AND status = ? AND slot_start = ? AND business_group = ?", cur.ID, string(Booked), cur.Start, cur.Group).
		Updates(map[string]any{"slot_start": t.start, "slot_end": t.end, "business_group": t.group.Name,
			"updated_at": now, "sequence": gorm.Expr("sequence + 1")})
	if res.Error != nil {
		return appointmentRow{}, internal("move appointment", res.Error)
	}
	if res.RowsAffected == 0 {
		return appointmentRow{}, errNotActive
	}
	return loadOwn(tx, cur.PersonID, cur.ID)
}

// swapSeats releases old and takes new, touching the two counters in a
// fixed order so that two people swapping slots cannot deadlock.
func swapSeats(tx *gorm.DB, old, new seat, capacity int) error {
	if new.less(old) {
		if err := takeSeat(tx, new, capacity); err != nil {
			return err
		}
		return releaseSeat(tx, old)
	}
	if err := releaseSeat(tx, old); err != nil {
		return err
	}
	return takeSeat(tx, new, capacity)
}
