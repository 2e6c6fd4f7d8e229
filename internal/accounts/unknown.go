package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/fprlink/fprlink/internal/apperr"
)

// unknownRow counts failed logins at a username that has no account, so
// such a name locks after the same failures and for the same time as a
// real account: the answer "locked" then says nothing about whether an
// account exists. The counts are in the database, shared by every node,
// as an account's own count is; a guesser spreading attempts over several
// nodes sees real and unknown names lock alike.
type unknownRow struct {
	NameHash     string `gorm:"primaryKey"`
	Failures     int
	LockedUntil  *time.Time
	LastFailedAt time.Time
}

func (unknownRow) TableName() string { return "unknown_logins" }

// unknownKey is what is stored of a username without an account: its
// SHA-256 under a label of its own. What people type as a username is
// sometimes their password.
func unknownKey(name string) string {
	sum := sha256.Sum256([]byte("fprlink unknown login\x00" + name))
	return hex.EncodeToString(sum[:])
}

// unknownLocked returns how much longer the unknown username name is
// locked, or 0.
func (s *Service) unknownLocked(ctx context.Context, name string, now time.Time) (time.Duration, error) {
	var row unknownRow
	err := s.db.Gorm.WithContext(ctx).Where("name_hash = ?", unknownKey(name)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, apperr.Internal("accounts: unknown login: %w", err)
	}
	if row.LockedUntil != nil && now.Before(*row.LockedUntil) {
		return row.LockedUntil.Sub(now), nil
	}
	return 0, nil
}

// recordUnknownFailure counts a failed login at the unknown username name
// and locks it for lockFor(failures), as recordFailure does for an
// account; the increment is one upsert, so concurrent guesses from several
// nodes are all counted. Rows idle for longer than the longest lock are
// pruned on the way: their lock, which runs from their last failure, has
// ended, as a real account's would have.
func (s *Service) recordUnknownFailure(ctx context.Context, name string, now time.Time) error {
	key := unknownKey(name)
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "name_hash"}},
			DoUpdates: clause.Assignments(map[string]any{
				"failures": gorm.Expr("unknown_logins.failures + 1"), "last_failed_at": now}),
		}).Create(&unknownRow{NameHash: key, Failures: 1, LastFailedAt: now}).Error
		if err != nil {
			return err
		}
		var row unknownRow
		if err := tx.Select("failures").Where("name_hash = ?", key).Take(&row).Error; err != nil {
			return err
		}
		if lock := s.lockFor(row.Failures); lock > 0 {
			if err := tx.Model(&unknownRow{}).Where("name_hash = ?", key).Update("locked_until", now.Add(lock)).Error; err != nil {
				return err
			}
		}
		return tx.Where("last_failed_at < ?", now.Add(-s.opts.LockMax)).Delete(&unknownRow{}).Error
	})
	if err != nil {
		return apperr.Internal("accounts: record unknown login: %w", err)
	}
	return nil
}
