package directory

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

var (
	errCodeTaken = apperr.Conflict("service_center_code_taken",
		i18n.T("Another service centre already uses this code.", "该代码已被其他服务中心使用。"))
	errClosureExists = apperr.Conflict("closure_exists",
		i18n.T("The centre already has a closure on this date.", "该服务中心在此日期已有闭馆安排。"))
	errNoClosure = apperr.NotFound("closure_not_found",
		i18n.T("The centre has no closure on this date.", "该服务中心在此日期没有闭馆安排。"))
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// write runs fn in one transaction and drops the snapshot after it commits,
// so the next read sees the change.
func (s *Service) write(ctx context.Context, fn func(tx *gorm.DB, now time.Time) error) error {
	now := s.clock.Now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(tx, now) })
	if err != nil {
		if _, typed := apperr.As(err); typed {
			return err
		}
		return apperr.Internal("directory: write: %w", err)
	}
	s.invalidate()
	return nil
}

// entry is the audit row of one officer change.
func entry(by audit.Actor, action, entity, id string, before, after any) audit.Entry {
	return audit.Entry{Actor: by, Action: action, Entity: entity, EntityID: id, Before: before, After: after}
}

// CreateCenter adds a centre with no opening hours yet.
func (s *Service) CreateCenter(ctx context.Context, by audit.Actor, in Particulars) (Center, error) {
	if err := in.Validate(); err != nil {
		return Center{}, err
	}
	c := Center{ID: newID(), Particulars: in.stored()}
	err := s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		row := rowOf(&c)
		row.CreatedAt, row.UpdatedAt = now, now
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errCodeTaken
			}
			return err
		}
		return audit.Write(tx, now, entry(by, "service_center.create", "service_center", c.ID, nil, row))
	})
	if err != nil {
		return Center{}, err
	}
	return s.Center(ctx, c.ID)
}

// UpdateCenter replaces a centre's particulars, keeping hours and closures.
func (s *Service) UpdateCenter(ctx context.Context, by audit.Actor, id string, in Particulars) (Center, error) {
	if err := in.Validate(); err != nil {
		return Center{}, err
	}
	c := Center{ID: id, Particulars: in.stored()}
	err := s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		before, err := findCenter(tx, id)
		if err != nil {
			return err
		}
		row := rowOf(&c)
		row.CreatedAt, row.UpdatedAt = before.CreatedAt, now
		if err := tx.Save(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errCodeTaken
			}
			return err
		}
		return audit.Write(tx, now, entry(by, "service_center.update", "service_center", id, before, row))
	})
	if err != nil {
		return Center{}, err
	}
	return s.Center(ctx, id)
}

// DeleteCenter removes a centre with its hours and closures.
func (s *Service) DeleteCenter(ctx context.Context, by audit.Actor, id string) error {
	return s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		// The row lock first: a booking in progress (HoldCenterTx) finishes
		// before the hook counts bookings, and a later one finds no centre.
		before, err := findCenter(storage.RowLock(tx, "UPDATE"), id)
		if err != nil {
			return err
		}
		if err := s.hooks.deleting(tx, id); err != nil {
			return err
		}
		for _, m := range []any{&hoursRow{}, &closureRow{}} {
			if err := tx.Where("center_id = ?", id).Delete(m).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&centerRow{}, "id = ?", id).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, entry(by, "service_center.delete", "service_center", id, before, nil))
	})
}

// SetHours replaces a centre's weekly opening periods.
func (s *Service) SetHours(ctx context.Context, by audit.Actor, id string, periods []OpeningPeriod) (Center, error) {
	week, err := BuildWeek(periods)
	if err != nil {
		return Center{}, err
	}
	err = s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := lockCenters(tx, []string{id}); err != nil {
			return err
		}
		var before []hoursRow
		if err := tx.Where("center_id = ?", id).Order("weekday, opens").Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("center_id = ?", id).Delete(&hoursRow{}).Error; err != nil {
			return err
		}
		after := hoursRows(id, week)
		if len(after) > 0 {
			if err := tx.Create(&after).Error; err != nil {
				return err
			}
		}
		if err := audit.Write(tx, now, entry(by, "service_center.hours", "service_center", id, auditHours(before), auditHours(after))); err != nil {
			return err
		}
		// Appointments that no longer fall within the hours are cancelled
		// with notice, as a closure cancels a day's.
		today := calendar.LocalDate(now)
		return s.hooks.scheduleChanged(tx, []string{id}, today, today.AddDays(scheduleHorizonDays), reasonHoursChanged)
	})
	if err != nil {
		return Center{}, err
	}
	return s.Center(ctx, id)
}

// auditHours is weekly hours as the audit trail records them: one object
// whose hours list the periods by ISO weekday.
func auditHours(rows []hoursRow) map[string]any {
	hours := make([]map[string]any, len(rows))
	for i, r := range rows {
		hours[i] = map[string]any{"weekday": r.Weekday, "opens": r.Opens, "closes": r.Closes}
	}
	return map[string]any{"hours": hours}
}

func hoursRows(centerID string, w Week) []hoursRow {
	var out []hoursRow
	for _, p := range w.Periods() {
		out = append(out, hoursRow{ID: newID(), CenterID: centerID, Weekday: p.Weekday,
			Opens: FormatClock(p.Opens), Closes: FormatClock(p.Closes)})
	}
	return out
}

// scheduleHorizonDays bounds the days a change of weekly hours is checked
// against booked appointments: nothing can be booked further ahead.
const scheduleHorizonDays = 366

var errClosureInPast = apperr.Invalid("closure_in_past", "date",
	i18n.T("date must be today or later: a closure cannot change a day that has passed.", "闭馆日期须为今天或以后：闭馆不能改变已过去的日期。"))

// AddClosure shuts a centre on one date, from now on if the date is today:
// appointments that have already begun keep their record.
func (s *Service) AddClosure(ctx context.Context, by audit.Actor, id string, cl Closure) (Center, error) {
	if cl.Date.IsZero() {
		return Center{}, apperr.Invalid("invalid_date", "date", i18n.T("date is required (YYYY-MM-DD).", "日期为必填项（YYYY-MM-DD）。"))
	}
	if !bilingual(cl.Reason, true) {
		return Center{}, apperr.Invalid("missing_text", "reason",
			i18n.T("reason needs both en and zh-CN, each at most 200 characters.", "原因须同时有中文和英文文本，各不超过 200 个字符。"))
	}
	if cl.Date.Before(calendar.LocalDate(s.clock.Now())) {
		return Center{}, errClosureInPast
	}
	err := s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := lockCenters(tx, []string{id}); err != nil {
			return err
		}
		row := closureRow{ID: newID(), CenterID: id, Day: cl.Date.String(), ReasonEn: cl.Reason.En, ReasonZh: cl.Reason.Zh, CreatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return errClosureExists
			}
			return err
		}
		if err := audit.Write(tx, now, entry(by, "service_center.closure.add", "service_center", id, nil, row)); err != nil {
			return err
		}
		// Same transaction: the closure and the cancellation of that day's
		// appointments land together or not at all.
		return s.hooks.scheduleChanged(tx, []string{id}, cl.Date, cl.Date, cl.Reason)
	})
	if err != nil {
		return Center{}, err
	}
	return s.Center(ctx, id)
}

// RemoveClosure reopens a centre on a date it was shut.
func (s *Service) RemoveClosure(ctx context.Context, by audit.Actor, id string, d calendar.Date) error {
	return s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		var row closureRow
		err := tx.Where("center_id = ? AND day = ?", id, d.String()).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errNoClosure
		}
		if err != nil {
			return err
		}
		if err := tx.Delete(&closureRow{}, "id = ?", row.ID).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, entry(by, "service_center.closure.remove", "service_center", id, row, nil))
	})
}

// HoldCenterTx makes sure the centre id exists and, on PostgreSQL, holds a
// key-share lock on its row until tx ends, so it cannot be removed
// meanwhile (edits of the centre are not held up); DeleteCenter takes the
// row for update before it looks for bookings. On SQLite every write
// transaction already runs alone.
func (s *Service) HoldCenterTx(tx storage.Tx, id string) error {
	var row centerRow
	err := storage.RowLock(tx.Gorm(), "KEY SHARE").Model(&centerRow{}).Select("id").Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errNoCenter
	}
	return err
}

func findCenter(tx *gorm.DB, id string) (centerRow, error) {
	var row centerRow
	err := tx.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, errNoCenter
	}
	return row, err
}
