package directory

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/refdata"
)

// The reference data ships in the binary. Each file carries a version;
// bump it when the content changes so existing installations pick it up.
//
//go:embed refdata/*.json
var refFiles embed.FS

type centerFile struct {
	Name    string      `json:"name"`
	Version int         `json:"version"`
	Centers []refCenter `json:"centers"`
}

// refCenter is one centre of the data file: its particulars, with the
// sources of each fact, and its hours. A coordinate no source gives is
// left out and reads as 0,0: no position (Center.Located).
type refCenter struct {
	Particulars
	Hours []refPeriod `json:"hours"`
}

// refPeriod is one opening period on several weekdays.
type refPeriod struct {
	Weekdays []int  `json:"weekdays"`
	Opens    string `json:"opens"`
	Closes   string `json:"closes"`
}

// centerSource is a source as the data file gives it.
type centerSource = Source

func (rc refCenter) input() Particulars { return rc.Particulars }

func (rc refCenter) week() (Week, error) {
	var periods []OpeningPeriod
	for _, h := range rc.Hours {
		opens, err1 := ParseClock(h.Opens)
		closes, err2 := ParseClock(h.Closes)
		if err := errors.Join(err1, err2); err != nil {
			return Week{}, err
		}
		for _, wd := range h.Weekdays {
			periods = append(periods, OpeningPeriod{Weekday: wd, Period: Period{opens, closes}})
		}
	}
	return BuildWeek(periods)
}

type calendarFile struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Days    []struct {
		Date        string    `json:"date"`
		Kind        string    `json:"kind"`
		Name        i18n.Text `json:"name"`
		Provisional bool      `json:"provisional"`
	} `json:"days"`
}

// Seed loads the shipped centres and calendar, each file version once.
// A centre already present (by code) is updated to the file's particulars
// and hours; officer-added closures are kept.
func (s *Service) Seed(ctx context.Context) error {
	var cf centerFile
	var kf calendarFile
	if err := readRef("refdata/centers.json", &cf); err != nil {
		return err
	}
	if err := readRef("refdata/calendar.json", &kf); err != nil {
		return err
	}
	ranC, err := refdata.Apply(ctx, s.db, s.clock, cf.Name, cf.Version, cf.apply)
	if err != nil {
		return err
	}
	ranK, err := refdata.Apply(ctx, s.db, s.clock, kf.Name, kf.Version, kf.apply)
	if err != nil {
		return err
	}
	if ranC || ranK {
		s.invalidate()
	}
	return nil
}

func readRef(name string, v any) error {
	b, err := refFiles.ReadFile(name)
	if err != nil {
		return fmt.Errorf("directory: %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("directory: %s: %w", name, err)
	}
	return nil
}

func (f *centerFile) apply(tx *gorm.DB, now time.Time) error {
	for _, rc := range f.Centers {
		if err := rc.Validate(); err != nil {
			return fmt.Errorf("centre %s: %w", rc.Code, err)
		}
		week, err := rc.week()
		if err != nil {
			return fmt.Errorf("centre %s: %w", rc.Code, err)
		}
		if err := upsertCenter(tx, Center{Particulars: rc.Particulars}, week, now); err != nil {
			return err
		}
	}
	return nil
}

func upsertCenter(tx *gorm.DB, c Center, week Week, now time.Time) error {
	var existing centerRow
	err := tx.Where("code = ?", c.Code).Take(&existing).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		c.ID = newID()
		existing.CreatedAt = now
	case err != nil:
		return err
	default:
		c.ID = existing.ID
	}
	row := rowOf(&c)
	row.CreatedAt, row.UpdatedAt = existing.CreatedAt, now
	if err := tx.Save(&row).Error; err != nil {
		return err
	}
	if err := tx.Where("center_id = ?", c.ID).Delete(&hoursRow{}).Error; err != nil {
		return err
	}
	if rows := hoursRows(c.ID, week); len(rows) > 0 {
		return tx.Create(&rows).Error
	}
	return nil
}

func (f *calendarFile) apply(tx *gorm.DB, now time.Time) error {
	for _, rd := range f.Days {
		d, err := calendar.ParseDate(rd.Date)
		if err != nil {
			return err
		}
		day := CalendarDay{Date: d, Kind: rd.Kind, Name: rd.Name, Provisional: rd.Provisional}
		if err := day.Validate(); err != nil {
			return fmt.Errorf("calendar day %s: %w", rd.Date, err)
		}
		row := dayRowOf(day, now)
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
	}
	return nil
}
