package appointments

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// CenterDay lists a centre's appointments on date, in every status, by
// start time — the officers' list for the day. The cursor is "start|id".
func (s *Service) CenterDay(ctx context.Context, centerID string, date calendar.Date, p paging.Request) (paging.Page[Appointment], error) {
	if _, err := s.schedule(ctx, centerID); err != nil {
		return paging.Page[Appointment]{}, err
	}
	from, to := dayBounds(date)
	q := s.db.Gorm.WithContext(ctx).Where("center_id = ? AND slot_start >= ? AND slot_start < ?", centerID, from, to)
	if p.After != "" {
		at, id, ok := splitDayCursor(p.After)
		if !ok {
			return paging.Page[Appointment]{}, paging.ErrBadCursor
		}
		q = q.Where("(slot_start > ? OR (slot_start = ? AND id > ?))", at, at, id)
	}
	var rows []appointmentRow
	if err := q.Order("slot_start, id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Appointment]{}, internal("centre day", err)
	}
	list := toAppointments(rows)
	if err := s.nameAll(ctx, list); err != nil {
		return paging.Page[Appointment]{}, err
	}
	return paging.Build(list, p.Limit, func(a Appointment) string {
		return strconv.FormatInt(a.Start.Unix(), 10) + "|" + a.ID
	}), nil
}

func splitDayCursor(s string) (time.Time, string, bool) {
	sec, id, ok := strings.Cut(s, "|")
	n, err := strconv.ParseInt(sec, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", false
	}
	return time.Unix(n, 0).UTC(), id, true
}

// MarkAttendance records whether the person came. It can be corrected later
// (attended ↔ no_show) but never applies to a cancelled appointment or
// before the day of the appointment. Every change is audited.
func (s *Service) MarkAttendance(ctx context.Context, by audit.Actor, id string, status Status) (Appointment, error) {
	if status != Attended && status != NoShow {
		return Appointment{}, errAttendanceStatus
	}
	now := s.clock.Now().UTC()
	var out Appointment
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var row appointmentRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return notFoundOr(err)
		}
		if Status(row.Status) == Cancelled {
			return errNotActive
		}
		dayStart, _ := dayBounds(calendar.LocalDate(row.SlotStart))
		if now.Before(dayStart) {
			return errAttendanceTooEarly
		}
		before := row.appointment()
		res := tx.Model(&appointmentRow{}).Where("id = ? AND status <> ?", id, string(Cancelled)).
			Updates(map[string]any{"status": string(status), "updated_at": now})
		if res.Error != nil {
			return internal("attendance", res.Error)
		}
		if res.RowsAffected == 0 {
			return errNotActive
		}
		row.Status, row.UpdatedAt = string(status), now
		out = row.appointment()
		return audit.Write(tx, now, audit.Entry{Actor: by,
			Action: "appointment.attendance", Entity: "appointment", EntityID: id,
			Before: before, After: out})
	})
	return s.named(ctx, out, internalUnless(err, nil))
}

func notFoundOr(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNotFound
	}
	return internal("load appointment", err)
}

// CancelForClosure cancels every appointment at a centre on date that has
// not begun, in one transaction, releases their seats and leaves each
// person a bilingual notification; it returns how many it cancelled.
func (s *Service) CancelForClosure(ctx context.Context, centerID string, date calendar.Date, reason i18n.Text) (int, error) {
	n := 0
	err := s.transact(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = s.CancelForClosureTx(storage.TxOf(tx), centerID, date, reason)
		return err
	})
	return n, internalUnless(err, nil)
}

// CancelForClosureTx does what CancelForClosure does inside the caller's
// transaction, so a closure and its cancellations commit together.
func (s *Service) CancelForClosureTx(tx storage.Tx, centerID string, date calendar.Date, reason i18n.Text) (int, error) {
	closed := func(string, calendar.Date) ([]Period, error) { return nil, nil }
	return s.CancelUnservableTx(tx, []string{centerID}, date, date, closed, reason)
}

// DayPeriods gives a centre's opening periods on a day, as the calling
// transaction sees them.
type DayPeriods func(centerID string, d calendar.Date) ([]Period, error)

// CancelUnservableTx cancels, inside the caller's transaction, every booked
// appointment that has not begun, at centres centerIDs (all when nil) on
// days from..to, that no longer lies within its centre's opening periods:
// after a closure, a public holiday, a withdrawn make-up day or new weekly
// hours. Each is cancelled with its seat released, a bilingual notice
// giving reason and an audit entry; it returns how many it cancelled.
// Appointments that have begun keep their record for attendance.
func (s *Service) CancelUnservableTx(t storage.Tx, centerIDs []string, from, to calendar.Date, periods DayPeriods, reason i18n.Text) (int, error) {
	tx := t.Gorm()
	now := s.clock.Now().UTC()
	lo, _ := dayBounds(from)
	_, hi := dayBounds(to)
	q := tx.Where("status = ? AND slot_start > ? AND slot_start >= ? AND slot_start < ?", string(Booked), now, lo, hi)
	if centerIDs != nil {
		q = q.Where("center_id IN ?", centerIDs)
	}
	var rows []appointmentRow
	if err := q.Find(&rows).Error; err != nil {
		return 0, internal("appointments to check", err)
	}
	type day struct {
		center string
		date   calendar.Date
	}
	open := map[day][]Period{}
	var gone []appointmentRow
	for _, r := range rows {
		k := day{r.CenterID, calendar.LocalDate(r.SlotStart)}
		ps, seen := open[k]
		if !seen {
			var err error
			if ps, err = periods(k.center, k.date); err != nil {
				return 0, internal("opening periods", err)
			}
			open[k] = ps
		}
		if !within(ps, k.date, r.SlotStart, r.SlotEnd) {
			gone = append(gone, r)
		}
	}
	// Counters in a fixed order, as swapSeats does, to keep lock order.
	sort.Slice(gone, func(i, j int) bool {
		a, b := gone[i], gone[j]
		if a.CenterID != b.CenterID {
			return a.CenterID < b.CenterID
		}
		return seat{"", a.BusinessGroup, a.SlotStart}.less(seat{"", b.BusinessGroup, b.SlotStart})
	})
	n := 0
	for i := range gone {
		row := &gone[i]
		before := row.appointment()
		if err := markCancelled(tx, row, now, [2]string{reason.En, reason.Zh}); err != nil {
			if errors.Is(err, errNotActive) {
				continue // changed since we read it: no longer ours to cancel
			}
			return 0, err
		}
		if err := releaseSeat(tx, seat{row.CenterID, row.BusinessGroup, row.SlotStart}); err != nil {
			return 0, err
		}
		if _, err := notifications.Add(tx, now, closureNotice(*row, reason)); err != nil {
			return 0, internal("closure notification", err)
		}
		err := audit.Write(tx, now, audit.Entry{Actor: audit.System, Action: "appointment.cancel_for_closure",
			Entity: "appointment", EntityID: row.ID, Before: before, After: row.appointment()})
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

func closureNotice(row appointmentRow, reason i18n.Text) notifications.Notification {
	local := row.SlotStart.In(clock.Shanghai())
	when := local.Format("2006-01-02 15:04")
	name := BusinessName(row.Business)
	return notifications.Notification{
		PersonID: row.PersonID, Kind: "appointment.cancelled", Ref: row.ID,
		Subject: i18n.T(
			fmt.Sprintf("Your appointment on %s was cancelled", when),
			fmt.Sprintf("您 %s 的预约已取消", when)),
		Body: i18n.T(
			fmt.Sprintf("The service centre is not open at the time of your appointment on %s, so your appointment for %s (confirmation code %s) was cancelled. Reason: %s Please book another time.",
				local.Format("2006-01-02"), name.En, row.ConfirmationCode, reason.En),
			fmt.Sprintf("服务中心于 %s 您预约的时段不办公，您的%s预约（确认码 %s）已取消。原因：%s 请另行预约。",
				local.Format("2006-01-02"), name.Zh, row.ConfirmationCode, reason.Zh)),
	}
}

// RefuseIfBookedTx answers a conflict while anyone holds a booked
// appointment at centerID that has not yet begun: removing the centre would
// leave them booked at a place that no longer exists. It runs inside the
// transaction that removes the centre (a directory.DeleteHook).
func (s *Service) RefuseIfBookedTx(tx storage.Tx, centerID string) error {
	var n int64
	err := tx.Gorm().Model(&appointmentRow{}).Where("center_id = ? AND status = ? AND slot_start >= ?",
		centerID, string(Booked), s.clock.Now().UTC()).Count(&n).Error
	if err != nil {
		return internal("centre bookings", err)
	}
	if n > 0 {
		return apperr.Conflict("service_center_has_bookings", i18n.T(
			fmt.Sprintf("%d appointments are still booked at this centre. Close its days first (which cancels them with notice), or wait until they are past.", n),
			fmt.Sprintf("该服务中心仍有 %d 个有效预约。请先设置闭馆日（将取消预约并通知预约人），或待预约时间过后再删除。", n)))
	}
	return nil
}
