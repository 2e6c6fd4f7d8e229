package refdata

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestApplyRunsEachVersionOnce(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &Load{}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		runs := 0
		fn := func(*gorm.DB, time.Time) error { runs++; return nil }
		for _, want := range []bool{true, false} {
			ran, err := Apply(ctx, db.Gorm, clk, "demo", 1, fn)
			if err != nil || ran != want {
				t.Fatalf("ran=%v err=%v, want ran=%v", ran, err, want)
			}
		}
		if ran, _ := Apply(ctx, db.Gorm, clk, "demo", 2, fn); !ran || runs != 2 {
			t.Fatalf("a new version must run: ran=%v runs=%d", ran, runs)
		}
	})
}

func TestApplyFailureLeavesNoRecord(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		boom := errors.New("bad file")
		if _, err := Apply(ctx, db.Gorm, clk, "demo", 1, func(*gorm.DB, time.Time) error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
		ran, err := Apply(ctx, db.Gorm, clk, "demo", 1, func(*gorm.DB, time.Time) error { return nil })
		if err != nil || !ran {
			t.Fatalf("a failed load must be retried next start: ran=%v err=%v", ran, err)
		}
	})
}
