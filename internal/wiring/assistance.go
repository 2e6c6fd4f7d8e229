package wiring

import (
	"context"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/registry"
)

// Persons serves the registry as assistance.Persons.
type Persons struct{ Reg *registry.Service }

var _ assistance.Persons = Persons{}

// Person reads a person's name and birth date (registry.Person).
func (p Persons) Person(ctx context.Context, id string) (assistance.PersonFacts, error) {
	per, err := p.Reg.Person(ctx, id)
	if isNotFound(err) {
		return assistance.PersonFacts{}, assistance.ErrUnknownPerson
	}
	if err != nil {
		return assistance.PersonFacts{}, err
	}
	name := per.Surname
	if per.GivenNames != "" {
		name += ", " + per.GivenNames
	}
	return assistance.PersonFacts{ID: per.ID, Name: name, BirthDate: per.BirthDate}, nil
}

// Match finds the person a dependant request names, by the same proof as
// enrolment (registry.MatchIdentity); any mismatch is ErrUnknownPerson.
func (p Persons) Match(ctx context.Context, id assistance.Identity) (string, error) {
	pid, err := p.Reg.MatchIdentity(ctx, registry.Proof{PassportNumber: id.PassportNumber, Nationality: id.Nationality,
		BirthDate: id.BirthDate, FPRCardNumber: id.FPRCardNumber})
	if apperr.Is(err, "identity_not_matched") {
		return "", assistance.ErrUnknownPerson
	}
	return pid, err
}

// Helpers serves the accounts as assistance.Accounts.
type Helpers struct{ Acc *accounts.Service }

var _ assistance.Accounts = Helpers{}

// ByUsername finds an enabled account (accounts.ByUsername); an unknown or
// disabled one cannot be a helper.
func (h Helpers) ByUsername(ctx context.Context, username string) (assistance.Account, error) {
	a, err := h.Acc.ByUsername(ctx, username)
	if isNotFound(err) || (err == nil && a.DisabledAt != nil) {
		return assistance.Account{}, assistance.ErrUnknownAccount
	}
	if err != nil {
		return assistance.Account{}, err
	}
	return assistance.Account{ID: a.ID, Username: a.Username, Role: a.Role, PersonID: a.PersonID}, nil
}
