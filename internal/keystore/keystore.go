// Package keystore keeps the signing keys of package keys in the database.
// It implements keys.Store with gorm: rows are plain copies of keys.Record,
// and the private key arrives already encrypted under the key-encryption
// key, which never reaches the database.
package keystore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/keys"
)

// Row is one signing key as stored.
type Row struct {
	KID                 string `gorm:"column:kid;primaryKey"`
	State               string
	CreatedAt           time.Time `gorm:"autoCreateTime:false"`
	ActivatedAt         time.Time
	RetiredAt           *time.Time
	RevokedAt           *time.Time
	NotAfter            *time.Time
	PublicJWK           string `gorm:"column:public_jwk"`
	EncryptedPrivateKey []byte
}

// TableName binds Row to the migrated table.
func (Row) TableName() string { return "signing_keys" }

// Store is the database-backed keys.Store.
type Store struct {
	db *storage.DB
}

var _ keys.Store = (*Store)(nil)

// New returns a Store on db.
func New(db *storage.DB) *Store { return &Store{db: db} }

// List returns every key record, oldest first.
func (s *Store) List(ctx context.Context) ([]keys.Record, error) {
	return list(s.db.Gorm.WithContext(ctx))
}

// Update runs fn over the current records inside one transaction and
// writes what it returns. A lock taken before the read serialises key
// changes across nodes (row locks would not do: an empty table has no rows
// to lock, and Generate must not run twice). Every key that is created or
// changes state leaves an audit row in the same transaction, in the name of
// audit.ActorFrom(ctx); a later NotAfter alone (RecordIssued) does not.
func (s *Store) Update(ctx context.Context, fn func([]keys.Record) ([]keys.Record, error)) error {
	return s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.LockTx(tx, "signing_keys"); err != nil {
			return err
		}
		cur, err := list(tx)
		if err != nil {
			return err
		}
		// fn may change the records it is given in place.
		before := make(map[string]keys.Record, len(cur))
		for _, r := range cur {
			before[r.KID] = r
		}
		changed, err := fn(cur)
		if err != nil {
			return err
		}
		if err := write(tx, cur, changed); err != nil {
			return err
		}
		return auditChanges(tx, audit.ActorFrom(ctx), before, changed)
	})
}

// keyView is what the audit trail keeps of a key: never its private part.
type keyView struct {
	KID         string     `json:"kid"`
	State       keys.State `json:"state"`
	ActivatedAt time.Time  `json:"activated_at"`
	RetiredAt   *time.Time `json:"retired_at,omitempty"`
	RevokedAt   *time.Time `json:"revoked_at,omitempty"`
	NotAfter    *time.Time `json:"not_after,omitempty"`
}

func viewOf(r keys.Record) keyView {
	return keyView{KID: r.KID, State: r.State, ActivatedAt: r.ActivatedAt, RetiredAt: r.RetiredAt, RevokedAt: r.RevokedAt, NotAfter: r.NotAfter}
}

func auditChanges(tx *gorm.DB, by audit.Actor, before map[string]keys.Record, changed []keys.Record) error {
	now := tx.NowFunc()
	for _, r := range changed {
		e := audit.Entry{Actor: by, Entity: "signing_key", EntityID: r.KID, After: viewOf(r)}
		if old, ok := before[r.KID]; !ok {
			e.Action = "signing_key.generate"
		} else if old.State != r.State {
			e.Action, e.Before = "signing_key."+stateVerb[r.State], viewOf(old)
		} else {
			continue
		}
		if err := audit.Write(tx, now, e); err != nil {
			return err
		}
	}
	return nil
}

// stateVerb names the change that puts a key in a state.
var stateVerb = map[keys.State]string{keys.StateActive: "activate", keys.StateRetired: "retire", keys.StateRevoked: "revoke"}

func list(db *gorm.DB) ([]keys.Record, error) {
	var rows []Row
	if err := db.Order("created_at, kid").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("keystore: list: %w", err)
	}
	out := make([]keys.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// write applies updates to existing kids before inserting new ones: the
// database allows one active key, and a rotation retires the old key in
// the same transaction that adds the new one.
func write(tx *gorm.DB, cur, changed []keys.Record) error {
	known := make(map[string]bool, len(cur))
	for _, r := range cur {
		known[r.KID] = true
	}
	for _, pass := range []bool{true, false} {
		for _, r := range changed {
			if known[r.KID] != pass {
				continue
			}
			if err := writeOne(tx, fromRecord(r), pass); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeOne(tx *gorm.DB, row Row, exists bool) error {
	if !exists {
		err := tx.Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return keys.ErrKeyExists
		}
		if err != nil {
			return fmt.Errorf("keystore: insert %s: %w", row.KID, err)
		}
		return nil
	}
	err := tx.Model(&Row{}).Where("kid = ?", row.KID).Select("*").Omit("kid").Updates(&row).Error
	if err != nil {
		return fmt.Errorf("keystore: update %s: %w", row.KID, err)
	}
	return nil
}

func (r Row) record() keys.Record {
	return keys.Record{
		KID: r.KID, State: keys.State(r.State),
		CreatedAt: r.CreatedAt.UTC(), ActivatedAt: r.ActivatedAt.UTC(),
		RetiredAt: utcPtr(r.RetiredAt), RevokedAt: utcPtr(r.RevokedAt), NotAfter: utcPtr(r.NotAfter),
		PublicJWK: []byte(r.PublicJWK), EncryptedPrivateKey: r.EncryptedPrivateKey,
	}
}

func fromRecord(r keys.Record) Row {
	return Row{
		KID: r.KID, State: string(r.State), CreatedAt: r.CreatedAt.UTC(), ActivatedAt: r.ActivatedAt.UTC(),
		RetiredAt: utcPtr(r.RetiredAt), RevokedAt: utcPtr(r.RevokedAt), NotAfter: utcPtr(r.NotAfter),
		PublicJWK: string(r.PublicJWK), EncryptedPrivateKey: r.EncryptedPrivateKey,
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
