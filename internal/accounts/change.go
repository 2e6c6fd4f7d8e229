package accounts

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
)

var (
	errCurrentPassword = apperr.Invalid("current_password_wrong", "current_password",
		i18n.T("The current password is wrong.", "当前密码错误。"))
	errPasswordUnchanged = apperr.Invalid("password_unchanged", "new_password",
		i18n.T("The new password must differ from the current one.", "新密码不能与当前密码相同。"))
	errAccountGone = apperr.NotFound("account_not_found",
		i18n.T("The account no longer exists.", "该账户已不存在。"))
)

// ChangePassword replaces the password of a signed-in account. The current
// password is checked as a login checks it (the per-address throttle, a
// locked account refused, a wrong password counted toward the lock), so a
// stolen session cannot be used to guess the password. On success every
// other session of the account is signed out; the one holding keepToken,
// the caller's, stays valid. Nothing changes when any check fails.
func (s *Service) ChangePassword(ctx context.Context, ch Change, accountID, current, next, keepToken, clientIP string) error {
	if ok, wait := s.login.Allow(clientIP); !ok {
		return errSlowDown(wait)
	}
	now := s.clock.Now().UTC()
	var row accountRow
	err := s.db.Gorm.WithContext(ctx).Where("id = ?", accountID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errAccountGone
	}
	if err != nil {
		return apperr.Internal("accounts: change password: %w", err)
	}
	if row.LockedUntil != nil && now.Before(*row.LockedUntil) {
		return errLocked(row.LockedUntil.Sub(now))
	}
	if !verifyPassword(current, row.PasswordHash) {
		if err := s.recordFailure(ctx, row.ID, now); err != nil {
			return err
		}
		return errCurrentPassword
	}
	if err := CheckPassword(row.Username, next); err != nil {
		return apperr.AtField(err, "new_password")
	}
	if next == current {
		return errPasswordUnchanged
	}
	hash, err := hashPassword(next, s.opts.Argon2)
	if err != nil {
		return apperr.Internal("accounts: hash: %w", err)
	}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&accountRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"password_hash": hash, "failed_logins": 0, "locked_until": nil, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Model(&sessionRow{}).
			Where("account_id = ? AND revoked_at IS NULL AND token_hash <> ?", row.ID, hashToken(keepToken)).
			Update("revoked_at", now).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: ch.Actor, Action: "account.change_password", Entity: "account",
			EntityID: row.ID, RequestID: ch.RequestID})
	})
	if err != nil {
		return apperr.Internal("accounts: change password: %w", err)
	}
	return nil
}
