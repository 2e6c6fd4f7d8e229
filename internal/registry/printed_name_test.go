package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestPrintedNameOnCard: the name as printed on a card is kept where it
// differs from the MRZ name, dropped where it is the same, and refused
// when it is too long or holds control characters.
func TestPrintedNameOnCard(t *testing.T) {
	tests := []struct {
		name, printed, want, code string
	}{
		{"differs from the MRZ", "  Müller,  Jürgen ", "Müller, Jürgen", ""},
		{"absent", "", "", ""},
		{"fail-too-long", strings.Repeat("A", MaxPrintedName+1), "", "invalid_printed_name"},
		{"fail-control-character", "MUELLER\tJUERGEN", "", "invalid_printed_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fieldErrors{}
			got := checkPrintedName(tt.printed, Person{Surname: "MUELLER", GivenNames: "JUERGEN"}, &f)
			if got != tt.want || (tt.code == "") != (len(f.list) == 0) || (tt.code != "" && f.list[0].Code != tt.code) {
				t.Fatalf("checkPrintedName(%q) = %q, %+v", tt.printed, got, f.list)
			}
		})
	}
	if got := checkPrintedName("mueller juergen", Person{Surname: "MUELLER", GivenNames: "JUERGEN"}, &fieldErrors{}); got != "" {
		t.Fatalf("the MRZ name was kept as printed name: %q", got)
	}
}

func TestAddFPRCardKeepsPrintedName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, _, _ := seedPerson(t, s)
		number := docnum.MakeFPR2023("32", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 1}, 2)
		in := FPRCardInput{Number: number, IssueDate: "2025-01-01", ExpiryDate: "2035-01-01", PrintedName: "Al-Harbi, Faisal"}
		got, err := s.AddFPRCard(context.Background(), officer, p.ID, in)
		if err != nil || got.PrintedName != "Al-Harbi, Faisal" {
			t.Fatalf("AddFPRCard = %+v, %v", got, err)
		}
		rec, err := s.Record(context.Background(), p.ID)
		if err != nil || rec.FPRCards[0].PrintedName != "Al-Harbi, Faisal" {
			t.Fatalf("record %+v, %v", rec.FPRCards, err)
		}
	})
}
