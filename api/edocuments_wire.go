package api

import (
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// attestationJSON is an attestation with its state named in the caller's
// language.
type attestationJSON struct {
	attestations.Attestation
	StateLabel string `json:"state_label"`
}

func attestationJSONOf(a attestations.Attestation, lang i18n.Lang) attestationJSON {
	return attestationJSON{Attestation: a, StateLabel: attestations.StateLabel(a.State).In(lang)}
}

// logEntryJSON is one verification of a resident's document, its codes
// named in the resident's language.
type logEntryJSON struct {
	attestations.LogEntry
	SectorLabel      string `json:"sector_label"`
	MethodLabel      string `json:"method_label"`
	ResultLabel      string `json:"result_label"`
	FailedCheckLabel string `json:"failed_check_label,omitempty"`
}

func logEntryJSONOf(e attestations.LogEntry, lang i18n.Lang) logEntryJSON {
	out := logEntryJSON{LogEntry: e, SectorLabel: relyingparties.Sector(e.Sector).Label().In(lang),
		MethodLabel: attestations.MethodLabel(e.Method).In(lang), ResultLabel: attestations.ResultLabel(e.Result).In(lang)}
	if e.FailedCheck != "" {
		out.FailedCheckLabel = attestations.CheckLabel(e.FailedCheck).In(lang)
	}
	return out
}

// recordJSON is an e-document as officers see it, its state named.
type recordJSON struct {
	attestations.Record
	StateLabel string `json:"state_label"`
}

func recordJSONOf(r attestations.Record, lang i18n.Lang) recordJSON {
	return recordJSON{Record: r, StateLabel: attestations.StateLabel(r.State).In(lang)}
}
