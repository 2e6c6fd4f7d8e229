package api

import (
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
)

// verificationJSON is a verification with each check's message in the
// caller's language; its Checks hide the embedded ones in JSON.
type verificationJSON struct {
	attestations.Verification
	Checks []checkJSON `json:"checks"`
}

type checkJSON struct {
	attestations.Check
	Message string `json:"message"`
}

func verificationJSONOf(v attestations.Verification, lang i18n.Lang) verificationJSON {
	out := verificationJSON{Verification: v, Checks: make([]checkJSON, len(v.Checks))}
	for i, ch := range v.Checks {
		out.Checks[i] = checkJSON{Check: ch, Message: ch.Message.In(lang)}
	}
	return out
}
