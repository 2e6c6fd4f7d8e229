package attestations_test

import (
	"context"
	"github.com/fprlink/fprlink/internal/audit"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// written counts every row an issue writes: documents, their files, audit
// events and the status-list slots handed out.
func written(t *testing.T, db *storage.DB) [4]int64 {
	t.Helper()
	var out [4]int64
	for i, table := range []string{"attestations", "attestation_files", "audit_events"} {
		if err := db.Gorm.Table(table).Count(&out[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm.Table("status_lists").Select("COALESCE(SUM(next_seq), 0)").Scan(&out[3]).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func issueFor(t *testing.T, e *attestationstest.Env, person string, purpose relyingparties.Sector) (attestations.Issued, error) {
	t.Helper()
	return e.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: person, Purpose: purpose})
}

func TestIssueStoresThePurpose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, err := issueFor(t, e, "alice", relyingparties.SectorTelecom)
		if err != nil || doc.Purpose != relyingparties.SectorTelecom {
			t.Fatalf("issued %+v, %v", doc, err)
		}
		got, err := e.Service.Get(context.Background(), "alice", doc.ID)
		if err != nil || got.Purpose != relyingparties.SectorTelecom {
			t.Fatalf("stored %+v, %v", got.Standing, err)
		}
	})
}

func TestIssueRefusesAnUnknownPurpose(t *testing.T) {
	for _, purpose := range []relyingparties.Sector{"", "casino", "Bank", "bank "} {
		t.Run("fail-purpose-"+string(purpose), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				e := env(t, db)
				e.Holders.Put(attestationstest.Sample("alice"))
				before := written(t, db)
				_, err := issueFor(t, e, "alice", purpose)
				if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindInvalid || ae.Code != "invalid_purpose" || ae.Field != "purpose" {
					t.Fatalf("got %v, want invalid_purpose", err)
				}
				if written(t, db) != before {
					t.Fatal("a refused issue wrote rows")
				}
			})
		})
	}
}

// TestIssueCapPerPurpose: past the cap for one purpose the answer is a
// conflict naming the limit and the way out, and nothing is written — no
// row, no file, no audit entry, no status-list slot. Another purpose is
// not affected, and revoking one document makes room again.
func TestIssueCapPerPurpose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		e.Holders.Put(attestationstest.Sample("alice"))
		e.Holders.Put(attestationstest.Sample("bob"))
		var held []attestations.Issued
		for range attestations.DefaultLimits.ActivePerPurpose {
			doc, err := issueFor(t, e, "alice", relyingparties.SectorBank)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, doc)
		}
		before := written(t, db)
		_, err := issueFor(t, e, "alice", relyingparties.SectorBank)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindConflict || ae.Code != "attestation_limit_reached" {
			t.Fatalf("got %v, want attestation_limit_reached", err)
		}
		if !strings.Contains(ae.Message.En, "3 active") || !strings.Contains(ae.Message.En, "Revoke one") ||
			!strings.Contains(ae.Message.Zh, "3 份") || !strings.Contains(ae.Message.Zh, "撤销") {
			t.Fatalf("message does not name the limit and the way out: %+v", ae.Message)
		}
		if written(t, db) != before {
			t.Fatalf("a refused issue wrote rows: %v, before %v", written(t, db), before)
		}
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTelecom); err != nil {
			t.Fatalf("another purpose: %v", err)
		}
		if _, err := issueFor(t, e, "bob", relyingparties.SectorBank); err != nil {
			t.Fatalf("another resident: %v", err)
		}
		if _, err := e.Service.Revoke(context.Background(), audit.Actor{ID: "alice", Role: "resident"}, "alice", held[1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := issueFor(t, e, "alice", relyingparties.SectorBank); err != nil {
			t.Fatalf("after revoking one: %v", err)
		}
	})
}

// TestIssueCapIgnoresExpiredDocuments: an expired document no longer
// counts against the cap.
func TestIssueCapIgnoresExpiredDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := attestationstest.NewWith(t, db, clock.NewFake(t0), attestations.Limits{ActivePerPurpose: 1})
		e.Holders.Put(attestationstest.Sample("alice"))
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTax); err != nil {
			t.Fatal(err)
		}
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTax); !apperr.Is(err, "attestation_limit_reached") {
			t.Fatalf("second: %v", err)
		}
		e.Clock.Advance(90*24*time.Hour + time.Second)
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTax); err != nil {
			t.Fatalf("after the first expired: %v", err)
		}
	})
}

// TestIssueDailyLimit: the per-day limit counts every document issued in
// the last 24 hours, revoked ones included, and answers 429 with the wait
// until the oldest of them leaves the window.
func TestIssueDailyLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := attestationstest.NewWith(t, db, clock.NewFake(t0), attestations.Limits{ActivePerPurpose: 3, PerDay: 4})
		e.Holders.Put(attestationstest.Sample("alice"))
		ctx := context.Background()
		for i, p := range []relyingparties.Sector{relyingparties.SectorBank, relyingparties.SectorBank,
			relyingparties.SectorTax, relyingparties.SectorSocialSecurity} {
			doc, err := issueFor(t, e, "alice", p)
			if err != nil {
				t.Fatalf("issue %d: %v", i, err)
			}
			if _, err := e.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", doc.ID); err != nil {
				t.Fatal(err)
			}
			e.Clock.Advance(time.Hour)
		}
		before := written(t, db)
		_, err := issueFor(t, e, "alice", relyingparties.SectorTelecom)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.KindRateLimited || ae.Code != "attestation_daily_limit" || ae.RetryAfter != 20*time.Hour {
			t.Fatalf("got %+v, want attestation_daily_limit retrying after 20h", err)
		}
		if !strings.Contains(ae.Message.En, "4 e-documents") || !strings.Contains(ae.Message.Zh, "4 份") {
			t.Fatalf("message does not name the limit: %+v", ae.Message)
		}
		if written(t, db) != before {
			t.Fatal("a refused issue wrote rows")
		}
		e.Clock.Advance(20*time.Hour - time.Second)
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTelecom); !apperr.Is(err, "attestation_daily_limit") {
			t.Fatalf("a second early: %v", err)
		}
		e.Clock.Advance(time.Second)
		if _, err := issueFor(t, e, "alice", relyingparties.SectorTelecom); err != nil {
			t.Fatalf("once the oldest left the window: %v", err)
		}
	})
}

// TestIssueCapHoldsUnderConcurrency: concurrent requests of one resident
// cannot together pass the cap; the store re-checks under a lock.
func TestIssueCapHoldsUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := attestationstest.NewWith(t, db, clock.NewFake(t0), attestations.Limits{ActivePerPurpose: 2})
		e.Holders.Put(attestationstest.Sample("alice"))
		const tries = 6
		var wg sync.WaitGroup
		errs := make(chan error, tries)
		for range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := e.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case !apperr.Is(err, "attestation_limit_reached"):
				t.Fatalf("unexpected: %v", err)
			}
		}
		var n int64
		db.Gorm.Table("attestations").Where("person_id = ?", "alice").Count(&n)
		if ok != 2 || n != 2 {
			t.Fatalf("%d issued, %d stored; want 2", ok, n)
		}
	})
}
