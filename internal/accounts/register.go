package accounts

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/registry"
)

var (
	errUsernameTaken = apperr.Conflict("username_taken",
		i18n.T("This username is taken; choose another.", "该用户名已被使用，请另选一个。"))
	errBadRole = apperr.Invalid("invalid_role", "role",
		i18n.T("role must be officer or admin.", "角色必须是 officer 或 admin。"))
	errNoAccount = apperr.NotFound("account_not_found",
		i18n.T("There is no such account.", "没有此账户。"))
)

// Registration is a resident's self-registration.
type Registration struct {
	Username       string
	Password       string
	PassportNumber string
	Nationality    string
	BirthDate      string // YYYY-MM-DD
	FPRCardNumber  string // when the person holds one
	// RequestID ties the audit row to the request that registered.
	RequestID string
}

// check validates the form of every field; it says nothing about the
// registry, so naming the field here gives nothing away.
func (r Registration) check(today calendar.Date) (string, registry.Proof, error) {
	var fields []apperr.FieldError
	add := func(err error) {
		if e, ok := apperr.As(err); ok {
			fields = append(fields, apperr.FieldError{Field: e.Field, Code: e.Code, Message: e.Message})
		}
	}
	u, err := NormalizeUsername(r.Username)
	add(err)
	add(CheckPassword(r.Username, r.Password))
	proof := registry.Proof{PassportNumber: strings.TrimSpace(r.PassportNumber),
		Nationality: strings.ToUpper(strings.TrimSpace(r.Nationality)), FPRCardNumber: strings.TrimSpace(r.FPRCardNumber)}
	if proof.PassportNumber == "" || len(proof.PassportNumber) > 9 {
		add(apperr.Invalid("invalid_passport_number", "passport_number", i18n.T("The passport number is 1 to 9 letters and digits.", "护照号码应为 1 至 9 位字母或数字。")))
	}
	if !docnum.IsNationality(proof.Nationality) {
		add(apperr.Invalid("invalid_nationality", "nationality", i18n.T("nationality must be an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 nationality code (such as D, GBN or XXA).", "国籍必须是 ISO 3166-1 三字母代码或国际民航组织第 9303 号文件规定的国籍代码（如 D、GBN、XXA）。")))
	}
	if proof.BirthDate, err = calendar.ParseDate(strings.TrimSpace(r.BirthDate)); err != nil {
		add(apperr.Invalid("invalid_date", "birth_date", i18n.T("birth_date must be a YYYY-MM-DD date.", "出生日期须为 YYYY-MM-DD 格式。")))
	}
	if proof.FPRCardNumber != "" {
		if _, err := docnum.ParseFPR(proof.FPRCardNumber, today); err != nil {
			add(apperr.AtField(err, "fpr_card_number"))
		}
	}
	if len(fields) > 0 {
		f := fields[0]
		return "", proof, &apperr.Error{Kind: apperr.KindInvalid, Code: f.Code, Field: f.Field, Message: f.Message, Fields: fields}
	}
	return u, proof, nil
}

// Register creates a resident account for the registry person the proof
// names. Every identity mismatch — unknown passport, wrong nationality,
// birth date or card, an invalid passport, a person who already has an
// account — is the same registry.ErrNoMatch. A taken username is
// username_taken whatever identity comes with it: it is checked before the
// registry is asked, so that answer says nothing about the registry. The
// password is hashed before either, so every answer costs the same work.
func (s *Service) Register(ctx context.Context, r Registration, clientIP string) (Account, error) {
	if ok, wait := s.register.Allow(clientIP); !ok {
		return Account{}, errSlowDown(wait)
	}
	username, proof, err := r.check(calendar.LocalDate(s.clock.Now()))
	if err != nil {
		return Account{}, err
	}
	hash, err := hashPassword(r.Password, s.opts.Argon2)
	if err != nil {
		return Account{}, apperr.Internal("accounts: hash: %w", err)
	}
	if err := s.checkFree(s.db.Gorm.WithContext(ctx), username, ""); err != nil {
		if _, ok := apperr.As(err); ok {
			return Account{}, err
		}
		return Account{}, apperr.Internal("accounts: register: %w", err)
	}
	personID, err := s.identity.MatchIdentity(ctx, proof)
	if err != nil {
		return Account{}, err
	}
	acc, err := s.insert(ctx, audit.Actor{RequestID: r.RequestID}, username, hash, RoleResident, personID, "account.register")
	if apperr.Is(err, "person_has_account") {
		return Account{}, registry.ErrNoMatch
	}
	return acc, err
}

// CreateStaff creates an officer or admin account.
func (s *Service) CreateStaff(ctx context.Context, by audit.Actor, username, password, role string) (Account, error) {
	if role != RoleOfficer && role != RoleAdmin {
		return Account{}, errBadRole
	}
	return s.create(ctx, by, username, password, role, "")
}

// CreateResident creates a resident account for a person without proof of
// identity; for staff and demo seeding, never for self-service.
func (s *Service) CreateResident(ctx context.Context, by audit.Actor, username, password, personID string) (Account, error) {
	return s.create(ctx, by, username, password, RoleResident, personID)
}

func (s *Service) create(ctx context.Context, by audit.Actor, username, password, role, personID string) (Account, error) {
	u, err := NormalizeUsername(username)
	if err != nil {
		return Account{}, err
	}
	if err := CheckPassword(u, password); err != nil {
		return Account{}, err
	}
	hash, err := hashPassword(password, s.opts.Argon2)
	if err != nil {
		return Account{}, apperr.Internal("accounts: hash: %w", err)
	}
	return s.insert(ctx, by, u, hash, role, personID, "account.create")
}

func (s *Service) insert(ctx context.Context, by audit.Actor, username, hash, role, personID, action string) (Account, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Account{}, apperr.Internal("accounts: id: %w", err)
	}
	now := s.clock.Now().UTC()
	row := accountRow{ID: id.String(), Username: username, PasswordHash: hash, Role: role, CreatedAt: now, UpdatedAt: now}
	if personID != "" {
		row.PersonID = &personID
	}
	if by.ID == "" { // self-registration: the new account acts for itself
		by.ID, by.Role = row.ID, role
	}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.checkFree(tx, username, personID); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: action, Entity: "account", EntityID: row.ID,
			After: row.account()})
	})
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return Account{}, errUsernameTaken // lost a race with another insert
	case err != nil:
		if _, ok := apperr.As(err); ok {
			return Account{}, err
		}
		return Account{}, apperr.Internal("accounts: create: %w", err)
	}
	return row.account(), nil
}

// checkFree tells a taken username from a person who already has an
// account, which the database's unique violations cannot.
func (s *Service) checkFree(tx *gorm.DB, username, personID string) error {
	var n int64
	if err := tx.Model(&accountRow{}).Where("username = ?", username).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errUsernameTaken
	}
	if personID == "" {
		return nil
	}
	if err := tx.Model(&accountRow{}).Where("person_id = ?", personID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return apperr.Conflict("person_has_account", i18n.T("This person already has an account.", "此人已有账户。"))
	}
	return nil
}

// ByUsername returns an account.
func (s *Service) ByUsername(ctx context.Context, username string) (Account, error) {
	var row accountRow
	err := s.db.Gorm.WithContext(ctx).Where("username = ?", strings.ToLower(strings.TrimSpace(username))).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Account{}, errNoAccount
	}
	if err != nil {
		return Account{}, apperr.Internal("accounts: by username: %w", err)
	}
	return row.account(), nil
}

// ResetPassword sets a new password, lifts any lock and signs the account
// out everywhere.
func (s *Service) ResetPassword(ctx context.Context, by audit.Actor, username, password string) error {
	acc, err := s.ByUsername(ctx, username)
	if err != nil {
		return err
	}
	if err := CheckPassword(acc.Username, password); err != nil {
		return err
	}
	hash, err := hashPassword(password, s.opts.Argon2)
	if err != nil {
		return apperr.Internal("accounts: hash: %w", err)
	}
	now := s.clock.Now().UTC()
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&accountRow{}).Where("id = ?", acc.ID).Updates(map[string]any{
			"password_hash": hash, "failed_logins": 0, "locked_until": nil, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := revokeSessions(tx, acc.ID, "", now); err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "account.reset_password", Entity: "account",
			EntityID: acc.ID})
	})
	if err != nil {
		return apperr.Internal("accounts: reset password: %w", err)
	}
	return nil
}
