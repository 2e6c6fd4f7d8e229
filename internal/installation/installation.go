// Package installation keeps what a database remembers about the service
// that runs on it: its own random id, the fingerprint of the
// key-encryption key its signing keys are sealed with, and every issuer
// URL the service has signed under. Files kept beside a database (the demo
// logins) carry its id, so they are never taken for another database's;
// a KEK that is not the database's own is refused before it seals
// anything; and documents signed under an earlier issuer URL stay trusted
// after the service moves.
package installation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Row is the one row of the installation table.
type Row struct {
	Singleton      int `gorm:"primaryKey"`
	DatabaseID     string
	KEKFingerprint *string `gorm:"column:kek_fingerprint"`
	CreatedAt      time.Time
}

// TableName binds Row to the migrated table.
func (Row) TableName() string { return "installation" }

// IssuerRow is one issuer URL the service signed under.
type IssuerRow struct {
	URL         string `gorm:"primaryKey"`
	FirstUsedAt time.Time
	LastUsedAt  time.Time
}

// TableName binds IssuerRow to the migrated table.
func (IssuerRow) TableName() string { return "issuer_urls" }

// ErrKEKMismatch means the key-encryption key given is not the one this
// database's signing keys are sealed with.
var ErrKEKMismatch = apperr.Conflict("kek_mismatch", i18n.T(
	"The key-encryption key is not the one this database's signing keys are sealed with.",
	"密钥加密密钥与本数据库签名密钥所用的不一致。"))

// Store reads and writes the installation record.
type Store struct {
	db    *storage.DB
	clock clock.Clock
}

// New returns the store of db.
func New(db *storage.DB, clk clock.Clock) *Store { return &Store{db: db, clock: clk} }

// DatabaseID returns the database's id, made on first use. Two nodes
// starting together agree: the first insert wins and both read it.
func (s *Store) DatabaseID(ctx context.Context) (string, error) {
	row, err := s.row(ctx)
	if err != nil {
		return "", err
	}
	return row.DatabaseID, nil
}

func (s *Store) row(ctx context.Context) (Row, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return Row{}, apperr.Internal("installation: id: %w", err)
	}
	g := s.db.Gorm.WithContext(ctx)
	fresh := Row{Singleton: 1, DatabaseID: id.String(), CreatedAt: s.clock.Now().UTC()}
	if err := g.Clauses(clause.OnConflict{DoNothing: true}).Create(&fresh).Error; err != nil {
		return Row{}, apperr.Internal("installation: record: %w", err)
	}
	var row Row
	if err := g.Where("singleton = 1").Take(&row).Error; err != nil {
		return Row{}, apperr.Internal("installation: read: %w", err)
	}
	return row, nil
}

// FingerprintKEK names a key-encryption key without revealing it: the
// SHA-256 of a key derived from it for this purpose alone (derive is
// keys.Manager.DataKey), so the stored value yields nothing to unseal.
func FingerprintKEK(derive func(purpose string) ([]byte, error)) (string, error) {
	k, err := derive("installation kek fingerprint")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(k)
	return hex.EncodeToString(sum[:16]), nil
}

// BoundKEK returns the fingerprint of the database's KEK, empty while
// none is bound.
func (s *Store) BoundKEK(ctx context.Context) (string, error) {
	row, err := s.row(ctx)
	if err != nil || row.KEKFingerprint == nil {
		return "", err
	}
	return *row.KEKFingerprint, nil
}

// BindKEK records fingerprint as the database's KEK on first use and
// afterwards refuses any other with ErrKEKMismatch. The caller checks
// that a database made before this record existed opens with the KEK
// before binding it.
func (s *Store) BindKEK(ctx context.Context, fingerprint string) error {
	if _, err := s.row(ctx); err != nil {
		return err
	}
	return s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row Row
		if err := storage.RowLock(tx, "UPDATE").Where("singleton = 1").Take(&row).Error; err != nil {
			return apperr.Internal("installation: read: %w", err)
		}
		switch {
		case row.KEKFingerprint == nil:
			if err := tx.Model(&Row{}).Where("singleton = 1").Update("kek_fingerprint", fingerprint).Error; err != nil {
				return apperr.Internal("installation: bind KEK: %w", err)
			}
			return nil
		case *row.KEKFingerprint != fingerprint:
			return ErrKEKMismatch
		}
		return nil
	})
}

// UseIssuer records that the service signs under url from now on and
// returns the URL it signed under last before (empty on first use).
func (s *Store) UseIssuer(ctx context.Context, url string) (string, error) {
	var previous string
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.LockTx(tx, "issuer_urls"); err != nil {
			return err
		}
		var last []IssuerRow
		if err := tx.Order("last_used_at DESC, url").Limit(1).Find(&last).Error; err != nil {
			return err
		}
		if len(last) > 0 {
			previous = last[0].URL
		}
		now := s.clock.Now().UTC()
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "url"}},
			DoUpdates: clause.Assignments(map[string]any{"last_used_at": now}),
		}).Create(&IssuerRow{URL: url, FirstUsedAt: now, LastUsedAt: now}).Error
	})
	if err != nil {
		return "", apperr.Internal("installation: record issuer URL: %w", err)
	}
	return previous, nil
}

// Issuers returns every issuer URL the service signed under, the one used
// last first.
func (s *Store) Issuers(ctx context.Context) ([]string, error) {
	var rows []IssuerRow
	if err := s.db.Gorm.WithContext(ctx).Order("last_used_at DESC, url").Find(&rows).Error; err != nil {
		return nil, apperr.Internal("installation: issuer URLs: %w", err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.URL
	}
	return out, nil
}
