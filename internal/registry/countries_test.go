package registry

import (
	"context"
	"fmt"
	"testing"
	"unicode"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// countryCase is one entry of the country table as a registry person: the
// nationality it gives, the passport's issuing State (the code itself
// when it may issue, else Germany, as for a refugee's travel document) and,
// when the code has an ISO numeric code, a 2023 card.
type countryCase struct {
	c       docnum.Country
	birth   calendar.Date
	line    ImportLine
	refused bool // Chinese nationality: not a foreigner
}

func countryCases() []countryCase {
	var out []countryCase
	for i, c := range docnum.Countries() {
		birth := calendar.Date{Year: 1960, Month: 1, Day: 1}.AddDays(i * 37)
		issuer := c.Code
		if !c.Issuer {
			issuer = "D"
		}
		l := ImportLine{Surname: "TABLE", GivenNames: "ENTRY " + spell(i), Sex: "X", BirthDate: birth.String(),
			Nationality: c.Code, Passport: &ImportPassport{Number: fmt.Sprintf("T%08d", i), IssuingState: issuer,
				IssueDate: "2022-05-01", ExpiryDate: "2032-04-30"}}
		if c.Numeric != "" {
			l.FPRCard = &ImportFPRCard{Number: docnum.MakeFPR2023("31", c.Code, birth, i%1000),
				IssueDate: "2024-03-01", ExpiryDate: "2034-02-28"}
		}
		out = append(out, countryCase{c: c, birth: birth, line: l, refused: chineseNationality(c.Canonical())})
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// checkStored asserts a registered person of case cc: nationality stored
// in canonical form and named in both languages.
func checkStored(t *testing.T, cc countryCase, p Person) {
	t.Helper()
	if p.Nationality != cc.c.Canonical() {
		t.Errorf("%s: stored nationality %s, want %s", cc.c.Code, p.Nationality, cc.c.Canonical())
	}
	name, ok := docnum.CountryName(p.Nationality)
	if !ok || name.En == "" || !hasHan(name.Zh) {
		t.Errorf("%s: name %+v", cc.c.Code, name)
	}
}

// TestEveryCountryCanBeRegistered walks the whole country table — every
// ISO 3166-1 country and every ICAO Doc 9303 code — through person
// creation, a passport and, where the code has an ISO numeric code, a 2023
// card. Only the four Chinese nationalities are refused.
func TestEveryCountryCanBeRegistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		for _, cc := range countryCases() {
			l := cc.line
			p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: l.Surname, GivenNames: l.GivenNames,
				Sex: l.Sex, BirthDate: l.BirthDate, Nationality: l.Nationality})
			if cc.refused {
				wantCode(t, err, "chinese_nationality")
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", cc.c.Code, err)
			}
			checkStored(t, cc, p)
			pp := l.Passport
			if _, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: pp.Number, IssuingState: pp.IssuingState,
				IssueDate: pp.IssueDate, ExpiryDate: pp.ExpiryDate}); err != nil {
				t.Fatalf("%s: passport: %v", cc.c.Code, err)
			}
			if l.FPRCard != nil {
				if _, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: l.FPRCard.Number,
					IssueDate: l.FPRCard.IssueDate, ExpiryDate: l.FPRCard.ExpiryDate}); err != nil {
					t.Fatalf("%s: card: %v", cc.c.Code, err)
				}
			}
		}
	})
}

// TestEveryCountryCanBeImported sends the same walk through one NDJSON
// import file, then reads every person back by passport.
func TestEveryCountryCanBeImported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		var lines []ImportLine
		var accepted []countryCase
		for _, cc := range countryCases() {
			if cc.refused {
				_, err := s.Import(ctx, officer, ndjson(t, cc.line))
				wantCode(t, err, "import_invalid")
				if e, _ := apperr.As(err); e.Fields[0].Code != "chinese_nationality" {
					t.Fatalf("%s: %+v", cc.c.Code, e.Fields)
				}
				continue
			}
			lines, accepted = append(lines, cc.line), append(accepted, cc)
		}
		res, err := s.Import(ctx, officer, ndjson(t, lines...))
		if err != nil || res.Created != len(lines) {
			t.Fatalf("import: %+v %v", res, err)
		}
		if len(accepted) < 249+27-4 {
			t.Fatalf("only %d codes walked", len(accepted))
		}
		for _, cc := range accepted {
			p, err := s.PersonByPassport(ctx, cc.line.Passport.IssuingState, cc.line.Passport.Number)
			if err != nil {
				t.Fatalf("%s: %v", cc.c.Code, err)
			}
			checkStored(t, cc, p)
		}
	})
}
