package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

var (
	errBadCredentials = apperr.Unauthenticated("invalid_credentials",
		i18n.T("The username or password is wrong.", "用户名或密码错误。"))
	errBadToken = apperr.Unauthenticated("invalid_token",
		i18n.T("The session is unknown, expired or signed out; sign in again.", "会话无效、已过期或已退出，请重新登录。"))
)

func errLocked(d time.Duration) error {
	return apperr.RateLimited("account_locked", d, i18n.T(
		"Too many wrong passwords: this account is locked for a while. Try again later.",
		"密码错误次数过多，账户已暂时锁定，请稍后再试。"))
}

func errSlowDown(d time.Duration) error {
	return apperr.RateLimited("rate_limited", d, i18n.T(
		"Too many attempts from your network; wait a little and try again.", "您的网络尝试次数过多，请稍候再试。"))
}

// tokenBytes is the session token's entropy: 256 bits.
const tokenBytes = 32

func hashToken(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// Login checks a username and password and opens a session. A locked
// account is refused without looking at the password, so guessing stops
// while the lock lasts. A username without an account locks after the same
// failures and for the same time (unknown_logins, shared by every node), so
// neither the lock nor its absence tells a caller which usernames exist.
//
// A password an officer set for the account (ResetByStaff) opens no
// session: its holder must first replace it (SetPassword).
func (s *Service) Login(ctx context.Context, username, password, clientIP string) (Session, error) {
	row, now, err := s.checkCredentials(ctx, username, password, clientIP)
	if err != nil {
		return Session{}, err
	}
	if err := temporaryPassword(row, now); err != nil {
		return Session{}, err
	}
	return s.openSession(ctx, row, now)
}

// checkCredentials is what signing in and setting a password without a
// session share: the per-address throttle, the lock, the password, and the
// same answers for a username without an account. It returns the account
// only when the password is right and the account is not disabled.
func (s *Service) checkCredentials(ctx context.Context, username, password, clientIP string) (accountRow, time.Time, error) {
	if ok, wait := s.login.Allow(clientIP); !ok {
		return accountRow{}, time.Time{}, errSlowDown(wait)
	}
	now := s.clock.Now().UTC()
	u, err := NormalizeUsername(username)
	var row accountRow
	if err == nil {
		err = s.db.Gorm.WithContext(ctx).Where("username = ?", u).Take(&row).Error
	}
	if err != nil {
		if _, typed := apperr.As(err); !typed && !errors.Is(err, gorm.ErrRecordNotFound) {
			return accountRow{}, now, apperr.Internal("accounts: login: %w", err)
		}
		return accountRow{}, now, s.refuseUnknown(ctx, u, password, now)
	}
	if err := s.checkPassword(ctx, row, password, now, errBadCredentials); err != nil {
		return accountRow{}, now, err
	}
	// Only the right password learns that the account is disabled.
	if row.DisabledAt != nil {
		return accountRow{}, now, errDisabled
	}
	return row, now, nil
}

// checkPassword is the lock and password check every way of proving a
// password shares. The attempt is counted before the password is looked
// at (reserveAttempt), so guesses sent together cannot all be checked
// before the first of them locks the account: at most LockAfter of them
// reach the password. A right password clears the count and the lock; a
// wrong one stays counted and is answered wrong.
func (s *Service) checkPassword(ctx context.Context, row accountRow, password string, now time.Time, wrong error) error {
	if err := s.reserveAttempt(ctx, row.ID, now); err != nil {
		return err
	}
	if !verifyPassword(password, row.PasswordHash) {
		return wrong
	}
	err := s.db.Gorm.WithContext(ctx).Model(&accountRow{}).Where("id = ?", row.ID).
		Updates(map[string]any{"failed_logins": 0, "locked_until": nil, "last_failed_at": nil, "updated_at": now}).Error
	if err != nil {
		return apperr.Internal("accounts: clear failures: %w", err)
	}
	return nil
}

// revokeSessions signs account id out in tx, except the session whose
// token hash is keepHash (empty keeps none: no hash is empty).
func revokeSessions(tx *gorm.DB, id, keepHash string, now time.Time) error {
	return tx.Model(&sessionRow{}).Where("account_id = ? AND revoked_at IS NULL AND token_hash <> ?", id, keepHash).
		Update("revoked_at", now).Error
}

// refuseUnknown answers a username without an account as a wrong password
// of a real one is answered: the same lock, the same password work.
func (s *Service) refuseUnknown(ctx context.Context, u, password string, now time.Time) error {
	if u != "" {
		if err := s.reserveUnknownAttempt(ctx, u, now); err != nil {
			return err
		}
	}
	verifyPassword(password, s.dummyHash) // same work as for a real account
	return errBadCredentials
}

// lockFor is how long an account is locked after its failures-th failed
// login in a row: nothing before LockAfter, then LockBase doubling with
// every further failure, at most LockMax.
func (s *Service) lockFor(failures int) time.Duration {
	if failures < s.opts.LockAfter {
		return 0
	}
	lock := s.opts.LockBase
	for i := s.opts.LockAfter; i < failures && lock < s.opts.LockMax; i++ {
		lock *= 2
	}
	return min(lock, s.opts.LockMax)
}

// reserveAttempt counts one attempt at account id as failed unless it is
// locked, in which case it answers locked without counting. From the
// LockAfter-th failure in a row the account locks for lockFor(failures).
// A count whose last failure is older than LockMax starts again, as an
// unknown username's does. The conditional UPDATE takes the row lock and
// re-checks the lock under it, so concurrent attempts queue here and each
// sees the lock the one before it set.
func (s *Service) reserveAttempt(ctx context.Context, id string, now time.Time) error {
	var locked *time.Time
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&accountRow{}).Where("id = ? AND (locked_until IS NULL OR locked_until <= ?)", id, now).
			Updates(map[string]any{
				"failed_logins": gorm.Expr("CASE WHEN last_failed_at IS NULL OR last_failed_at < ? THEN 1 ELSE failed_logins + 1 END",
					now.Add(-s.opts.LockMax)),
				"last_failed_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		var row accountRow
		if err := tx.Select("failed_logins", "locked_until").Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			locked = row.LockedUntil
			return nil
		}
		if lock := s.lockFor(row.FailedLogins); lock > 0 {
			return tx.Model(&accountRow{}).Where("id = ?", id).Update("locked_until", now.Add(lock)).Error
		}
		return nil
	})
	if err != nil {
		return apperr.Internal("accounts: count attempt: %w", err)
	}
	if locked != nil {
		return errLocked(locked.Sub(now))
	}
	return nil
}

func (s *Service) openSession(ctx context.Context, row accountRow, now time.Time) (Session, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return Session{}, apperr.Internal("accounts: token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw)
	sess := sessionRow{TokenHash: hashToken(tok), AccountID: row.ID, CreatedAt: now, ExpiresAt: now.Add(s.opts.SessionTTL)}
	// The failure count was cleared when the password was checked.
	if err := s.db.Gorm.WithContext(ctx).Create(&sess).Error; err != nil {
		return Session{}, apperr.Internal("accounts: open session: %w", err)
	}
	return Session{Token: tok, ExpiresAt: sess.ExpiresAt, Role: row.Role}, nil
}

// maxTokenLen refuses absurd headers before hashing them.
const maxTokenLen = 256

// Authenticate returns the identity behind a session token that is
// neither expired nor revoked.
func (s *Service) Authenticate(ctx context.Context, token string) (Identity, error) {
	if token == "" || len(token) > maxTokenLen {
		return Identity{}, errBadToken
	}
	var out struct {
		AccountID string
		Username  string
		Role      string
		PersonID  *string
	}
	err := s.db.Gorm.WithContext(ctx).Table("sessions").
		Select("accounts.id AS account_id, accounts.username, accounts.role, accounts.person_id").
		Joins("JOIN accounts ON accounts.id = sessions.account_id").
		Where("sessions.token_hash = ? AND sessions.revoked_at IS NULL AND sessions.expires_at > ? AND accounts.disabled_at IS NULL",
			hashToken(token), s.clock.Now().UTC()).
		Take(&out).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Identity{}, errBadToken
	}
	if err != nil {
		return Identity{}, apperr.Internal("accounts: authenticate: %w", err)
	}
	id := Identity{AccountID: out.AccountID, Username: out.Username, Role: out.Role}
	if out.PersonID != nil {
		id.PersonID = *out.PersonID
	}
	return id, nil
}

// Logout revokes the session of token. Revoking twice is harmless.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" || len(token) > maxTokenLen {
		return errBadToken
	}
	err := s.db.Gorm.WithContext(ctx).Model(&sessionRow{}).
		Where("token_hash = ? AND revoked_at IS NULL", hashToken(token)).
		Update("revoked_at", s.clock.Now().UTC()).Error
	if err != nil {
		return apperr.Internal("accounts: logout: %w", err)
	}
	return nil
}
