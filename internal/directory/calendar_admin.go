package directory

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

var errNoCalendarDay = apperr.NotFound("calendar_day_not_found",
	i18n.T("This date is neither a public holiday nor a make-up working day.", "该日期既不是法定节假日，也不是调休上班日。"))

// Validate checks a calendar day an officer enters. A make-up working day
// can only be a Saturday or Sunday: a weekday is a working day anyway.
func (d CalendarDay) Validate() error {
	switch {
	case d.Date.IsZero():
		return apperr.Invalid("invalid_date", "date", i18n.T("date is required (YYYY-MM-DD).", "日期为必填项（YYYY-MM-DD）。"))
	case d.Kind != KindHoliday && d.Kind != KindMakeup:
		return apperr.Invalid("invalid_kind", "kind", i18n.T("kind is holiday or makeup.", "日期类型必须为节假日或调休上班日。"))
	case d.Kind == KindMakeup && d.Date.Weekday() != time.Saturday && d.Date.Weekday() != time.Sunday:
		return apperr.Invalid("makeup_not_weekend", "date",
			i18n.T("A make-up working day must be a Saturday or Sunday.", "调休上班日必须是星期六或星期日。"))
	case !bilingual(d.Name, true):
		return apperr.Invalid("missing_text", "name",
			i18n.T("name needs both en and zh-CN, each at most 200 characters.", "名称须同时有中文和英文文本，各不超过 200 个字符。"))
	}
	return nil
}

// PutCalendarDay records a public holiday or make-up working day, replacing
// what that date was before. It reports whether the date was new.
func (s *Service) PutCalendarDay(ctx context.Context, by audit.Actor, d CalendarDay) (bool, error) {
	if err := d.Validate(); err != nil {
		return false, err
	}
	created := false
	err := s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := lockCenters(tx, nil); err != nil {
			return err
		}
		var before *calendarDayRow
		var old calendarDayRow
		err := tx.Where("day = ?", d.Date.String()).Take(&old).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			created = true
		case err != nil:
			return err
		default:
			before = &old
		}
		row := dayRowOf(d, now)
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, entry(by, "calendar_day.put", "calendar_day", row.Day, before, row)); err != nil {
			return err
		}
		// A public holiday cancels the day's appointments at every centre,
		// with its name as the reason; a make-up day only opens more.
		return s.hooks.scheduleChanged(tx, nil, d.Date, d.Date, d.Name)
	})
	return created, err
}

// DeleteCalendarDay makes a date an ordinary day again.
func (s *Service) DeleteCalendarDay(ctx context.Context, by audit.Actor, d calendar.Date) error {
	return s.write(ctx, func(tx *gorm.DB, now time.Time) error {
		if err := lockCenters(tx, nil); err != nil {
			return err
		}
		var old calendarDayRow
		err := tx.Where("day = ?", d.String()).Take(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errNoCalendarDay
		}
		if err != nil {
			return err
		}
		if err := tx.Delete(&calendarDayRow{}, "day = ?", d.String()).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, entry(by, "calendar_day.delete", "calendar_day", old.Day, old, nil)); err != nil {
			return err
		}
		// A withdrawn make-up day is a weekend day again.
		return s.hooks.scheduleChanged(tx, nil, d, d, reasonMakeupDropped)
	})
}
