package guidelines

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/refdata"
)

// Publish adds a new version of a business type's guideline, in force from
// effectiveFrom. The date may not lie in the past (Asia/Shanghai), so what
// applicants were told on any past day stays exactly as it was.
func (s *Service) Publish(ctx context.Context, by audit.Actor, code string, effectiveFrom calendar.Date, c Content) (Guideline, error) {
	if !business.Valid(code) {
		return Guideline{}, errUnknownBusiness
	}
	now := s.clock.Now().UTC()
	if effectiveFrom.IsZero() {
		return Guideline{}, apperr.Invalid("invalid_date", "effective_from", i18n.T("effective_from is required (YYYY-MM-DD).", "生效日期为必填项（YYYY-MM-DD）。"))
	}
	if effectiveFrom.Before(calendar.LocalDate(now)) {
		return Guideline{}, apperr.Invalid("effective_in_past", "effective_from",
			i18n.T("effective_from cannot be in the past.", "生效日期不能早于今天。"))
	}
	if err := c.ValidateFor(code); err != nil {
		return Guideline{}, err
	}
	var row versionRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if row, err = insertVersion(tx, now, code, effectiveFrom, c, by.ID); err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "guideline.publish", Entity: "guideline",
			EntityID: fmt.Sprintf("%s@%d", code, row.Version), After: row})
	})
	if err != nil {
		if _, typed := apperr.As(err); typed {
			return Guideline{}, err
		}
		return Guideline{}, apperr.Internal("guidelines: publish: %w", err)
	}
	s.invalidate()
	return row.guideline()
}

//go:embed refdata/guidelines.json
var refFile embed.FS

type seedFile struct {
	Name       string `json:"name"`
	Version    int    `json:"version"`
	Guidelines []struct {
		Business      string  `json:"business"`
		EffectiveFrom string  `json:"effective_from"`
		Content       Content `json:"content"`
	} `json:"guidelines"`
}

// Seed publishes the shipped guidelines once per file version. Each entry
// becomes a new version of its business type's guideline, so a corrected
// file adds to the history instead of rewriting it.
func (s *Service) Seed(ctx context.Context) error {
	b, err := refFile.ReadFile("refdata/guidelines.json")
	if err != nil {
		return fmt.Errorf("guidelines: %w", err)
	}
	var f seedFile
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("guidelines: refdata: %w", err)
	}
	ran, err := refdata.Apply(ctx, s.db, s.clock, f.Name, f.Version, func(tx *gorm.DB, now time.Time) error {
		for _, g := range f.Guidelines {
			d, err := calendar.ParseDate(g.EffectiveFrom)
			if err != nil || !business.Valid(g.Business) {
				return fmt.Errorf("guidelines: refdata entry %q is not valid", g.Business)
			}
			if err := g.Content.ValidateFor(g.Business); err != nil {
				return fmt.Errorf("guidelines: refdata %s: %w", g.Business, err)
			}
			if _, err := insertVersion(tx, now, g.Business, d, g.Content, audit.System.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if ran {
		s.invalidate()
	}
	return err
}
