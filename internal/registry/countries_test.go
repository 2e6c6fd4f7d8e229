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
	chinese bool // Chinese nationality: recorded and flagged, refused a card
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
		out = append(out, countryCase{c: c, birth: birth, line: l, chinese: docnum.ChineseNationality(c.Canonical())})
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
// card. The four Chinese nationalities are registered with their passport
// too, flagged, and refused the card, with the reason.
func TestEveryCountryCanBeRegistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		walked := 0
		for _, cc := range countryCases() {
			l := cc.line
			p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: l.Surname, GivenNames: l.GivenNames,
				Sex: l.Sex, BirthDate: l.BirthDate, Nationality: l.Nationality})
			if err != nil {
				t.Fatalf("%s: %v", cc.c.Code, err)
			}
			checkStored(t, cc, p)
			pp := l.Passport
			if _, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: pp.Number, IssuingState: pp.IssuingState,
				IssueDate: pp.IssueDate, ExpiryDate: pp.ExpiryDate}); err != nil {
				t.Fatalf("%s: passport: %v", cc.c.Code, err)
			}
			walked++
			if l.FPRCard == nil {
				continue
			}
			_, err = s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: l.FPRCard.Number,
				IssueDate: l.FPRCard.IssueDate, ExpiryDate: l.FPRCard.ExpiryDate})
			switch {
			case cc.chinese:
				wantCode(t, err, "fpr_card_chinese_nationality")
				wantField(t, err, "nationality")
			case err != nil:
				t.Fatalf("%s: card: %v", cc.c.Code, err)
			}
		}
		if walked != len(docnum.Countries()) || walked < 249+27 {
			t.Fatalf("walked %d of %d codes", walked, len(docnum.Countries()))
		}
	})
}

// TestEveryCountryCanBeImported sends the same walk through one NDJSON
// import file, then reads every person back by passport. A Chinese
// nationality's line with a card is refused for the card alone; without
// it the line is imported.
func TestEveryCountryCanBeImported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		var lines []ImportLine
		for _, cc := range countryCases() {
			l := cc.line
			if cc.chinese {
				_, err := s.Import(ctx, officer, ndjson(t, l))
				wantCode(t, err, "import_invalid")
				if e, _ := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Code != "fpr_card_chinese_nationality" {
					t.Fatalf("%s: %+v", cc.c.Code, e.Fields)
				}
				l.FPRCard = nil
			}
			lines = append(lines, l)
		}
		res, err := s.Import(ctx, officer, ndjson(t, lines...))
		if err != nil || res.Created != len(lines) {
			t.Fatalf("import: %+v %v", res, err)
		}
		if len(lines) < 249+27 {
			t.Fatalf("only %d codes walked", len(lines))
		}
		for _, cc := range countryCases() {
			p, err := s.PersonByPassport(ctx, cc.line.Passport.IssuingState, cc.line.Passport.Number)
			if err != nil {
				t.Fatalf("%s: %v", cc.c.Code, err)
			}
			checkStored(t, cc, p)
		}
	})
}
