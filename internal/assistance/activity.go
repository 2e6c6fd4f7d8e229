package assistance

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// Activity is one request a helper made for a principal under a grant.
type Activity struct {
	ID             string
	GrantID        string
	PersonID       string // the principal
	HelperID       string
	HelperUsername string
	Action         string // what the request did, e.g. "appointment.book"
	Scope          Scope
	Ref            string // what it was about: an appointment ID, an application number
	Status         int    // the answer's HTTP status, so a refused attempt shows too
	RequestID      string
	OccurredAt     time.Time
}

// RecordActivity keeps a for the principal's view, once the request is
// answered. The grant names the helper as the principal knows them. With
// a notice (what was done), the principal is also told at once, in the
// same transaction. An activity whose ID RecordActivityTx already wrote
// with the action itself only takes the answer's status.
func (s *Service) RecordActivity(ctx context.Context, g Grant, a Activity, notice *i18n.Text) error {
	return s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if a.ID != "" {
			res := tx.Model(&activityRow{}).Where("id = ?", a.ID).Update("status", a.Status)
			if res.Error != nil {
				return fmt.Errorf("assistance: record activity: %w", res.Error)
			}
			if res.RowsAffected == 1 {
				return nil
			}
		}
		return s.recordActivity(tx, g, a, notice)
	})
}

// RecordActivityTx keeps a inside the transaction of the action it
// records, so the action and its activity row commit or roll back
// together. a.ID is set by the caller and makes a repeated call (one per
// audit row of the action) a no-op.
func (s *Service) RecordActivityTx(tx storage.Tx, g Grant, a Activity, notice *i18n.Text) error {
	var n int64
	if err := tx.Gorm().Model(&activityRow{}).Where("id = ?", a.ID).Count(&n).Error; err != nil {
		return fmt.Errorf("assistance: record activity: %w", err)
	}
	if n > 0 {
		return nil
	}
	return s.recordActivity(tx.Gorm(), g, a, notice)
}

func (s *Service) recordActivity(tx *gorm.DB, g Grant, a Activity, notice *i18n.Text) error {
	id := a.ID
	if id == "" {
		var err error
		if id, err = newID(); err != nil {
			return err
		}
	}
	r := activityRow{ID: id, GrantID: g.ID, PersonID: g.PrincipalID, HelperAccountID: g.HelperID,
		HelperUsername: g.HelperUsername, Action: a.Action, Scope: string(a.Scope), Ref: a.Ref, Status: a.Status,
		RequestID: a.RequestID, OccurredAt: s.clock.Now()}
	if err := tx.Create(&r).Error; err != nil {
		return fmt.Errorf("assistance: record activity: %w", err)
	}
	if notice == nil {
		return nil
	}
	_, err := notifications.Add(tx, r.OccurredAt, notifications.Notification{PersonID: g.PrincipalID,
		Kind: "assistance.acted", Ref: a.Ref,
		Subject: i18n.T("Your helper "+g.HelperUsername+" acted for you", "协办人 "+g.HelperUsername+" 代您办理了事项"),
		Body: i18n.T(notice.En+" — done for you by your helper "+g.HelperUsername+". Your account's activity lists every action taken for you.",
			"协办人 "+g.HelperUsername+" 代您办理："+notice.Zh+"。代您办理的每项操作均列于您账户的办理记录中。")})
	return err
}

// ActivityFor pages through what helpers did for personID, newest first.
func (s *Service) ActivityFor(ctx context.Context, personID string, p paging.Request) (paging.Page[Activity], error) {
	q := s.db.Gorm.WithContext(ctx).Where("person_id = ?", personID)
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	var rows []activityRow
	if err := q.Order("id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Activity]{}, fmt.Errorf("assistance: activity: %w", err)
	}
	out := make([]Activity, len(rows))
	for i, r := range rows {
		out[i] = Activity{ID: r.ID, GrantID: r.GrantID, PersonID: r.PersonID, HelperID: r.HelperAccountID,
			HelperUsername: r.HelperUsername, Action: r.Action, Scope: Scope(r.Scope), Ref: r.Ref, Status: r.Status,
			RequestID: r.RequestID, OccurredAt: r.OccurredAt.UTC()}
	}
	return paging.Build(out, p.Limit, func(a Activity) string { return a.ID }), nil
}
