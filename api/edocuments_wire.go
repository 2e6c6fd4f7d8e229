package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// The e-document shapes residents and officers see. The attestations
// package's types carry no wire format; these are mapped from them.

// issuedJSON is a new attestation as returned once: the only time the
// verification code is shown in clear.
type issuedJSON struct {
	ID               string    `json:"id"`
	DocumentNumber   string    `json:"document_number"`
	Purpose          string    `json:"purpose"`
	Token            string    `json:"token"`
	QRText           string    `json:"qr_text"`
	VerificationCode string    `json:"verification_code"`
	IssuedAt         time.Time `json:"issued_at"`
	ExpiresAt        time.Time `json:"expires_at"`
}

func issuedJSONOf(d attestations.Issued) issuedJSON {
	return issuedJSON{ID: d.ID, DocumentNumber: d.DocumentNumber, Purpose: string(d.Purpose), Token: d.Token, QRText: d.QRText,
		VerificationCode: d.VerificationCode, IssuedAt: d.IssuedAt, ExpiresAt: d.ExpiresAt}
}

// standingJSON is what anyone entitled to see an e-document learns of it.
type standingJSON struct {
	ID               string     `json:"id"`
	DocumentNumber   string     `json:"document_number"`
	Purpose          string     `json:"purpose,omitempty"`
	State            string     `json:"state"`
	PassportNumber   string     `json:"passport_number"`
	CardNumber       string     `json:"fpr_card_number"`
	IssuedAt         time.Time  `json:"issued_at"`
	ExpiresAt        time.Time  `json:"expires_at"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevocationReason *i18n.Text `json:"revocation_reason,omitempty"`
	// InvalidationCause is set when a registry event made the document
	// untrue (state invalidated): passport_lost, fpr_card_renewed …
	InvalidationCause string     `json:"invalidation_cause,omitempty"`
	SuspendedAt       *time.Time `json:"suspended_at,omitempty"`
	SuspensionReason  *i18n.Text `json:"suspension_reason,omitempty"`
}

func standingJSONOf(s attestations.Standing) standingJSON {
	return standingJSON{ID: s.ID, DocumentNumber: s.DocumentNumber, Purpose: string(s.Purpose), State: s.State, PassportNumber: s.PassportNumber,
		CardNumber: s.CardNumber, IssuedAt: s.IssuedAt, ExpiresAt: s.ExpiresAt, RevokedAt: s.RevokedAt,
		RevocationReason: s.RevocationReason, InvalidationCause: s.InvalidationCause, SuspendedAt: s.SuspendedAt,
		SuspensionReason: s.SuspensionReason}
}

// attestationJSON is an attestation as its holder sees it, its state named
// in the holder's language.
type attestationJSON struct {
	standingJSON
	Token      string `json:"token"`
	QRText     string `json:"qr_text"`
	StateLabel string `json:"state_label"`
}

func attestationJSONOf(a attestations.Attestation, lang i18n.Lang) attestationJSON {
	return attestationJSON{standingJSON: standingJSONOf(a.Standing), Token: a.Token, QRText: a.QRText,
		StateLabel: a.Label().In(lang)}
}

// logEntryJSON is one verification of a resident's document, its codes
// named in the resident's language.
type logEntryJSON struct {
	ID               string    `json:"id"`
	RelyingParty     string    `json:"relying_party"`
	Sector           string    `json:"sector"`
	Method           string    `json:"method"`
	Result           string    `json:"result"`
	FailedCheck      string    `json:"failed_check,omitempty"`
	CheckedAt        time.Time `json:"checked_at"`
	SectorLabel      string    `json:"sector_label"`
	MethodLabel      string    `json:"method_label"`
	ResultLabel      string    `json:"result_label"`
	FailedCheckLabel string    `json:"failed_check_label,omitempty"`
}

func logEntryJSONOf(e attestations.LogEntry, lang i18n.Lang) logEntryJSON {
	out := logEntryJSON{ID: e.ID, RelyingParty: e.RelyingParty, Sector: e.Sector, Method: e.Method,
		Result: e.Result, FailedCheck: e.FailedCheck, CheckedAt: e.CheckedAt,
		SectorLabel: relyingparties.Sector(e.Sector).Label().In(lang),
		MethodLabel: attestations.MethodLabel(e.Method).In(lang), ResultLabel: attestations.ResultLabel(e.Result).In(lang)}
	if e.FailedCheck != "" {
		out.FailedCheckLabel = attestations.CheckLabel(e.FailedCheck).In(lang)
	}
	return out
}

// recordJSON is an e-document as officers see it, its state named.
type recordJSON struct {
	PersonID string `json:"person_id"`
	standingJSON
	StateLabel string `json:"state_label"`
}

func recordJSONOf(r attestations.Record, lang i18n.Lang) recordJSON {
	return recordJSON{PersonID: r.PersonID, standingJSON: standingJSONOf(r.Standing),
		StateLabel: r.Label().In(lang)}
}
