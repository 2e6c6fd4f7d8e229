package directory

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var errRefused = apperr.Conflict("refused_by_hook", i18n.T("Refused.", "已拒绝。"))

// TestScheduleHooksRunInsideTheChange: the hooks given to New see
// the closure in its own transaction, in order, and the first one that
// fails rolls the closure back.
func TestScheduleHooksRunInsideTheChange(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var calls []string
		refuse := false
		seen := func(name string) ScheduleHook {
			return func(tx storage.Tx, ids []string, from, to calendar.Date, reason i18n.Text) error {
				var n int64
				if err := tx.Gorm().Model(&closureRow{}).Where("center_id IN ? AND day = ?", ids, from.String()).Count(&n).Error; err != nil {
					return err
				}
				if n != 1 || from != to || reason.En != "Training" {
					t.Errorf("%s saw %d closures, %s..%s, %q", name, n, from, to, reason.En)
				}
				calls = append(calls, name)
				if refuse {
					return errRefused
				}
				return nil
			}
		}
		s := New(db, clk, Hooks{ScheduleChanged: []ScheduleHook{seen("first"), seen("second")}}, time.Hour)
		if err := s.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		ctr := findByCode(t, s, "bj-andingmen")
		cl := Closure{Date: mustDate(t, "2026-12-01"), Reason: i18n.T("Training", "培训")}
		if _, err := s.AddClosure(ctx, officer, ctr.ID, cl); err != nil {
			t.Fatal(err)
		}
		if len(calls) != 2 || calls[0] != "first" || calls[1] != "second" {
			t.Fatalf("hooks ran %v", calls)
		}
		refuse, calls = true, nil
		cl.Date = mustDate(t, "2026-12-02")
		_, err := s.AddClosure(ctx, officer, ctr.ID, cl)
		assertErr(t, err, "refused_by_hook", "")
		if len(calls) != 1 {
			t.Fatalf("hooks ran %v after the first refused", calls)
		}
		if got := findByCode(t, s, "bj-andingmen").Closures; len(got) != 1 || got[0].Date != mustDate(t, "2026-12-01") {
			t.Fatalf("closures %v, want only the one no hook refused", got)
		}
	})
}

// TestDeleteHooksKeepACentre: a hook given to New that refuses the
// removal keeps the centre with its hours.
func TestDeleteHooksKeepACentre(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var asked []string
		hook := func(tx storage.Tx, id string) error {
			var n int64
			if err := tx.Gorm().Model(&centerRow{}).Where("id = ?", id).Count(&n).Error; err != nil || n != 1 {
				t.Errorf("the hook must run before the centre goes: %d %v", n, err)
			}
			asked = append(asked, id)
			return errRefused
		}
		s := New(db, clk, Hooks{Deleting: []DeleteHook{hook}}, time.Hour)
		if err := s.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		ctr := findByCode(t, s, "bj-andingmen")
		assertErr(t, s.DeleteCenter(ctx, officer, ctr.ID), "refused_by_hook", "")
		if len(asked) != 1 || asked[0] != ctr.ID {
			t.Fatalf("hook asked about %v", asked)
		}
		if kept := findByCode(t, s, "bj-andingmen"); len(kept.Hours[1]) == 0 {
			t.Fatal("the refused removal took the centre's hours")
		}
	})
}
