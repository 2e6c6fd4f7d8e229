package attestations

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// Standing is what anyone entitled to see an e-document learns of it: its
// numbers, validity and state, with the reasons an officer gave.
type Standing struct {
	ID             string
	DocumentNumber string
	// Purpose is the sector the document is for; empty for documents
	// issued before residents chose one.
	Purpose        relyingparties.Sector
	State          string
	PassportNumber string
	CardNumber     string
	IssuedAt       time.Time
	ExpiresAt      time.Time
	RevokedAt      *time.Time
	// RevocationReason is set when an officer revoked the document, in
	// both languages.
	RevocationReason *i18n.Text
	// InvalidationCause is set when a registry event made the document
	// untrue (state invalidated): passport_lost, fpr_card_renewed …
	InvalidationCause string
	SuspendedAt       *time.Time
	SuspensionReason  *i18n.Text
}

// Attestation is an issued attestation as its holder sees it later. The
// verification code is not here: only its hash is kept.
type Attestation struct {
	Standing
	Token  string
	QRText string
}

// effectiveState is the state a person is shown: invalidated, revoked,
// expired, suspended or active, in that order of precedence.
func (r Row) effectiveState(now time.Time) string {
	switch {
	case r.State == stateRevoked && r.InvalidationCause != "":
		return stateInvalidated
	case r.State != stateActive:
		return r.State
	case !now.Before(r.ExpiresAt):
		return stateExpired
	case r.SuspendedAt != nil:
		return stateSuspended
	}
	return stateActive
}

func (r Row) standing(now time.Time) Standing {
	st := Standing{ID: r.ID, DocumentNumber: r.DocumentNumber, Purpose: relyingparties.Sector(r.Purpose), State: r.effectiveState(now),
		PassportNumber: r.PassportNumber, CardNumber: r.CardNumber,
		IssuedAt: r.IssuedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: utcPtr(r.RevokedAt),
		RevocationReason: reasonOf(r.RevocationReason, r.RevocationReasonZh), InvalidationCause: r.InvalidationCause}
	if r.State == stateActive && r.SuspendedAt != nil {
		st.SuspendedAt, st.SuspensionReason = utcPtr(r.SuspendedAt), reasonOf(r.SuspensionReason, r.SuspensionReasonZh)
	}
	return st
}

// reasonOf is an officer's stored reason, nil when none was given. A
// reason recorded before both languages were asked for has only the text
// the officer wrote, shown in both.
func reasonOf(en, zh string) *i18n.Text {
	switch {
	case en == "" && zh == "":
		return nil
	case zh == "":
		zh = en
	case en == "":
		en = zh
	}
	t := i18n.T(en, zh)
	return &t
}

func (r Row) view(now time.Time) Attestation {
	return Attestation{Standing: r.standing(now), Token: r.Token, QRText: r.QRText}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// summary is what the audit trail keeps of a row: no token, no code hash.
func summary(r Row) map[string]any {
	return map[string]any{"document_number": r.DocumentNumber, "purpose": r.Purpose, "state": r.State, "kid": r.KID,
		"status_list": r.StatusListID, "status_idx": r.StatusIdx, "issued_at": r.IssuedAt, "expires_at": r.ExpiresAt,
		"suspended": r.SuspendedAt != nil}
}

var errNotFound = apperr.NotFound("attestation_not_found",
	i18n.T("You have no e-document with this id.", "您没有该编号的电子证明。"))

// own loads personID's attestation id; another person's is not found, so
// ids cannot be probed.
func (s *Service) own(db *gorm.DB, personID, id string) (Row, error) {
	var rows []Row
	if err := db.Where("id = ? AND person_id = ?", id, personID).Limit(1).Find(&rows).Error; err != nil {
		return Row{}, apperr.Internal("attestations: load: %w", err)
	}
	if len(rows) == 0 {
		return Row{}, errNotFound
	}
	return rows[0], nil
}

// Get returns one of personID's attestations.
func (s *Service) Get(ctx context.Context, personID, id string) (Attestation, error) {
	r, err := s.own(s.db.Gorm.WithContext(ctx), personID, id)
	if err != nil {
		return Attestation{}, err
	}
	return r.view(s.clock.Now()), nil
}

// List pages through personID's attestations, newest first.
func (s *Service) List(ctx context.Context, personID string, page paging.Request) (paging.Page[Attestation], error) {
	q := s.db.Gorm.WithContext(ctx).Where("person_id = ?", personID).Order("id DESC").Limit(page.Limit + 1)
	if page.After != "" {
		q = q.Where("id < ?", page.After)
	}
	var rows []Row
	if err := q.Find(&rows).Error; err != nil {
		return paging.Page[Attestation]{}, apperr.Internal("attestations: list: %w", err)
	}
	now := s.clock.Now()
	out := make([]Attestation, len(rows))
	for i, r := range rows {
		out[i] = r.view(now)
	}
	return paging.Build(out, page.Limit, func(a Attestation) string { return a.ID }), nil
}

// Revoke withdraws one of personID's attestations: the row and the status
// list bit change in one transaction, so the verify API and the next
// status list token both see it at once. Revoking twice is harmless. The
// conditional UPDATE comes first so it takes the row's write lock before
// anything is read: two concurrent revocations cannot both proceed. by is
// who revokes: the holder's own account, or a helper acting for them
// (by.OnBehalfOf names the holder), as the audit trail records it.
func (s *Service) Revoke(ctx context.Context, by audit.Actor, personID, id string) (Attestation, error) {
	var out Row
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.clock.Now().UTC()
		res := tx.Model(&Row{}).Where("id = ? AND person_id = ? AND state = ?", id, personID, stateActive).
			Updates(map[string]any{"state": stateRevoked, "revoked_at": now})
		if res.Error != nil {
			return fmt.Errorf("attestations: revoke: %w", res.Error)
		}
		r, err := s.own(tx, personID, id)
		if err != nil || res.RowsAffected == 0 {
			out = r
			return err
		}
		out = r
		before := summary(r)
		before["state"] = stateActive
		slot := issuer.StatusSlot{ListID: r.StatusListID, Index: r.StatusIdx}
		if err := statuslists.Set(tx, now, slot, edoc.StatusInvalid); err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by,
			Action: "attestation.revoke", Entity: "attestation", EntityID: id,
			Before: before, After: summary(r)})
	})
	if _, typed := apperr.As(err); err != nil && !typed {
		return Attestation{}, apperr.Internal("attestations: revoke: %w", err)
	}
	if err != nil {
		return Attestation{}, err
	}
	if s.statusChanged != nil {
		s.statusChanged(out.StatusListID)
	}
	return out.view(s.clock.Now()), nil
}
