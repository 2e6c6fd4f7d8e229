package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestFPRCardTerm holds card dates to Article 21 of the 2004 Measures:
// five years under 18, ten (or five) at 18 or over, ending on the
// anniversary or the day before. Today is 2026-03-01.
func TestFPRCardTerm(t *testing.T) {
	child := calendar.Date{Year: 2016, Month: 2, Day: 10}  // 8 on 2024-03-01
	adult := calendar.Date{Year: 1980, Month: 5, Day: 20}  // 43 on 2024-03-01
	turns := calendar.Date{Year: 2006, Month: 3, Day: 1}   // 18 on 2024-03-01
	almost := calendar.Date{Year: 2006, Month: 3, Day: 2}  // 17 on 2024-03-01
	leapDay := calendar.Date{Year: 1990, Month: 7, Day: 1} // adult, card issued on 29 February
	tests := []struct {
		name          string
		birth         calendar.Date
		version       int
		issue, expiry string
		field, code   string
	}{
		{"child 5 years to the day before", child, 2023, "2024-03-01", "2029-02-28", "", ""},
		{"child 5 years to the anniversary", child, 2023, "2024-03-01", "2029-03-01", "", ""},
		{"child 10 years", child, 2023, "2024-03-01", "2034-02-28", "expiry_date", "fpr_card_term"},
		{"child 30 years", child, 2023, "2024-03-01", "2054-02-28", "expiry_date", "fpr_card_term"},
		{"adult 10 years", adult, 2023, "2024-03-01", "2034-02-28", "", ""},
		{"adult 5 years", adult, 2023, "2024-03-01", "2029-03-01", "", ""},
		{"adult 30 years", adult, 2023, "2024-03-01", "2054-02-28", "expiry_date", "fpr_card_term"},
		{"adult 9 years", adult, 2023, "2024-03-01", "2033-02-28", "expiry_date", "fpr_card_term"},
		{"adult 10 years and a day", adult, 2023, "2024-03-01", "2034-03-02", "expiry_date", "fpr_card_term"},
		{"18 on the issue day, 10 years", turns, 2023, "2024-03-01", "2034-02-28", "", ""},
		{"17 on the issue day, 10 years", almost, 2023, "2024-03-01", "2034-02-28", "expiry_date", "fpr_card_term"},
		{"issued on 29 February, to 28 February", leapDay, 2023, "2024-02-29", "2034-02-28", "", ""},
		{"issued on 29 February, to 1 March", leapDay, 2023, "2024-02-29", "2034-03-01", "", ""},
		{"2017 card for a child, 10 years", child, 2017, "2017-03-01", "2027-02-28", "expiry_date", "fpr_card_term"},
		{"2017 card for an adult, 10 years", adult, 2017, "2017-03-01", "2027-02-28", "", ""},
		{"issued before birth", child, 2017, "2015-01-01", "2020-01-01", "issue_date", "fpr_issue_before_birth"},
		{"2023 card issued before 1 December 2023", adult, 2023, "2023-11-30", "2033-11-29", "issue_date", "fpr_2023_issued_early"},
		{"2023 card issued on 1 December 2023", adult, 2023, "2023-12-01", "2033-11-30", "", ""},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, ctx := newService(db), context.Background()
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "TERM", GivenNames: spell(i), Sex: "F",
					BirthDate: tt.birth.String(), Nationality: "FRA"})
				if err != nil {
					t.Fatal(err)
				}
				number := docnum.MakeFPR2023("11", "FRA", tt.birth, i)
				if tt.version == 2017 {
					number = docnum.MakeFPR2017("FRA", "1100", tt.birth, i)
				}
				_, err = s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: number, IssueDate: tt.issue, ExpiryDate: tt.expiry})
				if tt.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				wantCode(t, err, tt.code)
				wantField(t, err, tt.field)
			})
		}
	})
}

func TestFPRCardNumberBornInFuture(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, _, _ := seedPerson(t, s)
		number := docnum.MakeFPR2023("11", "SAU", calendar.Date{Year: 2026, Month: 3, Day: 2}, 1)
		_, err := s.AddFPRCard(context.Background(), officer, p.ID, FPRCardInput{Number: number,
			IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"})
		wantCode(t, err, "fpr_birth_future")
		wantField(t, err, "number")
	})
}
