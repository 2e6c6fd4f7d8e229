package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/outbox"
	"github.com/fprlink/fprlink/internal/registry"
)

// A Chinese helper holds no registry record: the administration keeps
// none of Chinese citizens. An officer who has seen the helper's resident
// identity card records the name, a contact and the number — kept only as
// a keyed hash and its last four characters — and the helper then enrols
// with a one-time code like a resident: sent to that contact on request
// (by number and name, the answer the same whatever matched), or handed
// over at the counter.

// MinPepperLength is the shortest ResidentIDPepper accepted.
const MinPepperLength = 32

// MaxHelperNameLength bounds a helper's name, in characters.
const MaxHelperNameLength = 50

var (
	errHelpersOff = apperr.New(apperr.KindUnavailable, "helpers_unavailable", i18n.T(
		"Helper enrolment is not available right now.", "协办人开户服务暂不可用。"))
	errHelperName = apperr.Invalid("invalid_helper_name", "name", i18n.T(
		"The name is written in Chinese characters as on the resident identity card (a · between the parts of a name may be kept), at most 50 characters.",
		"姓名须按居民身份证用汉字填写（姓名各部分之间可保留“·”），最多 50 个字。"))
	errHelperContact = apperr.Invalid("helper_contact_required", "mobile", i18n.T(
		"Give a mobile number or an e-mail address, to which the enrolment code is sent.",
		"请填写手机号码或电子邮箱，开户验证码将发送至该联系方式。"))
	errHelperMobile = apperr.Invalid("invalid_mobile", "mobile", i18n.T(
		"The mobile number is written in international form, + and 8 to 15 digits (ITU-T E.164), or as an 11-digit mainland China mobile number.",
		"手机号码须为国际格式（“+”加 8 至 15 位数字），或 11 位中国大陆手机号码。"))
	errHelperEmail = apperr.Invalid("invalid_email", "email", i18n.T(
		"The e-mail address must be a single address of at most 254 characters, with a domain name such as example.cn.",
		"电子邮箱须为单个地址，最多 254 个字符，并含有域名（例如 example.cn）。"))
	errHelperMinor = apperr.Invalid("helper_minor", "resident_id", i18n.T(
		"A person under 18 cannot be a helper.", "未满 18 周岁者不能担任协办人。"))
	errHelperRecorded = apperr.Conflict("helper_already_recorded", i18n.T(
		"A helper with this resident identity number is already recorded.", "该居民身份证号码的协办人已登记。"))
	errHelperNotFound = apperr.NotFound("helper_not_found", i18n.T(
		"No helper is recorded with these details.", "未找到登记的协办人。"))
	errHasHelperAccount = apperr.Conflict("helper_has_account", i18n.T(
		"This helper already has an account.", "该协办人已有账户。"))
	errNotHelperCode = apperr.Invalid("resident_id_not_expected", "resident_id", i18n.T(
		"This enrolment code is a resident's: register without a resident identity number.",
		"此开户验证码属于外国居民，注册时无须填写居民身份证号码。"))
)

// HelperCodeSentNotice is the one answer to a helper's code request,
// whether or not the details matched a recorded helper.
var HelperCodeSentNotice = i18n.T(
	"If these details belong to a helper recorded at a service centre, a one-time enrolment code has been sent to the mobile number or e-mail address given there. "+
		"It can be used once, within the time given. If nothing arrives, a service centre can give you a code in person.",
	"如所填信息属于在服务中心登记的协办人，一次性开户验证码已发送至登记时填写的手机号码或电子邮箱，须在规定时间内使用，仅可使用一次。"+
		"如未收到，可前往服务中心当面领取验证码。")

// Helper is a Chinese helper as an officer recorded them.
type Helper struct {
	ID              string
	Name            string
	ResidentIDLast4 string
	Mobile          string
	Email           string
	RecordedBy      string
	CreatedAt       time.Time
	AccountID       string // once they enrolled
}

// HelperRecord is what an officer records after checking the card.
type HelperRecord struct {
	Name       string
	ResidentID string
	Mobile     string
	Email      string
}

// HelperCodeRequest asks for a helper's enrolment code.
type HelperCodeRequest struct {
	ResidentID string
	Name       string
	RequestID  string
}

type helperRow struct {
	ID              string `gorm:"primaryKey"`
	Name            string
	ResidentIDHash  string
	ResidentIDLast4 string `gorm:"column:resident_id_last4"`
	Mobile          string
	Email           string
	RecordedBy      string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (helperRow) TableName() string { return "helper_identities" }

func (r helperRow) helper() Helper {
	return Helper{ID: r.ID, Name: r.Name, ResidentIDLast4: r.ResidentIDLast4, Mobile: r.Mobile, Email: r.Email,
		RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt.UTC()}
}

// normalizeHelperName keeps a name as the card writes it: Han characters,
// with the middle dot of names of several parts (other dots typed for it
// become it); spaces are dropped, since the card has none.
func normalizeHelperName(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.Is(unicode.Han, r):
			b.WriteRune(r)
		case r == '·' || r == '•' || r == '・' || r == '.' || r == '．':
			b.WriteRune('·')
		case unicode.IsSpace(r):
		default:
			return "", errHelperName
		}
	}
	n := b.String()
	if c := utf8.RuneCountInString(n); c < 2 || c > MaxHelperNameLength || strings.HasPrefix(n, "·") || strings.HasSuffix(n, "·") {
		return "", errHelperName
	}
	return n, nil
}

// residentIDOf parses a helper's resident identity number and refuses a
// minor; the number's birth date says so, so this tells nobody anything
// about what is recorded.
func residentIDOf(s string, today calendar.Date) (docnum.ResidentID, error) {
	id, err := docnum.ParseResidentID(s, today)
	if err != nil {
		return id, apperr.AtField(err, "resident_id")
	}
	if !adultOn(id.BirthDate, today) {
		return id, errHelperMinor
	}
	return id, nil
}

// residentIDHash is the stored form of a resident identity number.
func (s *Service) residentIDHash(number string) string {
	m := hmac.New(sha256.New, s.opts.ResidentIDPepper)
	m.Write([]byte("fprlink resident id\x00" + number))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Service) helpersOn() error {
	if len(s.opts.ResidentIDPepper) < MinPepperLength {
		return errHelpersOff
	}
	return nil
}

// RecordHelper records a Chinese helper whose resident identity card an
// officer has checked at a counter.
func (s *Service) RecordHelper(ctx context.Context, by audit.Actor, in HelperRecord) (Helper, error) {
	if err := s.helpersOn(); err != nil {
		return Helper{}, err
	}
	var f fieldList
	name, err := normalizeHelperName(in.Name)
	f.add(err)
	id, err := residentIDOf(in.ResidentID, calendar.LocalDate(s.clock.Now()))
	f.add(err)
	mobile, ok := registry.NormalizeMobile(in.Mobile)
	if !ok {
		f.add(errHelperMobile)
	}
	email, ok := registry.NormalizeEmail(in.Email)
	if !ok {
		f.add(errHelperEmail)
	}
	if strings.TrimSpace(in.Mobile) == "" && strings.TrimSpace(in.Email) == "" {
		f.add(errHelperContact)
	}
	if err := f.err(); err != nil {
		return Helper{}, err
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return Helper{}, apperr.Internal("accounts: helper id: %w", err)
	}
	now := s.clock.Now().UTC()
	row := helperRow{ID: uid.String(), Name: name, ResidentIDHash: s.residentIDHash(id.Number),
		ResidentIDLast4: id.Number[len(id.Number)-4:], Mobile: mobile, Email: email, RecordedBy: by.ID,
		CreatedAt: now, UpdatedAt: now}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&helperRow{}).Where("resident_id_hash = ?", row.ResidentIDHash).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errHelperRecorded
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		// The trail keeps who recorded whom, not the identity itself.
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "helper.record", Entity: "helper", EntityID: row.ID,
			After: map[string]any{"resident_id_last4": row.ResidentIDLast4, "mobile": row.Mobile != "", "email": row.Email != ""}})
	})
	switch {
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return Helper{}, errHelperRecorded
	case err != nil:
		if _, ok := apperr.As(err); ok {
			return Helper{}, err
		}
		return Helper{}, apperr.Internal("accounts: record helper: %w", err)
	}
	return row.helper(), nil
}

// FindHelper is an officer's look-up of a recorded helper by the number on
// the card in front of them.
func (s *Service) FindHelper(ctx context.Context, residentID string) (Helper, error) {
	if err := s.helpersOn(); err != nil {
		return Helper{}, err
	}
	id, err := docnum.ParseResidentID(residentID, calendar.LocalDate(s.clock.Now()))
	if err != nil {
		return Helper{}, apperr.AtField(err, "resident_id")
	}
	row, err := s.helperBy(ctx, "resident_id_hash = ?", s.residentIDHash(id.Number))
	if err != nil {
		return Helper{}, err
	}
	return s.withAccount(ctx, row.helper())
}

// Helper returns a recorded helper by ID.
func (s *Service) Helper(ctx context.Context, id string) (Helper, error) {
	row, err := s.helperBy(ctx, "id = ?", id)
	if err != nil {
		return Helper{}, err
	}
	return s.withAccount(ctx, row.helper())
}

func (s *Service) helperBy(ctx context.Context, where string, arg any) (helperRow, error) {
	var row helperRow
	err := s.db.Gorm.WithContext(ctx).Where(where, arg).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, errHelperNotFound
	}
	if err != nil {
		return row, apperr.Internal("accounts: helper: %w", err)
	}
	return row, nil
}

func (s *Service) withAccount(ctx context.Context, h Helper) (Helper, error) {
	var ids []string
	if err := s.db.Gorm.WithContext(ctx).Model(&accountRow{}).Where("helper_id = ?", h.ID).Pluck("id", &ids).Error; err != nil {
		return h, apperr.Internal("accounts: helper account: %w", err)
	}
	if len(ids) > 0 {
		h.AccountID = ids[0]
	}
	return h, nil
}

// RequestHelperCode sends an enrolment code to the contact recorded for
// the helper the number and name name. As for residents, the answer is
// the same whether or not they matched, and whether or not a code was
// sent (none for a helper who already has an account, or was sent one
// too recently or too often); only form errors, a minor's number and the
// per-address limit are told apart.
func (s *Service) RequestHelperCode(ctx context.Context, r HelperCodeRequest, clientIP string) (CodeSent, error) {
	if ok, wait := s.codes.Allow(clientIP); !ok {
		return CodeSent{}, errSlowDown(wait)
	}
	if err := s.helpersOn(); err != nil {
		return CodeSent{}, err
	}
	var f fieldList
	id, err := residentIDOf(r.ResidentID, calendar.LocalDate(s.clock.Now()))
	f.add(err)
	name, err := normalizeHelperName(r.Name)
	f.add(err)
	if err := f.err(); err != nil {
		return CodeSent{}, err
	}
	sent := CodeSent{ValidFor: s.opts.EnrolCodeTTL}
	row, err := s.helperBy(ctx, "resident_id_hash = ?", s.residentIDHash(id.Number))
	if errors.Is(err, errHelperNotFound) || (err == nil && !hmac.Equal([]byte(row.Name), []byte(name))) {
		return sent, nil
	}
	if err != nil {
		return CodeSent{}, err
	}
	channel, to := channelSMS, row.Mobile
	if to == "" {
		channel, to = channelEmail, row.Email
	}
	who := helperSubject(row.ID)
	err = s.newCode(ctx, who, channel, systemIn(r.RequestID), func(tx *gorm.DB, now time.Time, code string, exp time.Time) (bool, error) {
		if quiet, err := s.throttled(tx, who, now); quiet || err != nil {
			return false, err
		}
		_, err := outbox.Enqueue(tx, now, codeMessage(channel, to, code, exp))
		return err == nil, err
	})
	if err != nil {
		return CodeSent{}, err
	}
	return sent, nil
}

// IssueHelperCounterCode gives an officer a code for a recorded helper at
// the counter, whose card the officer has checked again; shown once.
func (s *Service) IssueHelperCounterCode(ctx context.Context, by audit.Actor, helperID string) (CounterCode, error) {
	row, err := s.helperBy(ctx, "id = ?", helperID)
	if err != nil {
		return CounterCode{}, err
	}
	var out CounterCode
	err = s.newCode(ctx, helperSubject(row.ID), channelCounter, by, func(_ *gorm.DB, _ time.Time, code string, exp time.Time) (bool, error) {
		out = CounterCode{HelperID: row.ID, Code: code, ExpiresAt: exp}
		return true, nil
	})
	if apperr.Is(err, errHasAccount.Code) {
		return CounterCode{}, errHasHelperAccount
	}
	return out, err
}

// registerHelper opens a helper's account with a proven code, which works
// only with the resident identity number it was issued for: a code that
// reached the wrong hands is no use without the card's number, and a
// mismatch counts as a wrong try against the code.
func (s *Service) registerHelper(ctx context.Context, r Registration, username, hash string, code enrolmentCodeRow) (Account, error) {
	if err := s.helpersOn(); err != nil {
		return Account{}, err
	}
	helper, err := s.helperBy(ctx, "id = ?", *code.HelperID)
	if err != nil {
		return Account{}, err
	}
	id, err := docnum.ParseResidentID(r.ResidentID, calendar.LocalDate(s.clock.Now()))
	if err != nil || !hmac.Equal([]byte(s.residentIDHash(id.Number)), []byte(helper.ResidentIDHash)) {
		if err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return s.countWrongTry(tx, code, s.clock.Now().UTC(), r.RequestID)
		}); err != nil {
			return Account{}, apperr.Internal("accounts: count try: %w", err)
		}
		return Account{}, errCodeInvalid
	}
	return s.insert(ctx, audit.Actor{RequestID: r.RequestID}, username, hash, RoleHelper, helperSubject(helper.ID), "account.register",
		func(tx *gorm.DB, now time.Time) error { return consumeCode(tx, code.ID, now) })
}
