package attestations

import (
	"context"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/paging"
)

// LogEntry is one verification as the document's holder sees it: who
// checked, for which sector, when, and the answer they got.
type LogEntry struct {
	ID           string
	RelyingParty string
	Sector       string
	Method       string
	Result       string
	FailedCheck  string
	CheckedAt    time.Time
}

// Verifications pages through the verifications of one of personID's
// attestations, newest first.
func (s *Service) Verifications(ctx context.Context, personID, id string, page paging.Request) (paging.Page[LogEntry], error) {
	db := s.db.Gorm.WithContext(ctx)
	if _, err := s.own(db, personID, id); err != nil {
		return paging.Page[LogEntry]{}, err
	}
	q := db.Where("attestation_id = ?", id).Order("id DESC").Limit(page.Limit + 1)
	if page.After != "" {
		q = q.Where("id < ?", page.After)
	}
	var rows []VerificationRow
	if err := q.Find(&rows).Error; err != nil {
		return paging.Page[LogEntry]{}, apperr.Internal("attestations: verifications: %w", err)
	}
	out := make([]LogEntry, len(rows))
	for i, r := range rows {
		out[i] = LogEntry{ID: r.ID, RelyingParty: r.PartyName, Sector: r.Sector, Method: r.Method,
			Result: r.Result, FailedCheck: r.FailedCheck, CheckedAt: r.CheckedAt.UTC()}
	}
	return paging.Build(out, page.Limit, func(e LogEntry) string { return e.ID }), nil
}
