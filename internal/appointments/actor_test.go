package appointments

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestHelperActingForIsAudited: a helper books and reschedules for a
// principal; the appointment is the principal's, it names the helper's
// account as booker, and every audit row records the helper, the
// principal and the request.
func TestHelperActingForIsAudited(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		helper := audit.Actor{ID: "acct-helper", Role: "resident", OnBehalfOf: "p1", RequestID: "req-helper-1"}
		a, _, err := f.svc.Book(ctx, BookRequest{PersonID: "p1", Business: business.VisaExtension,
			CenterID: "c1", SlotStart: at(1, 9, 0), By: helper})
		if err != nil {
			t.Fatal(err)
		}
		if a.PersonID != "p1" || a.BookedBy != "acct-helper" {
			t.Fatalf("appointment: %+v", a)
		}
		helper.RequestID = "req-helper-2"
		if _, err := f.svc.Reschedule(ctx, helper, "p1", a.ID, at(1, 9, 30)); err != nil {
			t.Fatal(err)
		}
		events, err := audit.List(db.Gorm, "appointment", a.ID)
		if err != nil || len(events) != 2 {
			t.Fatalf("audit: %v %+v", err, events)
		}
		for i, want := range []string{"req-helper-1", "req-helper-2"} {
			if e := events[i]; e.ActorID != "acct-helper" || e.ActorRole != "resident" || e.OnBehalfOf != "p1" || e.RequestID != want {
				t.Errorf("event %d: %+v", i, e)
			}
		}
	}, dbtest.WithClock(clk))
}
