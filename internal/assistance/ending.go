package assistance

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
)

// EndingNoticeLead is how long before an expiry or a lapse the helper is
// told that a grant is about to end.
const EndingNoticeLead = 14 * 24 * time.Hour

// NoticeEnding tells the helper of every active grant that expires, or
// lapses at the principal's coming of age, within lead of now, once per
// grant; it answers how many were told. Expiry and lapse themselves take
// effect on the next request with no job running: this only warns, so a
// run missed or repeated changes nothing but the warning's timing.
func (s *Service) NoticeEnding(ctx context.Context, lead time.Duration) (int, error) {
	now := s.clock.Now()
	horizon := now.Add(lead)
	var rows []grantRow
	err := s.db.Gorm.WithContext(ctx).Where("state = ? AND ending_noticed_at IS NULL", string(Active)).
		Where("(expires_at IS NOT NULL AND expires_at <= ?) OR (lapses_on IS NOT NULL AND confirmed_at IS NULL AND lapses_on <= ?)",
			horizon, calendar.LocalDate(horizon).String()).Order("id").Find(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("assistance: ending grants: %w", err)
	}
	told := 0
	for _, r := range rows {
		g := r.grant(now)
		if g.State != Active {
			continue // already past its end: the helper is refused on the next request
		}
		on := endOf(g)
		if on == "" {
			continue
		}
		g = s.named(ctx, g)
		err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Model(&grantRow{}).Where("id = ? AND ending_noticed_at IS NULL", r.ID).Update("ending_noticed_at", now)
			if res.Error != nil || res.RowsAffected != 1 {
				return res.Error // another node told them first
			}
			told++
			return s.notify(tx, now, g, notices{helper: func(g Grant) *noticeText { return endingSoonNotice(g, on) }})
		})
		if err != nil {
			return told, fmt.Errorf("assistance: ending notice: %w", err)
		}
	}
	return told, nil
}

// endOf is the first of the grant's expiry and lapse, as the helper reads
// it (Beijing time).
func endOf(g Grant) string {
	var end *time.Time
	if g.ExpiresAt != nil {
		end = g.ExpiresAt
	}
	if g.LapsesOn != nil && g.ConfirmedAt == nil {
		l := g.LapsesOn.Time(clock.Shanghai())
		if end == nil || l.Before(*end) {
			end = &l
		}
	}
	if end == nil {
		return ""
	}
	return end.In(clock.Shanghai()).Format("2006-01-02 15:04")
}
