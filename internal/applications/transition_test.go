package applications

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
)

// pathTo is the sequence of moves that brings a new application to s.
func pathTo(s Status) []Status {
	switch s {
	case Submitted:
		return nil
	case Accepted:
		return []Status{Accepted}
	case UnderReview:
		return []Status{Accepted, UnderReview}
	case SupplementRequested:
		return []Status{Accepted, UnderReview, SupplementRequested}
	case Approved:
		return []Status{Accepted, UnderReview, Approved}
	case Rejected:
		return []Status{Accepted, UnderReview, Rejected}
	case ReadyForCollection:
		return []Status{Accepted, UnderReview, Approved, ReadyForCollection}
	}
	return []Status{Accepted, UnderReview, Approved, ReadyForCollection, Collected}
}

func TestCanMove(t *testing.T) {
	allowed := map[[2]Status]bool{
		{Submitted, Accepted}: true, {Accepted, UnderReview}: true,
		{UnderReview, SupplementRequested}: true, {SupplementRequested, UnderReview}: true,
		{UnderReview, Approved}: true, {UnderReview, Rejected}: true,
		{Approved, ReadyForCollection}: true, {Rejected, ReadyForCollection}: true,
		{ReadyForCollection, Collected}: true,
	}
	for _, from := range Statuses() {
		for _, to := range Statuses() {
			if got := CanMove(from, to); got != allowed[[2]Status{from, to}] {
				t.Errorf("CanMove(%s, %s) = %v", from, to, got)
			}
		}
	}
}

// TestInvalidTransitions tries every move the machine forbids, from every
// status, against the database: each is invalid_transition and changes
// nothing.
func TestInvalidTransitions(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		for _, from := range Statuses() {
			rec := e.register(t, alice, "residence_study", centreBJ)
			for _, s := range pathTo(from) {
				e.move(t, rec.Number, s)
			}
			events, notes := count(t, e.db, "application_events"), count(t, e.db, "notifications")
			for _, to := range Statuses() {
				if CanMove(from, to) {
					continue
				}
				t.Run(string(from)+"->"+string(to), func(t *testing.T) {
					_, err := e.svc.AddEvent(context.Background(), theOfficer, rec.Number, Step{Status: to})
					ae, ok := apperr.As(err)
					if !ok || ae.Kind != apperr.KindConflict || ae.Code != "invalid_transition" {
						t.Fatalf("err = %v, want invalid_transition", err)
					}
					got, _ := e.svc.Get(context.Background(), rec.Number)
					if got.Status != from || count(t, e.db, "application_events") != events ||
						count(t, e.db, "notifications") != notes {
						t.Fatal("a refused transition changed something")
					}
				})
			}
		}
	})
}

// TestConcurrentTransitions has several officers decide the same
// application at once: exactly one decision is recorded.
func TestConcurrentTransitions(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		e.move(t, rec.Number, Accepted)
		e.move(t, rec.Number, UnderReview)
		const officers = 6
		errs := make([]error, officers)
		var wg sync.WaitGroup
		for i := range officers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				to := Approved
				if i%2 == 1 {
					to = Rejected
				}
				_, errs[i] = e.svc.AddEvent(context.Background(), theOfficer, rec.Number, Step{Status: to})
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			var ae *apperr.Error
			switch {
			case err == nil:
				wins++
			case errors.As(err, &ae) && ae.Kind == apperr.KindConflict:
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		got, _ := e.svc.Get(context.Background(), rec.Number)
		if wins != 1 || len(got.Events) != 4 {
			t.Fatalf("%d officers won, %d events; want exactly one decision", wins, len(got.Events))
		}
	})
}

// TestStaleStatusIsRefused drives move with a row read before another
// officer's change: the conditional update matches nothing and the whole
// step is refused as status_changed.
func TestStaleStatusIsRefused(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		stale, err := rowByNumber(e.db.Gorm, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		e.move(t, rec.Number, Accepted)
		e.move(t, rec.Number, UnderReview)
		stale.Status = string(Accepted) // what the slow officer saw
		err = e.db.Gorm.Transaction(func(tx *gorm.DB) error {
			return e.svc.move(tx, theOfficer, &stale, Step{Status: UnderReview}, nil, e.clk.Now())
		})
		if !apperr.Is(err, "status_changed") {
			t.Fatalf("err = %v, want status_changed", err)
		}
		if got, _ := e.svc.Get(context.Background(), rec.Number); len(got.Events) != 3 {
			t.Fatalf("%d events; the stale step must leave none", len(got.Events))
		}
	})
}
