package statuslists

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &ListRow{}, &EntryRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAllocateIsUniqueUnorderedAndRollsOver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, err := New(db, clock.NewFake(t0), 64)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		seen := map[issuer.StatusSlot]bool{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					slot, err := s.Allocate(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[slot] {
						t.Errorf("slot %v allocated twice", slot)
					}
					seen[slot] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		inFirst := 0
		for slot := range seen {
			if slot.ListID == "1" {
				inFirst++
			} else if slot.ListID != "2" {
				t.Fatalf("unexpected list %q", slot.ListID)
			}
		}
		if inFirst != 64 || len(seen) != 80 {
			t.Fatalf("list 1 has %d slots, %d in all; want 64 and 80", inFirst, len(seen))
		}
		// Sequential allocations must not yield sequential indexes.
		a, _ := s.Allocate(ctx)
		b, _ := s.Allocate(ctx)
		c, _ := s.Allocate(ctx)
		if b.Index == a.Index+1 && c.Index == b.Index+1 {
			t.Fatalf("indexes follow issue order: %d %d %d", a.Index, b.Index, c.Index)
		}
	})
}

func TestSetLoadAndVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, _ := New(db, clock.NewFake(t0), 16)
		ctx := context.Background()
		slot, err := s.Allocate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		set := func(v uint8) error {
			return db.Gorm.Transaction(func(tx *gorm.DB) error { return Set(tx, t0, slot, v) })
		}
		for _, v := range []uint8{edoc.StatusSuspended, edoc.StatusInvalid} {
			if err := set(v); err != nil {
				t.Fatal(err)
			}
		}
		list, version, err := s.Load(ctx, slot.ListID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := list.Get(slot.Index)
		if got != edoc.StatusInvalid || version != 2 || list.Len() != 16 {
			t.Fatalf("status %d version %d len %d", got, version, list.Len())
		}
		if err := set(7); !errors.Is(err, edoc.ErrStatusValue) {
			t.Fatalf("value 7: %v", err)
		}
		missing := issuer.StatusSlot{ListID: "99", Index: 0}
		err = db.Gorm.Transaction(func(tx *gorm.DB) error { return Set(tx, t0, missing, 1) })
		if err == nil {
			t.Fatal("status set on a list that does not exist")
		}
		if _, _, err := s.Load(ctx, "99"); !apperr.Is(err, "status_list_not_found") {
			t.Fatalf("load missing: %v", err)
		}
		if _, err := s.Version(ctx, "99"); !apperr.Is(err, "status_list_not_found") {
			t.Fatalf("version missing: %v", err)
		}
	})
}

type countingSigner struct{ n atomic.Int32 }

func (c *countingSigner) StatusListToken(_ context.Context, id string, l *edoc.StatusList) (string, error) {
	c.n.Add(1)
	return id + ":" + l.Encode(), nil
}

func TestTokensResignOnlyWhenChangedOrOld(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(t0)
		s, _ := New(db, clk, 16)
		ctx := context.Background()
		slot, _ := s.Allocate(ctx)
		signer := &countingSigner{}
		toks := NewTokens(clk, s, signer, 10*time.Minute)
		first, err := toks.Current(ctx, slot.ListID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := toks.Current(ctx, slot.ListID); err != nil || signer.n.Load() != 1 {
			t.Fatalf("unchanged list signed %d times (%v)", signer.n.Load(), err)
		}
		_ = db.Gorm.Transaction(func(tx *gorm.DB) error { return Set(tx, t0, slot, 1) })
		second, _ := toks.Current(ctx, slot.ListID)
		if signer.n.Load() != 2 || second.Token == first.Token || second.Version != 1 {
			t.Fatalf("change not picked up: %d signings, version %d", signer.n.Load(), second.Version)
		}
		clk.Advance(6 * time.Minute)
		if _, _ = toks.Current(ctx, slot.ListID); signer.n.Load() != 3 {
			t.Fatalf("old token not re-signed: %d signings", signer.n.Load())
		}
		if _, err := toks.Current(ctx, "nope"); !apperr.Is(err, "status_list_not_found") {
			t.Fatalf("missing list: %v", err)
		}
	})
}
