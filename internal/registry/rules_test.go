package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestPersonFieldRules names the code of every refusal of a person field.
func TestPersonFieldRules(t *testing.T) {
	good := PersonInput{Surname: "DOE", GivenNames: "JANE", Sex: "F", BirthDate: "1980-01-01", Nationality: "USA"}
	tests := []struct {
		name, field, code string
		edit              func(*PersonInput)
	}{
		{"surname empty after transliteration", "surname", "required", func(p *PersonInput) { p.Surname = "'" }},
		{"surname digit", "surname", "name_digit", func(p *PersonInput) { p.Surname = "DOE2" }},
		{"surname Han characters", "surname", "name_script", func(p *PersonInput) { p.Surname = "王" }},
		{"given names symbol", "given_names", "name_character", func(p *PersonInput) { p.GivenNames = "JANE+MARY" }},
		{"given names too long", "given_names", "name_too_long", func(p *PersonInput) { p.GivenNames = strings.Repeat("ÄB", 14) }},
		{"nationality unknown", "nationality", "invalid_nationality", func(p *PersonInput) { p.Nationality = "ZZZ" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := good
				tt.edit(&in)
				_, err := s.CreatePerson(context.Background(), officer, in)
				wantCode(t, err, tt.code)
				wantField(t, err, tt.field)
				if e, _ := apperr.As(err); e.Message.En == "" || e.Message.Zh == "" {
					t.Fatalf("message %+v", e.Message)
				}
			})
		}
		if n := count(t, db, "persons"); n != 0 {
			t.Fatalf("%d persons stored", n)
		}
	})
}

// TestPassportIssuerRules: a code that names a holder without nationality
// never issues; Germany's D matches DEU in the MRZ.
func TestPassportIssuerRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Sex: "F",
			BirthDate: "1974-08-12", Nationality: "XXA"})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"XXA", "XXB", "XXC", "XXX"} {
			_, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "X1", IssuingState: code,
				IssueDate: "2022-01-01", ExpiryDate: "2032-01-01"})
			wantCode(t, err, "state_not_issuer")
			wantField(t, err, "issuing_state")
		}
		_, err = s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "X1", IssuingState: "ZZZ",
			IssueDate: "2022-01-01", ExpiryDate: "2032-01-01"})
		wantCode(t, err, "invalid_state")
		// A stateless person's travel document issued by Germany, with an
		// MRZ that writes Germany as D<<.
		mrz := mrzFor(t, "D<<", "XXA", "L898902C3", "740812", "F", "320101")
		pp, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "L898902C3", IssuingState: "D",
			IssueDate: "2022-01-02", ExpiryDate: "2032-01-01", MRZ: mrz})
		if err != nil {
			t.Fatal(err)
		}
		if pp.IssuingState != "DEU" {
			t.Fatalf("issuing state stored as %s", pp.IssuingState)
		}
		if got, err := s.PersonByPassport(ctx, "D", "L898902C3"); err != nil || got.ID != p.ID {
			t.Fatalf("by D: %+v %v", got, err)
		}
	})
}

// mrzFor builds a TD3 MRZ for Anna Maria Eriksson with correct check digits.
func mrzFor(t *testing.T, state, nationality, number, birth, sex, expiry string) string {
	t.Helper()
	l1 := ("P<" + state + "ERIKSSON<<ANNA<MARIA" + strings.Repeat("<", 44))[:44]
	num := (number + "<<<<<<<<<")[:9]
	body := num + check(num) + (nationality + "<<<")[:3] + birth + check(birth) + sex + expiry + check(expiry) +
		strings.Repeat("<", 14) + "<"
	composite := body[0:10] + body[13:20] + body[21:43]
	return l1 + "\n" + body + check(composite)
}

func check(s string) string {
	sum := 0
	for i, c := range s {
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * [3]int{7, 3, 1}[i%3]
	}
	return string(rune('0' + sum%10))
}

// TestFPRCardForICAOOnlyNationality: a holder whose code has no ISO
// numeric code gets a clear refusal for any card.
func TestFPRCardForICAOOnlyNationality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
		for _, code := range []string{"GBN", "XXA", "XXB", "UNK"} {
			p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "HOLDER", Sex: "M", BirthDate: birth.String(), Nationality: code})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{docnum.MakeFPR2023("44", "GBR", birth, 1), docnum.MakeFPR2017("GBR", "4400", birth, 1)} {
				_, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: n, IssueDate: "2024-01-15", ExpiryDate: "2034-01-14"})
				wantCode(t, err, "fpr_nationality_not_iso")
				wantField(t, err, "number")
			}
		}
		if n := count(t, db, "fpr_cards"); n != 0 {
			t.Fatalf("%d cards stored", n)
		}
	})
}

// TestMatchIdentityGermanyD: a German registered with the MRZ code D is
// stored as DEU and found whichever of the two the resident types.
func TestMatchIdentityGermanyD(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "MUSTERMANN", GivenNames: "ERIKA", Sex: "F",
			BirthDate: "1964-08-12", Nationality: "D"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "C01X00T47", IssuingState: "D",
			IssueDate: "2021-01-01", ExpiryDate: "2031-01-01"}); err != nil {
			t.Fatal(err)
		}
		birth := calendar.Date{Year: 1964, Month: 8, Day: 12}
		for _, nat := range []string{"D", "d<<", "DEU"} {
			id, err := s.MatchIdentity(ctx, Proof{PassportNumber: "C01X00T47", Nationality: nat, BirthDate: birth})
			if err != nil || id != p.ID {
				t.Fatalf("%s: %q %v", nat, id, err)
			}
		}
		_, err = s.MatchIdentity(ctx, Proof{PassportNumber: "C01X00T47", Nationality: "AUT", BirthDate: birth})
		wantCode(t, err, "identity_not_matched")
	})
}
