package accounts

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

var (
	errDisabled = apperr.Forbidden("account_disabled", i18n.T(
		"This account has been disabled. Contact the administration.", "该账户已被停用，请联系管理部门。"))
	errDisableSelf = apperr.Conflict("cannot_disable_self", i18n.T(
		"You cannot disable your own account.", "不能停用自己的账户。"))
	errFilterRole = apperr.Malformed("invalid_role", "role", i18n.T(
		"role must be resident, officer or admin.", "角色必须是居民、审核人员或管理员。"))
)

// List pages through the accounts in username order, all of them or those
// of one role.
func (s *Service) List(ctx context.Context, role string, page paging.Request) (paging.Page[Account], error) {
	db := s.db.Gorm.WithContext(ctx)
	switch role {
	case "":
	case RoleResident, RoleOfficer, RoleAdmin:
		db = db.Where("role = ?", role)
	default:
		return paging.Page[Account]{}, errFilterRole
	}
	if page.After != "" {
		db = db.Where("username > ?", page.After)
	}
	var rows []accountRow
	if err := db.Order("username").Limit(page.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Account]{}, apperr.Internal("accounts: list: %w", err)
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = r.account()
	}
	return paging.Build(out, page.Limit, func(a Account) string { return a.Username }), nil
}

// SetDisabled disables or re-enables the account id. Disabling signs it
// out everywhere at once and keeps it from signing in; nothing else of it
// changes, and re-enabling lets it sign in again with its password. Doing
// what is already done changes nothing and writes no audit event. An
// account cannot disable itself, so the last admin cannot lock everyone
// out by mistake.
func (s *Service) SetDisabled(ctx context.Context, by audit.Actor, id string, disabled bool) (Account, error) {
	if disabled && by.ID == id {
		return Account{}, errDisableSelf
	}
	now := s.clock.Now().UTC()
	var out Account
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row accountRow
		if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
			return err
		}
		if (row.DisabledAt != nil) == disabled {
			out = row.account()
			return nil
		}
		before := row.account()
		action := "account.enable"
		row.DisabledAt = nil
		if disabled {
			action, row.DisabledAt = "account.disable", &now
			if err := revokeSessions(tx, id, "", now); err != nil {
				return err
			}
		}
		if err := tx.Model(&accountRow{}).Where("id = ?", id).
			Updates(map[string]any{"disabled_at": row.DisabledAt, "updated_at": now}).Error; err != nil {
			return err
		}
		out = row.account()
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: action, Entity: "account", EntityID: id,
			Before: before, After: out})
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Account{}, errNoAccount
	}
	if err != nil {
		return Account{}, apperr.Internal("accounts: disable: %w", err)
	}
	return out, nil
}

// ByIDs returns each of the accounts ids that exists, by ID.
func (s *Service) ByIDs(ctx context.Context, ids []string) (map[string]Account, error) {
	out := make(map[string]Account, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []accountRow
	if err := s.db.Gorm.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, apperr.Internal("accounts: by ids: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.account()
	}
	return out, nil
}
