package audit

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// Query selects events from the trail; an empty field matches everything.
// From is inclusive and To exclusive.
type Query struct {
	Entity   string
	EntityID string
	ActorID  string
	// OnBehalfOf selects what was done for one principal (a person ID).
	OnBehalfOf string
	Action     string
	From, To   time.Time
	Page       paging.Request
}

// Trail reads the audit trail for the people who review it.
type Trail struct{ db *gorm.DB }

// NewTrail reads the trail stored in db.
func NewTrail(db *storage.DB) *Trail { return &Trail{db: db.Gorm} }

// Search returns the events matching q, newest first, one page at a time;
// the cursor is the last event's ID, so pages stay stable while events are
// added.
func (t *Trail) Search(ctx context.Context, q Query) (paging.Page[Event], error) {
	db := t.db.WithContext(ctx)
	// In a fixed order, so the same filters make the same SQL text (and
	// reuse one prepared statement).
	for _, f := range [...]struct{ col, v string }{
		{"entity", q.Entity}, {"entity_id", q.EntityID}, {"actor_id", q.ActorID},
		{"on_behalf_of", q.OnBehalfOf}, {"action", q.Action},
	} {
		if f.v != "" {
			db = db.Where(f.col+" = ?", f.v)
		}
	}
	if !q.From.IsZero() {
		db = db.Where("occurred_at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		db = db.Where("occurred_at < ?", q.To.UTC())
	}
	if q.Page.After != "" {
		after, err := strconv.ParseInt(q.Page.After, 10, 64)
		if err != nil || after < 1 {
			return paging.Page[Event]{}, paging.ErrBadCursor
		}
		db = db.Where("id < ?", after)
	}
	var rows []Event
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Event]{}, apperr.Internal("audit: search: %w", err)
	}
	for i := range rows {
		rows[i].OccurredAt = rows[i].OccurredAt.UTC()
	}
	return paging.Build(rows, q.Page.Limit, func(e Event) string { return strconv.FormatInt(e.ID, 10) }), nil
}
