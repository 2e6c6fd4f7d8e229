package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/outbox"
	"github.com/fprlink/fprlink/internal/registry"
)

var (
	errMinor = apperr.Conflict("enrolment_minor", i18n.T(
		"A person under 18 cannot open an account themselves; a parent or guardian will act for them once assisted applications are available.",
		"未满 18 周岁者不能自行开户；协助办理功能开通后，可由其父母或监护人代为办理。"))
	errHasAccount = apperr.Conflict("person_has_account", i18n.T("This person already has an account.", "此人已有账户。"))
)

// CodeSentNotice is the one answer to a code request, whether or not the
// details matched anyone: nothing in it says whether a code was sent.
var CodeSentNotice = i18n.T(
	"If these details belong to a person in our registry who can open an account, a one-time enrolment code has been sent to the mobile number or e-mail address on record. "+
		"It can be used once, within the time given. If nothing arrives, or no contact is on record, a service centre can give you a code in person.",
	"如所填信息属于登记簿中可开户的人员，一次性开户验证码已发送至登记的手机号码或电子邮箱，须在规定时间内使用，仅可使用一次。"+
		"如未收到，或未登记联系方式，可前往服务中心当面领取验证码。")

// CodeRequest asks for an enrolment code with the data printed on a
// person's documents. Those prove nothing on their own; they only say
// where to send the code.
type CodeRequest struct {
	PassportNumber string
	Nationality    string
	BirthDate      string // YYYY-MM-DD
	FPRCardNumber  string // when the person holds one
	RequestID      string
}

// CodeSent is the answer to a code request: how long a code, if one was
// sent, stays valid.
type CodeSent struct{ ValidFor time.Duration }

// CounterCode is a code handed out by an officer, shown once.
type CounterCode struct {
	PersonID  string // the resident's registry person, or
	HelperID  string // the recorded helper
	Code      string
	ExpiresAt time.Time
}

// check validates the form of every field; it says nothing about the
// registry, so naming the field gives nothing away.
func (r CodeRequest) check(today calendar.Date) (registry.Proof, error) {
	var f fieldList
	proof := registry.Proof{PassportNumber: strings.TrimSpace(r.PassportNumber),
		Nationality: strings.ToUpper(strings.TrimSpace(r.Nationality)), FPRCardNumber: strings.TrimSpace(r.FPRCardNumber)}
	if proof.PassportNumber == "" || len(proof.PassportNumber) > 9 {
		f.add(apperr.Invalid("invalid_passport_number", "passport_number", i18n.T("The passport number is 1 to 9 letters and digits.", "护照号码应为 1 至 9 位字母或数字。")))
	}
	if !docnum.IsNationality(proof.Nationality) {
		f.add(apperr.Invalid("invalid_nationality", "nationality", i18n.T("nationality must be an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 nationality code (such as D, GBN or XXA).", "国籍必须是 ISO 3166-1 三字母代码或国际民航组织第 9303 号文件规定的国籍代码（如 D、GBN、XXA）。")))
	}
	var err error
	if proof.BirthDate, err = calendar.ParseDate(strings.TrimSpace(r.BirthDate)); err != nil {
		f.add(apperr.Invalid("invalid_date", "birth_date", i18n.T("birth_date must be a YYYY-MM-DD date.", "出生日期须为 YYYY-MM-DD 格式。")))
	}
	if proof.FPRCardNumber != "" {
		if _, err := docnum.ParseFPR(proof.FPRCardNumber, today); err != nil {
			f.add(apperr.AtField(err, "fpr_card_number"))
		}
	}
	return proof, f.err()
}

// RequestCode sends an enrolment code to the contact on record of the
// person the details name. The answer is the same whether or not they
// matched anyone, and whether or not a code was sent: none is for a
// person under 18, one who already has an account, one with no contact on
// record, or one who was sent a code less than EnrolResend ago or
// EnrolPerDay codes in the last 24 hours (so nobody can flood a person's
// phone). Only form errors and the per-address limit are told apart.
// A matching request costs a database write that others do not; the
// per-address limit keeps that from being timed at any useful rate, and
// the details asked for are printed on the person's documents anyway.
func (s *Service) RequestCode(ctx context.Context, r CodeRequest, clientIP string) (CodeSent, error) {
	if ok, wait := s.codes.Allow(clientIP); !ok {
		return CodeSent{}, errSlowDown(wait)
	}
	proof, err := r.check(calendar.LocalDate(s.clock.Now()))
	if err != nil {
		return CodeSent{}, err
	}
	sent := CodeSent{ValidFor: s.opts.EnrolCodeTTL}
	personID, err := s.identity.MatchIdentity(ctx, proof)
	if err == registry.ErrNoMatch {
		return sent, nil
	}
	if err != nil {
		return CodeSent{}, err
	}
	if err := s.sendCode(ctx, personID, r.RequestID); err != nil {
		return CodeSent{}, err
	}
	return sent, nil
}

// sendCode issues a code to the person's contact on record, unless one of
// the silent refusals of RequestCode applies.
func (s *Service) sendCode(ctx context.Context, personID, requestID string) error {
	p, err := s.identity.Person(ctx, personID)
	if err != nil {
		return err
	}
	channel, to := channelSMS, p.Mobile
	if to == "" {
		channel, to = channelEmail, p.Email
	}
	if to == "" || !adultOn(p.BirthDate, calendar.LocalDate(s.clock.Now())) {
		return nil
	}
	return s.newCode(ctx, personSubject(personID), channel, systemIn(requestID), func(tx *gorm.DB, now time.Time, code string, exp time.Time) (bool, error) {
		if quiet, err := s.throttled(tx, personSubject(personID), now); quiet || err != nil {
			return false, err
		}
		_, err := outbox.Enqueue(tx, now, codeMessage(channel, to, code, exp))
		return err == nil, err
	})
}

// throttled reports whether the subject was sent a code too recently or
// too often to be sent another now. Counter codes do not count.
func (s *Service) throttled(tx *gorm.DB, who subject, now time.Time) (bool, error) {
	var times []time.Time
	err := tx.Model(&enrolmentCodeRow{}).Where(who.column+" = ? AND channel <> ? AND created_at > ?",
		who.id, channelCounter, now.Add(-24*time.Hour)).Order("created_at DESC").Pluck("created_at", &times).Error
	if err != nil {
		return false, err
	}
	return len(times) >= s.opts.EnrolPerDay || (len(times) > 0 && now.Sub(times[0]) < s.opts.EnrolResend), nil
}

// IssueCounterCode gives an officer a code for a person standing at the
// counter, whose documents the officer has checked; it is shown once.
func (s *Service) IssueCounterCode(ctx context.Context, by audit.Actor, personID string) (CounterCode, error) {
	p, err := s.identity.Person(ctx, personID)
	if err != nil {
		return CounterCode{}, err
	}
	if !adultOn(p.BirthDate, calendar.LocalDate(s.clock.Now())) {
		return CounterCode{}, errMinor
	}
	var out CounterCode
	err = s.newCode(ctx, personSubject(personID), channelCounter, by, func(_ *gorm.DB, _ time.Time, code string, exp time.Time) (bool, error) {
		out = CounterCode{PersonID: personID, Code: code, ExpiresAt: exp}
		return true, nil
	})
	return out, err
}

// codeStep decides inside newCode's transaction whether the code is
// issued, and delivers it (an outbox message, or the answer).
type codeStep func(tx *gorm.DB, now time.Time, code string, expires time.Time) (bool, error)

// newCode stores a fresh code for the subject in one transaction with its
// delivery and audit row, burning the subject's earlier live codes: only
// the newest works. A subject who already has an account gets none: staff
// are told so, anyone else is not.
func (s *Service) newCode(ctx context.Context, who subject, channel string, actor audit.Actor, deliver codeStep) error {
	code, locator, salt, hash, err := newEnrolmentCode()
	if err != nil {
		return apperr.Internal("accounts: code: %w", err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return apperr.Internal("accounts: code id: %w", err)
	}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.LockTx(tx, "enrolment_codes:"+who.id); err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		exp := now.Add(s.opts.EnrolCodeTTL)
		var n int64
		if err := tx.Model(&accountRow{}).Where(who.column+" = ?", who.id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 && channel == channelCounter {
			return errHasAccount
		}
		if n > 0 {
			return nil // told apart only to staff
		}
		if ok, err := deliver(tx, now, code, exp); !ok || err != nil {
			return err
		}
		if err := tx.Model(&enrolmentCodeRow{}).Where(who.column+" = ? AND used_at IS NULL AND burned_at IS NULL", who.id).
			Update("burned_at", now).Error; err != nil {
			return err
		}
		row := enrolmentCodeRow{ID: id.String(), Locator: locator, Salt: salt, CodeHash: hash,
			Channel: channel, IssuedBy: actor.ID, CreatedAt: now, ExpiresAt: exp}
		if who.column == "helper_id" {
			row.HelperID = &who.id
		} else {
			row.PersonID = &who.id
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: actor, Action: "enrolment.code_issue", Entity: who.entity(), EntityID: who.id,
			After: map[string]any{"code_id": row.ID, "channel": channel, "expires_at": exp}})
	})
	if _, typed := apperr.As(err); err != nil && !typed {
		return apperr.Internal("accounts: issue code: %w", err)
	}
	return err
}

// codeMessage is the text that carries a code, in both languages since
// the recipient's language is not on record.
func codeMessage(channel, to, code string, expires time.Time) outbox.Message {
	until := expires.In(clock.Shanghai()).Format("15:04")
	body := fmt.Sprintf("Your enrolment code for the online immigration services is %s. It is valid until %s (Beijing time) "+
		"and can be used once. Staff will never ask you for it.\n"+
		"您的出入境在线服务开户验证码为 %s，北京时间 %s 前有效，仅可使用一次。工作人员不会向您索要此验证码。",
		code, until, code, until)
	m := outbox.Message{Channel: outbox.SMS, To: to, Body: body, ExpiresAt: expires}
	if channel == channelEmail {
		m.Channel, m.Subject = outbox.Email, "Your enrolment code / 开户验证码"
	}
	return m
}

// systemIn is the service acting on its own in answer to a request: the
// audit row still names the request.
func systemIn(requestID string) audit.Actor {
	a := audit.System
	a.RequestID = requestID
	return a
}
