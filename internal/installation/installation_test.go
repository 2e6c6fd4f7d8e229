package installation_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/installation"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func newStore(t *testing.T, db *storage.DB) (*installation.Store, *clock.Fake) {
	clk := clock.NewFake(time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC))
	return installation.New(db, clk), clk
}

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &installation.Row{}, &installation.IssuerRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

// Nodes starting together on a fresh database all get the same id, and
// it never changes; another database has another.
func TestDatabaseIDIsMadeOnceAndKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, _ := newStore(t, db)
		ids := make([]string, 4)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				id, err := s.DatabaseID(context.Background())
				if err != nil {
					t.Error(err)
				}
				ids[i] = id
			})
		}
		wg.Wait()
		again, _ := s.DatabaseID(context.Background())
		if again == "" || slices.ContainsFunc(ids, func(id string) bool { return id != again }) {
			t.Fatalf("ids %v then %s", ids, again)
		}
		other, _ := installation.New(dbtest.SQLite(t), clock.Real{}).DatabaseID(context.Background())
		if other == again {
			t.Fatal("two databases share an id")
		}
	})
}

func TestBindKEK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, _ := newStore(t, db)
		if fp, err := s.BoundKEK(ctx); err != nil || fp != "" {
			t.Fatalf("before first use: %q %v", fp, err)
		}
		if err := s.BindKEK(ctx, "aaaa"); err != nil {
			t.Fatalf("first use: %v", err)
		}
		if fp, err := s.BoundKEK(ctx); err != nil || fp != "aaaa" {
			t.Fatalf("bound: %q %v", fp, err)
		}
		if err := s.BindKEK(ctx, "aaaa"); err != nil {
			t.Fatalf("same KEK again: %v", err)
		}
		if err := s.BindKEK(ctx, "bbbb"); !errors.Is(err, installation.ErrKEKMismatch) {
			t.Fatalf("another KEK: %v, want ErrKEKMismatch", err)
		}
	})
}

func TestKEKFingerprintNamesTheKeyWithoutShowingIt(t *testing.T) {
	t.Parallel()
	derive := func(kek byte) func(string) ([]byte, error) {
		return func(purpose string) ([]byte, error) { return append([]byte(purpose), kek), nil }
	}
	a, _ := installation.FingerprintKEK(derive(1))
	a2, _ := installation.FingerprintKEK(derive(1))
	b, _ := installation.FingerprintKEK(derive(2))
	if a != a2 || a == b || len(a) != 32 {
		t.Fatalf("fingerprints %s %s %s", a, a2, b)
	}
	if _, err := installation.FingerprintKEK(func(string) ([]byte, error) { return nil, errors.New("no") }); err == nil {
		t.Fatal("a failed derivation gave a fingerprint")
	}
}

// Every URL is kept; the previous one is reported so start-up can warn.
func TestUseIssuerKeepsEveryURL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, clk := newStore(t, db)
		for _, step := range []struct{ url, previous string }{
			{"https://a.example", ""},
			{"https://a.example", "https://a.example"},
			{"https://b.example", "https://a.example"},
			{"https://a.example", "https://b.example"},
		} {
			clk.Advance(time.Hour)
			prev, err := s.UseIssuer(ctx, step.url)
			if err != nil || prev != step.previous {
				t.Fatalf("UseIssuer(%s) = %q, %v; want %q", step.url, prev, err, step.previous)
			}
		}
		got, err := s.Issuers(ctx)
		if err != nil || !slices.Equal(got, []string{"https://a.example", "https://b.example"}) {
			t.Fatalf("Issuers = %v, %v", got, err)
		}
	})
}
