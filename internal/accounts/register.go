package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

var (
	errUsernameTaken = apperr.Conflict("username_taken",
		i18n.T("This username is taken; choose another.", "该用户名已被使用，请另选一个。"))
	errBadRole = apperr.Invalid("invalid_role", "role",
		i18n.T("role must be officer or admin.", "角色必须是审核人员或管理员。"))
	errNoAccount = apperr.NotFound("account_not_found",
		i18n.T("There is no such account.", "没有此账户。"))
)

// Registration opens a resident account with an enrolment code, which
// says whose account it is: the registry person it was issued for.
type Registration struct {
	Code     string
	Username string
	Password string
	// ResidentID is given by a Chinese helper: their code works only with
	// the resident identity number the officer recorded.
	ResidentID string
	// RequestID ties the audit row to the request that registered.
	RequestID string
}

var errCodeInvalid = apperr.Invalid("enrolment_code_invalid", "code", i18n.T(
	"This enrolment code is not valid: it may be mistyped, used, expired or replaced by a newer one. Request a new code.",
	"该开户验证码无效：可能输入有误、已使用、已过期或已被新验证码取代。请重新获取验证码。"))

// fieldList gathers every invalid field of a form so the caller sees them
// all at once.
type fieldList []apperr.FieldError

func (f *fieldList) add(err error) {
	if e, ok := apperr.As(err); ok {
		*f = append(*f, apperr.FieldError{Field: e.Field, Code: e.Code, Message: e.Message})
	}
}

func (f fieldList) err() error {
	if len(f) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Code: f[0].Code, Field: f[0].Field, Message: f[0].Message, Fields: f}
}

// check validates the form of every field.
func (r Registration) check() (username, code string, err error) {
	var f fieldList
	code, ok := normalizeEnrolmentCode(r.Code)
	if !ok {
		f.add(apperr.Invalid("invalid_enrolment_code", "code", i18n.T(
			"The enrolment code is 16 letters and digits, as in XXXX-XXXX-XXXX-XXXX.",
			"开户验证码为 16 位字母和数字，格式如 XXXX-XXXX-XXXX-XXXX。")))
	}
	username, uerr := NormalizeUsername(r.Username)
	f.add(uerr)
	f.add(CheckPassword(r.Username, r.Password))
	return username, code, f.err()
}

// Register opens a resident account with an enrolment code. Nothing is
// said about the username or the person until the code is proven: every
// code that does not work — unknown, mistyped, used, expired, burned — is
// the same enrolment_code_invalid, and a wrong try counts against the code
// its first symbols name, EnrolAttempts of them burning it. Once the code
// is proven, a taken username is username_taken and the code stays usable
// with another one; a person under 18 is refused. The code is consumed in
// the transaction that creates the account, so it works once. The
// password is hashed first, so every answer costs the same work.
func (s *Service) Register(ctx context.Context, r Registration, clientIP string) (Account, error) {
	if ok, wait := s.register.Allow(clientIP); !ok {
		return Account{}, errSlowDown(wait)
	}
	username, code, err := r.check()
	if err != nil {
		return Account{}, err
	}
	hash, err := hashPassword(r.Password, s.opts.Argon2)
	if err != nil {
		return Account{}, apperr.Internal("accounts: hash: %w", err)
	}
	row, err := s.proveCode(ctx, code, r.RequestID)
	if err != nil {
		return Account{}, err
	}
	if row.HelperID != nil {
		return s.registerHelper(ctx, r, username, hash, row)
	}
	if strings.TrimSpace(r.ResidentID) != "" {
		return Account{}, errNotHelperCode
	}
	p, err := s.identity.Person(ctx, *row.PersonID)
	if err != nil {
		return Account{}, err
	}
	if !adultOn(p.BirthDate, calendar.LocalDate(s.clock.Now())) {
		return Account{}, errMinor
	}
	return s.insert(ctx, audit.Actor{RequestID: r.RequestID}, username, hash, RoleResident, personSubject(*row.PersonID), "account.register",
		func(tx *gorm.DB, now time.Time) error { return consumeCode(tx, row.ID, now) })
}

// proveCode finds the live code that code is. A wrong code counts a try
// against every live code with its locator, burning those that reach
// EnrolAttempts, in a transaction that commits although the answer is a
// refusal. Rows are locked so that concurrent tries are all counted.
func (s *Service) proveCode(ctx context.Context, code, requestID string) (enrolmentCodeRow, error) {
	var found enrolmentCodeRow
	matched := false
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.clock.Now().UTC()
		var rows []enrolmentCodeRow
		err := storage.RowLock(tx, "UPDATE").Where("locator = ? AND used_at IS NULL AND burned_at IS NULL AND expires_at > ?",
			code[:locatorLength], now).Find(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.matches(code) {
				found, matched = r, true
				return nil
			}
		}
		for _, r := range rows {
			if err := s.countWrongTry(tx, r, now, requestID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return found, apperr.Internal("accounts: prove code: %w", err)
	}
	if !matched {
		return found, errCodeInvalid
	}
	return found, nil
}

func (s *Service) countWrongTry(tx *gorm.DB, r enrolmentCodeRow, now time.Time, requestID string) error {
	set := map[string]any{"attempts": r.Attempts + 1}
	burn := r.Attempts+1 >= s.opts.EnrolAttempts
	if burn {
		set["burned_at"] = now
	}
	if err := tx.Model(&enrolmentCodeRow{}).Where("id = ?", r.ID).Updates(set).Error; err != nil {
		return err
	}
	if !burn {
		return nil
	}
	who := r.subject()
	return audit.Write(tx, now, audit.Entry{Actor: systemIn(requestID), Action: "enrolment.code_burn", Entity: who.entity(),
		EntityID: who.id, After: map[string]any{"code_id": r.ID, "attempts": r.Attempts + 1}})
}

// consumeCode marks a proven code used inside the account's transaction;
// a code another request used meanwhile is refused like any invalid one.
func consumeCode(tx *gorm.DB, id string, now time.Time) error {
	res := tx.Model(&enrolmentCodeRow{}).Where("id = ? AND used_at IS NULL AND burned_at IS NULL AND expires_at > ?", id, now).
		Update("used_at", now)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errCodeInvalid
	}
	return nil
}

// CreateStaff creates an officer or admin account.
func (s *Service) CreateStaff(ctx context.Context, by audit.Actor, username, password, role string) (Account, error) {
	if role != RoleOfficer && role != RoleAdmin {
		return Account{}, errBadRole
	}
	return s.create(ctx, by, username, password, role, subject{})
}

// CreateResident creates a resident account for a person without proof of
// identity; for staff and demo seeding, never for self-service.
func (s *Service) CreateResident(ctx context.Context, by audit.Actor, username, password, personID string) (Account, error) {
	return s.create(ctx, by, username, password, RoleResident, personSubject(personID))
}

func (s *Service) create(ctx context.Context, by audit.Actor, username, password, role string, owner subject) (Account, error) {
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
	return s.insert(ctx, by, u, hash, role, owner, "account.create", nil)
}

// insert creates an account in one transaction with its audit row and
// also, when given, whatever else must commit with it. The owner is the
// registry person of a resident or the helper identity of a Chinese
// helper; staff accounts have none.
func (s *Service) insert(ctx context.Context, by audit.Actor, username, hash, role string, owner subject, action string,
	also func(tx *gorm.DB, now time.Time) error) (Account, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Account{}, apperr.Internal("accounts: id: %w", err)
	}
	now := s.clock.Now().UTC()
	row := accountRow{ID: id.String(), Username: username, PasswordHash: hash, Role: role, CreatedAt: now, UpdatedAt: now}
	switch {
	case owner.id == "":
	case owner.column == "helper_id":
		row.HelperID = &owner.id
	default:
		row.PersonID = &owner.id
	}
	if by.ID == "" { // self-registration: the new account acts for itself
		by.ID, by.Role = row.ID, role
	}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.checkFree(tx, username, owner); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx, now); err != nil {
				return err
			}
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

// checkFree tells a taken username from a person or helper who already
// has an account, which the database's unique violations cannot.
func (s *Service) checkFree(tx *gorm.DB, username string, owner subject) error {
	var n int64
	if err := tx.Model(&accountRow{}).Where("username = ?", username).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errUsernameTaken
	}
	if owner.id == "" {
		return nil
	}
	if err := tx.Model(&accountRow{}).Where(owner.column+" = ?", owner.id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return errHasAccount
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
