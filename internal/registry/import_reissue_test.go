package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// reissueLine is testLine(0) bringing a new issue of its card.
func reissueLine(reason string) ImportLine {
	l := testLine(0)
	l.FPRCard.IssueDate, l.FPRCard.ExpiryDate, l.FPRCard.Reason = "2026-02-20", "2036-02-19", reason
	return l
}

// TestImportRecordsARenewal: a line with the person's card number and new
// dates, said to be a renewal, adds the second issue of the number; the
// same file again changes nothing.
func TestImportRecordsARenewal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		if _, err := s.Import(ctx, officer, ndjson(t, testLine(0))); err != nil {
			t.Fatal(err)
		}
		for i, want := range []ImportResult{{Lines: 1, Updated: 1}, {Lines: 1, Unchanged: 1}} {
			res, err := s.Import(ctx, officer, ndjson(t, reissueLine(IssueRenewal)))
			if err != nil || res != want {
				t.Fatalf("import %d: %+v %v", i+1, res, err)
			}
		}
		p, _ := s.PersonByPassport(ctx, testLine(0).Passport.IssuingState, testLine(0).Passport.Number)
		rec, _ := s.Record(ctx, p.ID)
		if len(rec.FPRCards) != 2 || rec.FPRCards[0].IssueNo != 2 || rec.FPRCards[0].IssueReason != IssueRenewal ||
			rec.FPRCards[0].Number != rec.FPRCards[1].Number || rec.FPRCards[1].Status != StatusReplaced {
			t.Fatalf("cards: %+v", rec.FPRCards)
		}
	})
}

// TestImportRejectsReissues: each way a line's new issue of a number on
// record is refused, naming the line and field; nothing is written.
func TestImportRejectsReissues(t *testing.T) {
	rows := []struct {
		name, field, code string
		setup             func(t *testing.T, s *Service, personID, cardID string)
		line              func() ImportLine
	}{
		{"no reason", "line 1: fpr_card.reason", "reissue_reason_required", nil, func() ImportLine { return reissueLine("") }},
		{"unknown reason", "line 1: fpr_card.reason", "invalid_issue_reason", nil, func() ImportLine { return reissueLine("exchange") }},
		{"renewal of a lost card", "line 1: fpr_card.number", "fpr_card_reported_missing",
			func(t *testing.T, s *Service, _, cardID string) {
				if _, err := s.MarkFPRCard(context.Background(), officer, cardID, StatusLost); err != nil {
					t.Fatal(err)
				}
			}, func() ImportLine { return reissueLine(IssueRenewal) }},
		{"a card no longer current", "line 1: fpr_card.number", "fpr_card_not_current",
			func(t *testing.T, s *Service, personID, _ string) {
				number := docnum.MakeFPR2023("11", "SAU", calendar.Date{Year: 1950, Month: 1, Day: 1}, 500)
				if _, err := s.AddFPRCard(context.Background(), officer, personID, FPRCardInput{Number: number,
					IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}); err != nil {
					t.Fatal(err)
				}
			}, func() ImportLine { return reissueLine(IssueRenewal) }},
		{"dated before the card it succeeds", "line 1: fpr_card.issue_date", "fpr_issue_before_previous",
			func(t *testing.T, s *Service, _, cardID string) {
				if _, err := s.RenewFPRCard(context.Background(), officer, cardID, renewalDates); err != nil {
					t.Fatal(err)
				}
			}, func() ImportLine {
				l := reissueLine(IssueReplacement)
				l.FPRCard.IssueDate, l.FPRCard.ExpiryDate = "2025-01-01", "2035-01-01"
				return l
			}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s := newService(db)
				ctx := context.Background()
				if _, err := s.Import(ctx, officer, ndjson(t, testLine(0))); err != nil {
					t.Fatal(err)
				}
				p, _ := s.PersonByPassport(ctx, testLine(0).Passport.IssuingState, testLine(0).Passport.Number)
				card, _ := s.CurrentFPRCard(ctx, p.ID)
				if r.setup != nil {
					r.setup(t, s, p.ID, card.ID)
				}
				before := tableCounts(t, db)
				_, err := s.Import(ctx, officer, ndjson(t, r.line()))
				wantCode(t, err, "import_invalid")
				if e, _ := apperr.As(err); e.Fields[0].Field != r.field || e.Fields[0].Code != r.code {
					t.Fatalf("problem: %+v", e.Fields)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
			})
		})
	}
}
