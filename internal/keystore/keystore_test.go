package keystore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/keys"
)

func newKEK(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, keys.KEKSize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func manager(t *testing.T, db *storage.DB, kek []byte, clk clock.Clock) *keys.Manager {
	t.Helper()
	m, err := keys.NewManager(keys.Config{Store: New(db), KEK: kek, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &Row{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLifecycle(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		kek := newKEK(t)
		m := manager(t, db, kek, clk)
		created, err := EnsureActive(ctx, m)
		if err != nil || !created {
			t.Fatalf("first EnsureActive: %v %v", created, err)
		}
		if created, err = EnsureActive(ctx, m); err != nil || created {
			t.Fatalf("second EnsureActive: %v %v", created, err)
		}
		first, _ := m.List(ctx)
		if err := m.RecordIssued(ctx, first[0].KID, clk.Now().Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		next, err := m.Rotate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := m.List(ctx)
		if len(recs) != 2 || recs[0].State != keys.StateRetired || recs[1].KID != next.KID || recs[1].State != keys.StateActive {
			t.Fatalf("after rotate: %+v", recs)
		}
		if recs[0].NotAfter == nil || !recs[0].NotAfter.Equal(clk.Now().Add(23*time.Hour)) {
			t.Fatalf("not_after lost: %v", recs[0].NotAfter)
		}
		if n := jwksCount(t, m); n != 2 {
			t.Fatalf("jwks after rotate has %d keys, want 2", n)
		}
		if _, err := m.Revoke(ctx, recs[0].KID); err != nil {
			t.Fatal(err)
		}
		if n := jwksCount(t, m); n != 1 {
			t.Fatalf("jwks after revoke has %d keys, want 1", n)
		}
		// A fresh manager over the same rows decrypts the active key.
		if _, err := manager(t, db, kek, clk).ActiveSigner(ctx); err != nil {
			t.Fatalf("reload: %v", err)
		}
		if _, err := manager(t, db, newKEK(t), clk).ActiveSigner(ctx); !errors.Is(err, keys.ErrDecrypt) {
			t.Fatalf("wrong KEK: got %v, want ErrDecrypt", err)
		}
	})
}

func jwksCount(t *testing.T, m *keys.Manager) int {
	t.Helper()
	b, err := m.JWKS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var set struct{ Keys []map[string]any }
	if err := json.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	return len(set.Keys)
}

func TestConcurrentRotationsKeepOneActive(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		kek := newKEK(t)
		if _, err := manager(t, db, kek, clk).Generate(ctx); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Separate managers stand for separate nodes.
				if _, err := manager(t, db, kek, clk).Rotate(ctx); err != nil {
					t.Errorf("rotate: %v", err)
				}
			}()
		}
		wg.Wait()
		recs, _ := New(db).List(ctx)
		active := 0
		for _, r := range recs {
			if r.State == keys.StateActive {
				active++
			}
		}
		if len(recs) != 5 || active != 1 {
			t.Fatalf("%d records, %d active; want 5 and 1", len(recs), active)
		}
	})
}

func TestUpdateErrorWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		err := New(db).Update(ctx, func([]keys.Record) ([]keys.Record, error) {
			return []keys.Record{{KID: "a", State: keys.StateActive, CreatedAt: now, ActivatedAt: now, PublicJWK: []byte("{}")}}, boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		if recs, _ := New(db).List(ctx); len(recs) != 0 {
			t.Fatalf("rows written despite error: %d", len(recs))
		}
	})
}

func TestDatabaseRefusesSecondActiveKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		err := New(db).Update(context.Background(), func([]keys.Record) ([]keys.Record, error) {
			return []keys.Record{
				{KID: "a", State: keys.StateActive, CreatedAt: now, ActivatedAt: now, PublicJWK: []byte("{}")},
				{KID: "b", State: keys.StateActive, CreatedAt: now, ActivatedAt: now, PublicJWK: []byte("{}")},
			}, nil
		})
		if err == nil {
			t.Fatal("two active keys were stored")
		}
	})
}
