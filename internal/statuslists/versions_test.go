package statuslists

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestVersionsListsEveryList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, _ := New(db, clock.NewFake(t0), 4)
		ctx := context.Background()
		if v, err := s.Versions(ctx); err != nil || len(v) != 0 {
			t.Fatalf("no lists yet: %v %v", v, err)
		}
		var ids []string
		for range 5 { // the fifth opens a second list
			slot, err := s.Allocate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, slot.ListID)
		}
		got, err := s.Versions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		if want := slices.Compact(ids); !slices.Equal(slices.Sorted(maps.Keys(got)), want) || len(want) != 2 {
			t.Fatalf("versions %v, lists %v", got, want)
		}
		for id, v := range got {
			if one, _ := s.Version(ctx, id); one != v {
				t.Fatalf("list %s: %d, Version says %d", id, v, one)
			}
		}
	})
}
