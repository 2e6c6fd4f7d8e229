package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// mrzNamed is a valid TD3 MRZ of a German passport with the given name
// field (fillers included), for a holder born 1974-08-12.
func mrzNamed(t *testing.T, name string) string {
	t.Helper()
	l1 := ("P<D<<" + name + strings.Repeat("<", 44))[:44]
	num := "C01X00T47"
	body := num + check(num) + "D<<" + "740812" + check("740812") + "M" + "320101" + check("320101") +
		strings.Repeat("<", 14) + "<"
	composite := body[0:10] + body[13:20] + body[21:43]
	return l1 + "\n" + body + check(composite)
}

// TestPassportMRZNameAgainstRegisteredName: the MRZ's name must be the
// registered name as an MRZ writes it; a difference is refused naming the
// field, unless an officer gives the reason, which is audited.
func TestPassportMRZNameAgainstRegisteredName(t *testing.T) {
	long := "WOLFESCHLEGELSTEINHAUSEN"
	tests := []struct {
		name, surname, given, field, reason, code, errField string
	}{
		{"transliterated name matches", "Müller", "Jürgen", "MUELLER<<JUERGEN", "", "", ""},
		{"hyphen and apostrophe match", "O'Brien-Smith", "Jean-Luc", "OBRIEN<SMITH<<JEAN<LUC", "", "", ""},
		{"truncated long name matches", long, "HUBERT BLAINE KARL", (long + "<<HUBERT<BLAINE<KARL")[:39], "", "", ""},
		{"fail-mrz-name-mismatch", "Müller", "Jürgen", "MULLER<<JURGEN", "", "mrz_name_mismatch", "mrz"},
		{"fail-mrz-given-names-missing", "Müller", "Jürgen", "MUELLER", "", "mrz_name_mismatch", "mrz"},
		{"mismatch recorded with a reason", "Müller", "Jürgen", "MULLER<<JURGEN", "Issuing State writes Ü as U", "", ""},
		{"fail-reason-too-long", "Müller", "Jürgen", "MULLER<<JURGEN", strings.Repeat("x", MaxNameMismatchReason+1), "invalid_reason", "name_mismatch_reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s, ctx := newService(db), context.Background()
				p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: tt.surname, GivenNames: tt.given, Sex: "M",
					BirthDate: "1974-08-12", Nationality: "DEU"})
				if err != nil {
					t.Fatal(err)
				}
				audits := count(t, db, "audit_events")
				_, err = s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "C01X00T47", IssuingState: "D",
					IssueDate: "2022-01-02", ExpiryDate: "2032-01-01", MRZ: mrzNamed(t, tt.field), NameMismatchReason: tt.reason})
				if tt.code != "" {
					wantCode(t, err, tt.code)
					wantField(t, err, tt.errField)
					if n := count(t, db, "passports"); n != 0 {
						t.Fatalf("%d passports stored", n)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want := int64(1)
				if tt.reason != "" {
					want = 2
					var n int64
					db.Gorm.Table("audit_events").Where("action = ?", "passport.name_mismatch_accepted").Count(&n)
					if n != 1 {
						t.Fatalf("the accepted mismatch is not audited")
					}
				}
				if got := count(t, db, "audit_events") - audits; got != want {
					t.Fatalf("%d audit rows, want %d", got, want)
				}
			})
		})
	}
}

// TestImportRefusesMRZNameMismatch: an import line has no override.
func TestImportRefusesMRZNameMismatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		l := ImportLine{Surname: "Müller", GivenNames: "Jürgen", Sex: "M", BirthDate: "1974-08-12", Nationality: "DEU",
			Passport: &ImportPassport{Number: "C01X00T47", IssuingState: "D", IssueDate: "2022-01-02",
				ExpiryDate: "2032-01-01", MRZ: mrzNamed(t, "MULLER<<JURGEN")}}
		_, err := s.Import(context.Background(), officer, ndjson(t, l))
		wantCode(t, err, "import_invalid")
		wantField(t, err, "line 1: passport.mrz")
		if n := count(t, db, "persons"); n != 0 {
			t.Fatalf("%d persons stored", n)
		}
	})
}
