// Package notifications keeps the messages fprlink leaves for a person — an
// appointment cancelled because a centre closed, an application whose status
// changed — in English and Chinese. Producers add a notification inside the
// transaction of the change that caused it, so no change goes unannounced.
package notifications

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

// Notification is one message to a person or to an account. A notice
// about the person's records (an appointment, an application, an
// e-document) is addressed to the person, and whoever holds the person's
// account reads it; a notice about what an account itself does or is
// given (a helper's grants) is addressed to the account, which may belong
// to no person at all (a Chinese helper).
type Notification struct {
	ID        string
	PersonID  string // empty when addressed to an account
	AccountID string // empty when addressed to a person
	Kind      string // e.g. "appointment.cancelled", "application.status"
	Subject   i18n.Text
	Body      i18n.Text
	Ref       string // what it is about: an appointment ID, an application number
	CreatedAt time.Time
	ReadAt    *time.Time
}

// row is the stored form.
type row struct {
	ID        string `gorm:"primaryKey"`
	PersonID  string
	AccountID string
	Kind      string
	SubjectEn string
	SubjectZh string
	BodyEn    string
	BodyZh    string
	Ref       string
	CreatedAt time.Time
	ReadAt    *time.Time
}

func (row) TableName() string { return "notifications" }

// Add stores n for n.PersonID or n.AccountID using tx, the transaction of
// the change.
func Add(tx *gorm.DB, now time.Time, n Notification) (Notification, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return n, fmt.Errorf("notifications: id: %w", err)
	}
	n.ID, n.CreatedAt = id.String(), now.UTC()
	if (n.PersonID == "") == (n.AccountID == "") {
		return n, fmt.Errorf("notifications: add %s: give a person or an account", n.Kind)
	}
	r := row{ID: n.ID, PersonID: n.PersonID, AccountID: n.AccountID, Kind: n.Kind,
		SubjectEn: n.Subject.En, SubjectZh: n.Subject.Zh, BodyEn: n.Body.En, BodyZh: n.Body.Zh,
		Ref: n.Ref, CreatedAt: n.CreatedAt}
	if err := tx.Create(&r).Error; err != nil {
		return n, fmt.Errorf("notifications: add: %w", err)
	}
	return n, nil
}

// Store reads a person's notifications.
type Store struct{ db *gorm.DB }

// NewStore returns a Store over db.
func NewStore(db *storage.DB) *Store { return &Store{db: db.Gorm} }

// List returns a page of personID's notifications, newest first. UUIDv7 IDs
// sort by creation time, so the ID is the keyset cursor.
func (s *Store) List(ctx context.Context, personID string, p paging.Request) (paging.Page[Notification], error) {
	return s.ListFor(ctx, Recipient{PersonID: personID}, p)
}

// Recipient is who reads notifications: a signed-in account and the
// registry person it holds, if any.
type Recipient struct {
	PersonID  string
	AccountID string
}

// ListFor returns a page of what is addressed to the recipient's person
// or account, newest first.
func (s *Store) ListFor(ctx context.Context, to Recipient, p paging.Request) (paging.Page[Notification], error) {
	q := s.db.WithContext(ctx)
	switch {
	case to.PersonID != "" && to.AccountID != "":
		q = q.Where("(person_id = ? OR account_id = ?)", to.PersonID, to.AccountID)
	case to.PersonID != "":
		q = q.Where("person_id = ?", to.PersonID)
	case to.AccountID != "":
		q = q.Where("account_id = ?", to.AccountID)
	default:
		return paging.Page[Notification]{}, nil
	}
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	var rows []row
	if err := q.Order("id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Notification]{}, fmt.Errorf("notifications: list: %w", err)
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = Notification{ID: r.ID, PersonID: r.PersonID, AccountID: r.AccountID, Kind: r.Kind,
			Subject: i18n.T(r.SubjectEn, r.SubjectZh), Body: i18n.T(r.BodyEn, r.BodyZh),
			Ref: r.Ref, CreatedAt: r.CreatedAt.UTC(), ReadAt: r.ReadAt}
	}
	return paging.Build(out, p.Limit, func(n Notification) string { return n.ID }), nil
}
