package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

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

// reserveUnknownAttempt counts a failed login at the unknown username name
// unless it is locked, and locks it for lockFor(failures), exactly as
// reserveAttempt does for an account: the count is taken before the
// (dummy) password work, a count idle for longer than LockMax starts again,
// and a locked name is answered locked without counting. The increment is
// one upsert whose update is conditional on the lock, so concurrent
// guesses from several nodes queue on the row. Rows idle for longer than
// LockMax are pruned on the way: they would start again anyway.
func (s *Service) reserveUnknownAttempt(ctx context.Context, name string, now time.Time) error {
	key := unknownKey(name)
	var locked *time.Time
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO unknown_logins (name_hash, failures, last_failed_at) VALUES (?, 1, ?)
			ON CONFLICT (name_hash) DO UPDATE SET
				failures = CASE WHEN unknown_logins.last_failed_at < ? THEN 1 ELSE unknown_logins.failures + 1 END,
				last_failed_at = excluded.last_failed_at
			WHERE unknown_logins.locked_until IS NULL OR unknown_logins.locked_until <= ?`,
			key, now, now.Add(-s.opts.LockMax), now)
		if res.Error != nil {
			return res.Error
		}
		var row unknownRow
		if err := tx.Select("failures", "locked_until").Where("name_hash = ?", key).Take(&row).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			locked = row.LockedUntil
			return nil
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
	if locked != nil {
		return errLocked(locked.Sub(now))
	}
	return nil
}
