package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
)

var (
	errCurrentPassword = apperr.Invalid("current_password_wrong", "current_password",
		i18n.T("The current password is wrong.", "当前密码错误。"))
	errPasswordUnchanged = apperr.Invalid("password_unchanged", "new_password",
		i18n.T("The new password must differ from the current one.", "新密码不能与当前密码相同。"))
	errAccountGone = apperr.NotFound("account_not_found",
		i18n.T("The account no longer exists.", "该账户已不存在。"))
)

// passwordChanged tells a resident their password was changed, so that a
// change they did not make does not go unnoticed.
func passwordChanged(personID, accountID string) notifications.Notification {
	return notifications.Notification{PersonID: personID, Kind: "account.password_changed", Ref: accountID,
		Subject: i18n.T("Your password was changed", "您的密码已修改"),
		Body: i18n.T("The password of your account was changed and your other sessions were signed out. "+
			"If you did not do this, contact the immigration administration at once.",
			"您账户的密码已被修改，其他登录会话已退出。如非本人操作，请立即联系出入境管理部门。")}
}

// ChangePassword replaces the password of a signed-in account. The current
// password is checked as a login checks it (the per-address throttle, a
// locked account refused, a wrong password counted toward the lock), so a
// stolen session cannot be used to guess the password. On success every
// other session of the account is signed out; the one holding keepToken,
// the caller's, stays valid, and a resident finds a notification of it.
// Nothing changes when any check fails.
func (s *Service) ChangePassword(ctx context.Context, by audit.Actor, accountID, current, next, keepToken, clientIP string) error {
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
	if err := s.checkPassword(ctx, row, current, now, errCurrentPassword); err != nil {
		return err
	}
	return s.replacePassword(ctx, by, row, current, next, hashToken(keepToken), "account.change_password", now)
}

// replacePassword is the end of every password change by its holder: the
// new password checked (named new_password in a refusal) and different
// from the current one, then, in one transaction, stored with the lock and
// any temporary expiry lifted, every session but keepHash (a token hash;
// empty keeps none) signed out, the resident notified and the audit event
// written as action.
func (s *Service) replacePassword(ctx context.Context, by audit.Actor, row accountRow, current, next, keepHash, action string, now time.Time) error {
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
		if err := tx.Model(&accountRow{}).Where("id = ?", row.ID).Updates(map[string]any{"password_hash": hash,
			"password_expires_at": nil, "failed_logins": 0, "locked_until": nil, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := revokeSessions(tx, row.ID, keepHash, now); err != nil {
			return err
		}
		if row.PersonID != nil || row.HelperID != nil {
			n := passwordChanged("", row.ID)
			if row.PersonID != nil {
				n.PersonID = *row.PersonID
			} else {
				n.AccountID = row.ID // a Chinese helper has no person
			}
			if _, err := notifications.Add(tx, now, n); err != nil {
				return err
			}
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: action, Entity: "account",
			EntityID: row.ID})
	})
	if err != nil {
		return apperr.Internal("accounts: %s: %w", action, err)
	}
	return nil
}
