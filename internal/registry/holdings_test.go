package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestHoldingsOfReadsManyPersonsAtOnce: every asked person's documents
// come back newest first with their effective status; repeats are
// answered once and unknown persons are absent.
func TestHoldingsOfReadsManyPersonsAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		lines := []ImportLine{testLine(1), testLine(2), testLine(3)}
		lines[2].Passport.ExpiryDate = "2026-02-28" // the day before testNow
		if _, err := s.Import(ctx, officer, ndjson(t, lines...)); err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(lines))
		for i, l := range lines {
			p, err := s.PersonByPassport(ctx, l.Passport.IssuingState, l.Passport.Number)
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = p.ID
		}
		newer := PassportInput{Number: "N00000001", IssuingState: lines[0].Passport.IssuingState,
			IssueDate: "2026-01-10", ExpiryDate: "2036-01-09"}
		if _, err := s.AddPassport(ctx, officer, ids[0], newer); err != nil {
			t.Fatal(err)
		}
		got, err := s.HoldingsOf(ctx, []string{ids[0], ids[2], ids[0], "nobody"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d persons answered, want 2", len(got))
		}
		first := got[ids[0]]
		if len(first.Passports) != 2 || first.Passports[0].Number != newer.Number ||
			first.Passports[1].Number != lines[0].Passport.Number || len(first.FPRCards) != 1 {
			t.Fatalf("first person: %+v", first)
		}
		if first.FPRCards[0].Number != lines[0].FPRCard.Number || first.FPRCards[0].Status != StatusValid {
			t.Fatalf("first person's card: %+v", first.FPRCards[0])
		}
		if third := got[ids[2]]; len(third.Passports) != 1 || third.Passports[0].Status != StatusExpired {
			t.Fatalf("expired passport not reported expired: %+v", third)
		}
	})
}
