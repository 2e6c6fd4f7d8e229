package api

import (
	"maps"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The verify API's shapes, on which relying parties build
// (docs/VERIFY-API.md). The attestations package's types carry no wire
// format; these are mapped from them.

// verificationJSON is a verification with each check's message in the
// caller's language.
type verificationJSON struct {
	Valid          bool              `json:"valid"`
	Status         string            `json:"status"`
	Checks         []checkJSON       `json:"checks"`
	Document       *documentViewJSON `json:"document,omitempty"`
	CheckedAt      time.Time         `json:"checked_at"`
	VerificationID string            `json:"verification_id"`
}

// checkJSON is one step of a verification.
type checkJSON struct {
	Code    string `json:"code"`
	Result  string `json:"result"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
}

// documentViewJSON is the part of a verified document the caller's sector
// may see.
type documentViewJSON struct {
	DocumentNumber string            `json:"document_number"`
	Purpose        string            `json:"purpose,omitempty"`
	ChineseName    string            `json:"chinese_name,omitempty"`
	ExpiresAt      time.Time         `json:"expires_at"`
	Passport       map[string]string `json:"passport"`
	FPRCard        map[string]string `json:"fpr_card"`
}

func verificationJSONOf(v attestations.Verification, lang i18n.Lang) verificationJSON {
	out := verificationJSON{Valid: v.Valid, Status: v.Status, Checks: make([]checkJSON, len(v.Checks)),
		CheckedAt: v.CheckedAt, VerificationID: v.VerificationID}
	for i, ch := range v.Checks {
		out.Checks[i] = checkJSON{Code: ch.Code, Result: ch.Result, Detail: ch.Detail, Message: ch.Message.In(lang)}
	}
	if d := v.Document; d != nil {
		out.Document = &documentViewJSON{DocumentNumber: d.DocumentNumber, Purpose: d.Purpose,
			ChineseName: d.ChineseName, ExpiresAt: d.ExpiresAt, Passport: passportNamed(d.Passport, lang), FPRCard: d.FPRCard}
	}
	return out
}

// passportNamed adds the names of the country codes the sector may see,
// in the caller's language, beside them; on a copy, so the verification is
// not changed.
func passportNamed(passport map[string]string, lang i18n.Lang) map[string]string {
	out := maps.Clone(passport)
	for code, name := range map[string]string{"nationality": "nationality_name", "issuing_state": "issuing_state_name"} {
		if v, ok := out[code]; ok {
			if n := countryName(v, lang); n != "" {
				out[name] = n
			}
		}
	}
	return out
}
