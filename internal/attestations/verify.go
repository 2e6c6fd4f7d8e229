package attestations

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

// VerifyRequest is what a relying party presents to be verified: exactly
// one of QR, Token, or DocumentNumber with VerificationCode.
type VerifyRequest struct {
	QR               string
	Token            string
	DocumentNumber   string
	VerificationCode string
}

func invalidField(code, field, en, zh string) error {
	return apperr.Invalid(code, field, i18n.T(en, zh))
}

// Validate checks that exactly one way of presenting a document is used
// and that it is within bounds. Whether the content is a genuine document
// is the verification's answer, not a request error.
func (r *VerifyRequest) Validate() error {
	r.DocumentNumber = strings.ToUpper(strings.TrimSpace(r.DocumentNumber))
	modes := 0
	for _, set := range []bool{r.QR != "", r.Token != "", r.DocumentNumber != "" || r.VerificationCode != ""} {
		if set {
			modes++
		}
	}
	switch {
	case modes != 1:
		return invalidField("one_input_required", "qr",
			"Send exactly one of qr, token, or document_number with verification_code.",
			"请只提供二维码内容、电子证明令牌，或电子证明编号加验证码，三者选其一。")
	case len(r.QR) > verifier.MaxInputBytes:
		return invalidField("input_too_large", "qr", "qr is longer than 4096 bytes.", "二维码内容超过 4096 字节。")
	case len(r.Token) > verifier.MaxInputBytes:
		return invalidField("input_too_large", "token", "token is longer than 4096 bytes.", "电子证明令牌超过 4096 字节。")
	case r.QR != "" || r.Token != "":
		return nil
	case !issuer.ValidDocumentNumber(r.DocumentNumber):
		return invalidField("invalid_document_number", "document_number",
			"document_number must be 1-32 of A-Z, 0-9 and -.", "电子证明编号须为 1 至 32 个大写字母 A–Z、数字 0–9 或连字符。")
	}
	if _, ok := normalizeCode(r.VerificationCode); !ok {
		return invalidField("invalid_verification_code", "verification_code",
			"verification_code must be the 16-character code printed on the document.",
			"验证码须为电子证明上印制的 16 位验证码。")
	}
	return nil
}

// Check is one step of a verification.
type Check struct {
	Code   string
	Result string
	Detail string
	// Message is the outcome in words, in the caller's language.
	Message i18n.Text
}

// Verification is the answer to a VerifyRequest.
type Verification struct {
	Valid          bool
	Status         string
	Checks         []Check
	Document       *DocumentView
	CheckedAt      time.Time
	VerificationID string
}

// Online check codes, after the verifier's own.
const (
	CheckVerificationCode = "verification_code"
	CheckDocument         = "document"
	CheckRegistryPassport = "registry_passport"
	CheckRegistryCard     = "registry_fpr_card"
)

// evaluation is a verification before it is recorded.
type evaluation struct {
	method string
	checks []Check
	// verified is set only when every offline check passed.
	verified *edoc.Claims
	row      *Row
	number   string
}

// Verify checks a presented document for a relying party and records the
// answer before returning it: if the record cannot be written, the caller
// gets an error and no answer, so no verification goes unrecorded.
func (s *Service) Verify(ctx context.Context, caller relyingparties.Party, req VerifyRequest, requestID string) (Verification, error) {
	if err := req.Validate(); err != nil {
		return Verification{}, err
	}
	var ev evaluation
	switch {
	case req.QR != "":
		ev = s.verifyToken(ctx, caller.Sector, methodQR, req.QR)
	case req.Token != "":
		ev = s.verifyToken(ctx, caller.Sector, methodToken, req.Token)
	default:
		ev = s.verifyCode(ctx, caller.Sector, req.DocumentNumber, req.VerificationCode)
	}
	out := verdict(ev.checks)
	out.CheckedAt = s.clock.Now().UTC().Truncate(time.Millisecond)
	if out.Valid && ev.verified != nil {
		out.Document = viewFor(caller.Sector, ev.verified)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Verification{}, apperr.Internal("attestations: verification id: %w", err)
	}
	out.VerificationID = id.String()
	if err := s.record(ctx, caller, ev, out, requestID); err != nil {
		return Verification{}, err
	}
	return out, nil
}

func (s *Service) record(ctx context.Context, caller relyingparties.Party, ev evaluation, out Verification, requestID string) error {
	row := VerificationRow{ID: out.VerificationID, RelyingPartyID: caller.ID, PartyName: caller.Name,
		Sector: string(caller.Sector), DocumentNumber: ev.number, Method: ev.method, Result: out.Status,
		CheckedAt: out.CheckedAt, RequestID: requestID}
	if ev.row != nil {
		row.AttestationID = &ev.row.ID
		row.DocumentNumber = ev.row.DocumentNumber
	}
	for _, c := range out.Checks {
		if c.Result == string(verifier.Fail) {
			row.FailedCheck = c.Code
			break
		}
	}
	if err := s.recorder.record(ctx, &row); err != nil {
		return apperr.Internal("attestations: record verification: %w", err)
	}
	return nil
}

// verdict is valid only when every check passed, invalid when any failed,
// and unknown otherwise.
func verdict(checks []Check) Verification {
	status, valid := verifier.Verdict(func(yield func(verifier.Outcome) bool) {
		for _, c := range checks {
			if !yield(verifier.Outcome(c.Result)) {
				return
			}
		}
	})
	return Verification{Valid: valid, Status: string(status), Checks: checks}
}
