package accounts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
)

// TemporaryPasswordTTL is how long a password set by staff lets its holder
// choose their own.
const TemporaryPasswordTTL = 72 * time.Hour

var (
	errChangeRequired = apperr.Forbidden("password_change_required", i18n.T(
		"This is a temporary password: choose your own password before signing in.",
		"这是临时密码：请先设置您自己的密码再登录。"))
	errTemporaryExpired = apperr.Forbidden("temporary_password_expired", i18n.T(
		"This temporary password has expired; ask the administration for a new one.",
		"临时密码已过期，请向管理部门重新申请。"))
	errResetOwn = apperr.Conflict("cannot_reset_own_password", i18n.T(
		"Change your own password with your current one instead.", "请使用当前密码修改您自己的密码。"))
	errResetStaff = apperr.Forbidden("staff_reset_admin_only", i18n.T(
		"Only an admin can reset the password of a staff account.", "只有管理员可以重置工作人员账户的密码。"))
)

// GeneratePassword draws 16 characters from an alphabet without look-alike
// characters (about 80 bits), in four groups for reading aloud at a
// counter: "n45w-s69s-925q-ippk".
func GeneratePassword(r io.Reader) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789" // 32: every byte maps evenly
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("accounts: password: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:]), nil
}

// Reset is a temporary password set by staff, shown once.
type Reset struct {
	Account           Account
	TemporaryPassword string
	ExpiresAt         time.Time
}

// ResetByStaff gives the account id a temporary password, for a resident
// who forgot theirs and proved who they are at a service centre. It signs
// the account out everywhere and lifts any lock; the temporary password
// opens no session, only SetPassword, until TemporaryPasswordTTL has
// passed. Officers reset residents' passwords, admins anyone's; nobody
// resets their own.
func (s *Service) ResetByStaff(ctx context.Context, by audit.Actor, id string) (Reset, error) {
	if by.ID == id {
		return Reset{}, errResetOwn
	}
	pw, err := GeneratePassword(rand.Reader)
	if err != nil {
		return Reset{}, apperr.Internal("accounts: reset: %w", err)
	}
	hash, err := hashPassword(pw, s.opts.Argon2)
	if err != nil {
		return Reset{}, apperr.Internal("accounts: hash: %w", err)
	}
	now := s.clock.Now().UTC()
	expires := now.Add(TemporaryPasswordTTL)
	var out Reset
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row accountRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		if row.Role != RoleResident && by.Role != RoleAdmin {
			return errResetStaff
		}
		before := row.account()
		if err := tx.Model(&accountRow{}).Where("id = ?", id).Updates(map[string]any{"password_hash": hash,
			"password_expires_at": expires, "failed_logins": 0, "locked_until": nil, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := revokeSessions(tx, id, "", now); err != nil {
			return err
		}
		row.PasswordExpiresAt, row.FailedLogins, row.LockedUntil = &expires, 0, nil
		out = Reset{Account: row.account(), TemporaryPassword: pw, ExpiresAt: expires}
		if row.PersonID != nil || row.HelperID != nil {
			n := notifications.Notification{Kind: "account.password_reset", Ref: id,
				Subject: i18n.T("Your password was reset", "您的密码已重置"),
				Body: i18n.T("The administration gave your account a temporary password and signed out all its sessions. "+
					"If you did not ask for this, contact the immigration administration at once.",
					"管理部门已为您的账户设置临时密码，并退出了所有登录会话。如非本人申请，请立即联系出入境管理部门。")}
			if row.PersonID != nil {
				n.PersonID = *row.PersonID
			} else {
				n.AccountID = row.ID // a Chinese helper has no person
			}
			if _, err := notifications.Add(tx, now, n); err != nil {
				return err
			}
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "account.reset_password", Entity: "account",
			EntityID: id, Before: before, After: out.Account})
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Reset{}, errNoAccount
	}
	if _, typed := apperr.As(err); typed {
		return Reset{}, err
	}
	if err != nil {
		return Reset{}, apperr.Internal("accounts: reset: %w", err)
	}
	return out, nil
}

// SetPassword replaces the password of username without a session: the
// way a temporary password is replaced, and open to any account that knows
// its password. It is checked as a login is (throttle, lock, the same
// answers for unknown usernames); on success every session of the account
// ends and the caller signs in with the new password.
func (s *Service) SetPassword(ctx context.Context, by audit.Actor, username, current, next, clientIP string) error {
	row, now, err := s.checkCredentials(ctx, username, current, clientIP)
	if err != nil {
		return err
	}
	if row.PasswordExpiresAt != nil && !now.Before(*row.PasswordExpiresAt) {
		return errTemporaryExpired
	}
	if by.ID == "" {
		by.ID, by.Role = row.ID, row.Role
	}
	return s.replacePassword(ctx, by, row, current, next, "", "account.set_password", now)
}

// temporaryPassword refuses to open a session on a password staff set.
func temporaryPassword(row accountRow, now time.Time) error {
	switch {
	case row.PasswordExpiresAt == nil:
		return nil
	case now.Before(*row.PasswordExpiresAt):
		return errChangeRequired
	default:
		return errTemporaryExpired
	}
}
