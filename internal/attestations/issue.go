package attestations

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/issuer"
)

// Issued is a new attestation as returned once: the only time the
// verification code is shown in clear.
type Issued struct {
	ID               string
	DocumentNumber   string
	Purpose          relyingparties.Sector
	Token            string
	QRText           string
	VerificationCode string
	IssuedAt         time.Time
	ExpiresAt        time.Time
}

// IssueRequest is a resident's request for a new e-document.
type IssueRequest struct {
	PersonID string
	// Purpose is the sector of the relying party the document is for.
	Purpose   relyingparties.Sector
	RequestID string
	// By is who asked, when it is not the person's own account: a helper
	// acting for them (By.OnBehalfOf is PersonID). The document is the
	// person's either way; the audit names who asked.
	By audit.Actor
}

// actor is who the audit names as having asked for the document.
func (r IssueRequest) actor() audit.Actor {
	if r.By.ID != "" {
		return r.By
	}
	return audit.Actor{ID: r.PersonID, Role: "resident", RequestID: r.RequestID}
}

// Issue makes an attestation for the person from the registry's current
// data. The limits are checked before anything is signed, so a refused
// request writes nothing, not even a status-list slot; they are checked
// again under a per-person lock when the row is stored, which only a
// concurrent request of the same resident can make fail (its slot then
// stays unused). The PDF is rendered here, because afterwards the
// verification code it prints exists only as a hash (and inside the PDF,
// which is kept sealed), and stored with the row in one transaction.
func (s *Service) Issue(ctx context.Context, req IssueRequest) (Issued, error) {
	if err := validPurpose(req.Purpose); err != nil {
		return Issued{}, err
	}
	personID := req.PersonID
	h, err := s.holders.Current(ctx, personID)
	if err != nil {
		return Issued{}, err
	}
	if err := issuable(h, calendar.LocalDate(s.clock.Now())); err != nil {
		return Issued{}, err
	}
	if err := s.checkLimits(s.db.Gorm.WithContext(ctx), personID, req.Purpose, s.clock.Now().UTC()); err != nil {
		return Issued{}, err
	}
	number, err := newDocumentNumber()
	if err != nil {
		return Issued{}, apperr.Internal("attestations: document number: %w", err)
	}
	doc, err := s.issuer.Issue(ctx, input(number, req.Purpose, h))
	if err != nil {
		return Issued{}, issueError(err)
	}
	code, err := newCode()
	if err != nil {
		return Issued{}, apperr.Internal("attestations: code: %w", err)
	}
	doc.VerificationCode = code
	pdf, err := s.render.PDF(doc)
	if err != nil {
		return Issued{}, apperr.Internal("attestations: render PDF: %w", err)
	}
	row, err := s.newRow(personID, h, doc, code)
	if err != nil {
		return Issued{}, err
	}
	row.Purpose = string(req.Purpose)
	if err := s.store(ctx, row, h, pdf, req.actor()); err != nil {
		return Issued{}, err
	}
	return Issued{ID: row.ID, DocumentNumber: number, Purpose: req.Purpose, Token: doc.JWS, QRText: doc.QRText,
		VerificationCode: code, IssuedAt: row.IssuedAt, ExpiresAt: row.ExpiresAt}, nil
}

// errRegistryChanged refuses a document whose registry data changed while
// it was being made: the change may have made it untrue.
var errRegistryChanged = apperr.Conflict("registry_changed", i18n.T(
	"Your registry record changed while the e-document was being made; please issue it again.",
	"制作电子证明期间您的登记信息发生了变更，请重新申领。"))

// issueLock names the lock that orders a person's issuing against the
// registry changes that invalidate their documents (InvalidateTx).
func issueLock(personID string) string { return "attestations.issue:" + personID }

// store writes a new row, its PDF and its audit entry in one transaction,
// after checking the limits again under a lock on the person's issuing.
// Under the same lock it reads the registry again: a change that committed
// after h was read and before the lock was taken (a passport reported lost
// meanwhile) refuses the document, and one that commits later finds it
// stored and invalidates it.
func (s *Service) store(ctx context.Context, row Row, h Holder, pdf []byte, by audit.Actor) error {
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.LockTx(tx, issueLock(row.PersonID)); err != nil {
			return err
		}
		if err := s.checkLimits(tx, row.PersonID, relyingparties.Sector(row.Purpose), s.clock.Now().UTC()); err != nil {
			return err
		}
		if now, err := s.holders.Current(ctx, row.PersonID); err != nil {
			return err
		} else if now != h {
			return errRegistryChanged
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		file, err := s.sealedRow(FileRow{AttestationID: row.ID, Kind: KindPDF, Content: pdf, CreatedAt: row.IssuedAt})
		if err != nil {
			return err
		}
		if err := tx.Create(&file).Error; err != nil {
			return err
		}
		return audit.Write(tx, row.IssuedAt, audit.Entry{
			Actor: by, Action: "attestation.issue",
			Entity: "attestation", EntityID: row.ID, After: summary(row)})
	})
	if _, typed := apperr.As(err); err != nil && !typed {
		return apperr.Internal("attestations: store: %w", err)
	}
	return err
}

func (s *Service) newRow(personID string, h Holder, doc issuer.Document, code string) (Row, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Row{}, apperr.Internal("attestations: id: %w", err)
	}
	salt, err := newSalt()
	if err != nil {
		return Row{}, apperr.Internal("attestations: salt: %w", err)
	}
	norm, _ := normalizeCode(code)
	return Row{
		ID: id.String(), PersonID: personID, DocumentNumber: doc.Claims.ID, KID: doc.KID,
		Token: doc.JWS, QRText: doc.QRText, State: stateActive, StatusListID: doc.Slot.ListID, StatusIdx: doc.Slot.Index,
		CodeSalt: salt, CodeHash: hashCode(salt, norm),
		PassportNumber: h.Passport.Number, CardNumber: h.Card.Number, CardID: h.Card.ID,
		IssuedAt: time.Unix(doc.Claims.IssuedAt, 0).UTC(), ExpiresAt: time.Unix(doc.Claims.Expiry, 0).UTC(),
	}, nil
}

// issuable refuses, naming the reason, when the passport or card cannot
// back an attestation today. A holder recorded with Chinese nationality is
// refused first: the registry keeps such a record only to correct it, and
// a document linking a Chinese national to a foreigner's card would attest
// what cannot be (docnum.ChineseNationality).
func issuable(h Holder, today calendar.Date) error {
	if docnum.ChineseNationality(h.Passport.Nationality) {
		return apperr.Conflict("holder_chinese_nationality", docnum.ChineseNationalityNotice(h.Passport.Nationality))
	}
	checks := []struct {
		missing      bool
		status       DocStatus
		expiry       calendar.Date
		what, whatZh string
		missingCode  string
		invalidCode  string
		expiredCode  string
	}{
		{h.Passport.Number == "", h.Passport.Status, h.Passport.ExpiryDate, "passport", "护照",
			"no_current_passport", "passport_not_valid", "passport_expired"},
		{h.Card.Number == "", h.Card.Status, h.Card.ExpiryDate, "FPR card", "永久居留身份证",
			"no_current_fpr_card", "fpr_card_not_valid", "fpr_card_expired"},
	}
	for _, c := range checks {
		switch {
		case c.missing:
			return apperr.Conflict(c.missingCode, i18n.T(
				fmt.Sprintf("The registry holds no current %s for you.", c.what),
				fmt.Sprintf("登记系统中没有您当前有效的%s。", c.whatZh)))
		case c.status != DocValid:
			return apperr.Conflict(c.invalidCode, i18n.T(
				fmt.Sprintf("Your %s is not valid (registry status: %s).", c.what, c.status.Label().En),
				fmt.Sprintf("您的%s无效（登记状态：%s）。", c.whatZh, c.status.Label().Zh)))
		case c.expiry.IsZero() || c.expiry.Before(today):
			return apperr.Conflict(c.expiredCode, i18n.T(
				fmt.Sprintf("Your %s has expired.", c.what), fmt.Sprintf("您的%s已过期。", c.whatZh)))
		}
	}
	return nil
}

// input is the registry data for the issuer; the issuer keeps only what
// purpose needs.
func input(number string, purpose relyingparties.Sector, h Holder) issuer.Input {
	p, c := h.Passport, h.Card
	day := func(d calendar.Date) time.Time { return d.Time(clock.Shanghai()) }
	return issuer.Input{
		DocumentNumber: number, Purpose: string(purpose), ChineseName: h.ChineseName,
		Passport: issuer.PassportData{
			Number: p.Number, IssuingState: p.IssuingState, Nationality: p.Nationality,
			Surname: p.Surname, GivenNames: p.GivenNames, BirthDate: day(p.BirthDate),
			Sex: p.Sex, ExpiryDate: day(p.ExpiryDate), PreviousNumber: p.PreviousNumber,
		},
		Card: issuer.CardData{Number: c.Number, Version: c.Version,
			IssueDate: day(c.IssueDate), ExpiryDate: day(c.ExpiryDate), PreviousNumber: c.PreviousNumber,
			PrintedName: c.PrintedName},
	}
}

func issueError(err error) error {
	switch {
	case errors.Is(err, issuer.ErrCredentialExpired):
		return apperr.Conflict("credential_expired", i18n.T(
			"Your passport or FPR card expires before a document could start.", "您的护照或永久居留身份证即将过期，无法签发。")).Wrap(err)
	case errors.Is(err, issuer.ErrInvalidInput), errors.Is(err, issuer.ErrQRTooLarge):
		return apperr.Conflict("registry_data_unusable", i18n.T(
			"Your registry record cannot be put on an e-document; please contact a service centre.",
			"您的登记信息无法写入电子证明，请联系服务中心。")).Wrap(err)
	}
	if _, typed := apperr.As(err); typed {
		return err
	}
	return apperr.Internal("attestations: issue: %w", err)
}
