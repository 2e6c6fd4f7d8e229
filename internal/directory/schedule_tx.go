package directory

import (
	"errors"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Reasons given to people whose appointments a schedule change cancels.
var (
	reasonHoursChanged  = i18n.T("The centre's opening hours have changed.", "服务中心的办公时间已调整。")
	reasonMakeupDropped = i18n.T("The make-up working day has been withdrawn.", "调休上班日已取消。")
)

// lockCenters takes the rows of centres ids (every centre when nil) for
// update, so a schedule change waits for bookings in flight at them, which
// hold their centre's row (HoldCenterTx), and later bookings wait for the
// change and then see it (PeriodsOnTx). It returns errNoCenter when one
// named centre does not exist.
func lockCenters(tx *gorm.DB, ids []string) error {
	q := storage.RowLock(tx, "UPDATE").Model(&centerRow{}).Select("id").Order("id")
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	var rows []centerRow
	if err := q.Find(&rows).Error; err != nil {
		return err
	}
	if ids != nil && len(rows) != len(ids) {
		return errNoCenter
	}
	return nil
}

// PeriodsOnTx is a centre's opening periods on d as tx sees them: its
// closures, the working-day calendar and its weekly hours are read inside
// the transaction rather than from the cache, so a booking checked here
// after HoldCenterTx agrees with every schedule change committed before it.
func (s *Service) PeriodsOnTx(t storage.Tx, centerID string, d calendar.Date) ([]Period, error) {
	tx := t.Gorm()
	var closed int64
	if err := tx.Model(&closureRow{}).Where("center_id = ? AND day = ?", centerID, d.String()).Count(&closed).Error; err != nil {
		return nil, err
	}
	if closed > 0 {
		return nil, nil
	}
	var day calendarDayRow
	var holidays, makeups []calendar.Date
	err := tx.Where("day = ?", d.String()).Take(&day).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return nil, err
	case day.Kind == KindHoliday:
		holidays = []calendar.Date{d}
	case day.Kind == KindMakeup:
		makeups = []calendar.Date{d}
	}
	wd, open := calendar.New(holidays, makeups).HoursOf(d)
	if !open {
		return nil, nil
	}
	var rows []hoursRow
	if err := tx.Where("center_id = ? AND weekday = ?", centerID, isoWeekday(wd)).Order("opens").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Period, 0, len(rows))
	for _, r := range rows {
		opens, err := ParseClock(r.Opens)
		if err != nil {
			return nil, err
		}
		closes, err := ParseClock(r.Closes)
		if err != nil {
			return nil, err
		}
		out = append(out, Period{Opens: opens, Closes: closes})
	}
	return out, nil
}
