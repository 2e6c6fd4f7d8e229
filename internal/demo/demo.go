// Package demo seeds a small fictional registry so the service can be
// tried at once: residents holding 2023 and 2017 FPR cards (one whose 2017
// card was replaced by a 2023 card), one whose passport has expired, a
// child and an elderly person for the helper flows, an admin and an
// officer. Everyone has a contact on record, so the elderly person, who
// has no account, can enrol with a code as any resident would; the
// accounts are seeded directly, not through enrolment. Seeding is
// idempotent: persons are recognised by their passports and accounts by
// username, and passwords recorded in demo.json are kept, so running it
// again changes nothing. Each database's logins go to a file of its own
// that names the database (FileNameFor, ReadFor), so demos on two
// databases run from one folder never mix.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/registry"
)

// Registry is what seeding needs of the registry.
type Registry interface {
	Import(ctx context.Context, by audit.Actor, r io.Reader) (registry.ImportResult, error)
	PersonByPassport(ctx context.Context, issuingState, number string) (registry.Person, error)
}

// Accounts is what seeding needs of accounts.
type Accounts interface {
	ByUsername(ctx context.Context, username string) (accounts.Account, error)
	CreateStaff(ctx context.Context, by audit.Actor, username, password, role string) (accounts.Account, error)
	CreateResident(ctx context.Context, by audit.Actor, username, password, personID string) (accounts.Account, error)
	ResetPassword(ctx context.Context, by audit.Actor, username, password string) error
}

var (
	_ Registry = (*registry.Service)(nil)
	_ Accounts = (*accounts.Service)(nil)
)

// Seeder seeds the demo data.
type Seeder struct {
	reg  Registry
	acc  Accounts
	rand io.Reader
}

// New returns a Seeder; random is the source of demo passwords
// (crypto/rand.Reader in production).
func New(reg Registry, acc Accounts, random io.Reader) *Seeder {
	if random == nil {
		random = rand.Reader
	}
	return &Seeder{reg: reg, acc: acc, rand: random}
}

// fictional is one seeded person.
type fictional struct {
	label, username string // username empty: no account
	line            registry.ImportLine
	later           *registry.ImportFPRCard // a replacement card, imported second
}

func date(y, m, d int) calendar.Date { return calendar.Date{Year: y, Month: time.Month(m), Day: d} }

func people() []fictional {
	erik, aigerim, haruto := date(1985, 3, 14), date(1990, 12, 31), date(1978, 7, 22)
	sofia, linnea, chinedu := date(1969, 11, 5), date(2018, 6, 1), date(1941, 2, 9)
	line := func(sur, given, zh, sex string, birth calendar.Date, nat, passport, issued, expires string) registry.ImportLine {
		return registry.ImportLine{Surname: sur, GivenNames: given, ChineseName: zh, Sex: sex, BirthDate: birth.String(),
			Nationality: nat, Passport: &registry.ImportPassport{Number: passport, IssuingState: nat, IssueDate: issued, ExpiryDate: expires}}
	}
	card := func(number, issued, expires string) *registry.ImportFPRCard {
		return &registry.ImportFPRCard{Number: number, IssueDate: issued, ExpiryDate: expires}
	}
	out := []fictional{
		{label: "resident_2023_card", username: "erik", line: line("ANDERSSON", "ERIK", "安德松", "M", erik, "SWE", "SE4821937", "2021-09-01", "2031-08-31")},
		{label: "resident_2017_card", username: "aigerim", line: line("NURLANOVA", "AIGERIM", "努尔兰诺娃", "F", aigerim, "KAZ", "N12875643", "2022-02-02", "2032-02-01")},
		{label: "resident_replaced_card", username: "haruto", line: line("TANAKA", "HARUTO", "田中阳翔", "M", haruto, "JPN", "TR5529174", "2020-04-10", "2030-04-09")},
		{label: "resident_expired_passport", username: "sofia", line: line("GARCIA LOPEZ", "SOFIA", "", "F", sofia, "ESP", "PAE718293", "2015-01-12", "2025-01-11")},
		{label: "child", line: line("ANDERSSON", "LINNEA", "", "F", linnea, "SWE", "SE7710254", "2023-07-01", "2028-06-30")},
		{label: "elderly", line: line("OKAFOR", "CHINEDU", "", "M", chinedu, "NGA", "A09182736", "2019-03-03", "2029-03-02")},
	}
	out[0].line.FPRCard = card(docnum.MakeFPR2023("11", "SWE", erik, 1), "2024-01-15", "2034-01-14")
	out[1].line.FPRCard = card("KAZ110090123105", "2018-05-01", "2028-04-30")
	out[2].line.FPRCard = card(docnum.MakeFPR2017("JPN", "3100", haruto, 2), "2017-10-09", "2027-10-08")
	out[2].later = card(docnum.MakeFPR2023("31", "JPN", haruto, 3), "2024-06-01", "2034-05-31")
	out[3].line.FPRCard = card(docnum.MakeFPR2023("44", "ESP", sofia, 4), "2023-12-20", "2033-12-19")
	out[4].line.FPRCard = card(docnum.MakeFPR2023("11", "SWE", linnea, 5), "2024-01-15", "2029-01-14")
	out[5].line.FPRCard = card(docnum.MakeFPR2017("NGA", "4401", chinedu, 6), "2017-08-08", "2027-08-07")
	for i, c := range demoContacts {
		out[i].line.Mobile, out[i].line.Email = c[0], c[1]
	}
	return out
}

// demoContacts are the contacts on record of the people above, in order,
// where enrolment codes go. The mobile numbers are from the UK range
// 07700 900000–900999 that Ofcom keeps unallocated for drama (BBC News,
// "The 20,000 fake phone numbers used on film and television", 2015,
// https://www.bbc.com/news/blogs-magazine-monitor-32348371), so no real
// phone is ever named; the e-mail domain example.org is reserved for
// documentation (RFC 2606). Aigerim has only an address, so her codes go
// by e-mail; the child has a number, but is never sent a code.
var demoContacts = [][2]string{
	{"+447700900101", "erik.andersson@example.org"},
	{"", "aigerim.nurlanova@example.org"},
	{"+447700900103", ""},
	{"+447700900104", "sofia.garcia@example.org"},
	{"+447700900105", ""},
	{"+447700900106", "chinedu.okafor@example.org"},
}

// Seed makes sure every demo person and account exists. prev is the
// previous demo.json (or an empty Result): its passwords are kept; an
// existing demo account without a recorded password gets a new one.
func (s *Seeder) Seed(ctx context.Context, prev *Result) (*Result, error) {
	ppl := people()
	if err := s.importAll(ctx, ppl); err != nil {
		return nil, err
	}
	res := &Result{Extra: prev.extra()}
	for _, p := range ppl {
		person, err := s.reg.PersonByPassport(ctx, p.line.Passport.IssuingState, p.line.Passport.Number)
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", p.label, err)
		}
		res.Persons = append(res.Persons, Person{Label: p.label, PersonID: person.ID, Name: person.Surname + ", " + person.GivenNames})
		if p.username == "" {
			continue
		}
		acc, err := s.ensure(ctx, prev, p.username, accounts.RoleResident, person.ID)
		if err != nil {
			return nil, err
		}
		res.Accounts = append(res.Accounts, acc)
	}
	for _, staff := range []struct{ user, role string }{{"demo-admin", accounts.RoleAdmin}, {"demo-officer", accounts.RoleOfficer}} {
		acc, err := s.ensure(ctx, prev, staff.user, staff.role, "")
		if err != nil {
			return nil, err
		}
		res.Accounts = append(res.Accounts, acc)
	}
	return res, nil
}

func (r *Result) extra() map[string]json.RawMessage {
	if r == nil {
		return nil
	}
	return r.Extra
}

// importAll imports the people, then the replacement cards, through the
// registry's idempotent import.
func (s *Seeder) importAll(ctx context.Context, ppl []fictional) error {
	var first, second bytes.Buffer
	enc1, enc2 := json.NewEncoder(&first), json.NewEncoder(&second)
	for _, p := range ppl {
		if err := enc1.Encode(p.line); err != nil {
			return err
		}
		if p.later != nil {
			l := p.line
			l.FPRCard = p.later
			if err := enc2.Encode(l); err != nil {
				return err
			}
		}
	}
	for _, buf := range []*bytes.Buffer{&first, &second} {
		if _, err := s.reg.Import(ctx, audit.System, buf); err != nil {
			return fmt.Errorf("demo: import: %w", err)
		}
	}
	return nil
}

func (s *Seeder) ensure(ctx context.Context, prev *Result, username, role, personID string) (Account, error) {
	out := Account{Username: username, Role: role, PersonID: personID}
	_, err := s.acc.ByUsername(ctx, username)
	switch {
	case err == nil && prev.Password(username) != "":
		out.Password = prev.Password(username)
		return out, nil
	case err == nil:
		out.Password, err = s.password()
		if err == nil {
			err = s.acc.ResetPassword(ctx, audit.System, username, out.Password)
		}
	case apperr.Is(err, "account_not_found"):
		out.Password, err = s.password()
		if err == nil && role == accounts.RoleResident {
			_, err = s.acc.CreateResident(ctx, audit.System, username, out.Password, personID)
		} else if err == nil {
			_, err = s.acc.CreateStaff(ctx, audit.System, username, out.Password, role)
		}
	}
	if err != nil {
		return out, fmt.Errorf("demo: account %s: %w", username, err)
	}
	return out, nil
}

// password draws a password as staff resets do (accounts.GeneratePassword).
func (s *Seeder) password() (string, error) {
	pw, err := accounts.GeneratePassword(s.rand)
	if err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	return pw, nil
}
