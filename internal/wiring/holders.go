package wiring

import (
	"context"
	"strconv"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/registry"
)

// Holders serves the registry as attestations.Holders: the data an
// e-document is made from, and the live state the verify API checks.
type Holders struct{ Reg *registry.Service }

var _ attestations.Holders = Holders{}

// Current returns the person with their current passport and FPR card: the
// newest of each in their record (newest first), read once.
func (h Holders) Current(ctx context.Context, personID string) (attestations.Holder, error) {
	rec, err := h.Reg.Record(ctx, personID)
	if err != nil {
		return attestations.Holder{}, err
	}
	p := rec.Person
	out := attestations.Holder{PersonID: p.ID, ChineseName: p.ChineseName}
	if len(rec.Passports) > 0 {
		pp := rec.Passports[0]
		out.Passport = attestations.Passport{
			Number: pp.Number, IssuingState: pp.IssuingState, Nationality: p.Nationality,
			Surname: p.Surname, GivenNames: p.GivenNames, BirthDate: p.BirthDate, Sex: p.Sex,
			ExpiryDate: pp.ExpiryDate, Status: docStatus(pp.Status),
		}
		if len(rec.Passports) > 1 && rec.Passports[1].Number != pp.Number {
			out.Passport.PreviousNumber = rec.Passports[1].Number
		}
	}
	if len(rec.FPRCards) > 0 {
		c := rec.FPRCards[0]
		out.Card = attestations.Card{
			ID: c.ID, Number: c.Number, Version: strconv.Itoa(c.Version),
			IssueDate: c.IssueDate, ExpiryDate: c.ExpiryDate, Status: docStatus(c.Status),
			PrintedName: c.PrintedName,
		}
		// A renewed or replaced 2023 card keeps its number for life; only
		// a new number is worth telling a bank: the newest card before the
		// issues of this one (a 2017 card replaced by a 2023 one).
		for _, prev := range rec.FPRCards[1:] {
			if prev.Number != c.Number {
				out.Card.PreviousNumber = prev.Number
				break
			}
		}
	}
	return out, nil
}

// DocumentStates reports what the registry says today about the passport
// and card of each ref, with one registry read for all of them. The newest
// document of each kind is the current one; a replaced document is
// reported as superseded rather than as invalid. A card is the issue the
// ref names when it names one: a renewal keeps the number, so an earlier
// issue is superseded though its number is current.
func (h Holders) DocumentStates(ctx context.Context, refs []attestations.DocRef) ([]attestations.DocumentState, error) {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.PersonID
	}
	held, err := h.Reg.HoldingsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]attestations.DocumentState, len(refs))
	for i, r := range refs {
		st, hs := &out[i], held[r.PersonID]
		for j, p := range hs.Passports {
			if p.Number == r.PassportNumber {
				st.PassportFound, st.PassportStatus, st.PassportCurrent = true, docStatus(p.Status), j == 0 && p.Status != registry.StatusReplaced
				break
			}
		}
		for j, c := range hs.FPRCards {
			if c.Number == r.CardNumber && (r.CardID == "" || c.ID == r.CardID) {
				st.CardFound, st.CardStatus, st.CardCurrent = true, docStatus(c.Status), j == 0 && c.Status != registry.StatusReplaced
				break
			}
		}
	}
	return out, nil
}

func docStatus(s string) attestations.DocStatus {
	switch s {
	case registry.StatusValid, registry.StatusReplaced:
		return attestations.DocValid
	case registry.StatusExpired:
		return attestations.DocExpired
	case registry.StatusLost:
		return attestations.DocLost
	case registry.StatusStolen:
		return attestations.DocStolen
	case registry.StatusCancelled:
		return attestations.DocCancelled
	}
	return attestations.DocStatus(s)
}

func isNotFound(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Kind == apperr.KindNotFound
}
