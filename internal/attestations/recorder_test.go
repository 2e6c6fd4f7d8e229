package attestations

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestRecorderCommitsEveryRowOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
		p, err := relyingparties.New(db, clock.NewFake(now)).Create(ctx, audit.System,
			relyingparties.CreateRequest{Name: "Bank", Sector: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		rec := newRecorder(db, false)
		row := func(i int, party string) *VerificationRow {
			return &VerificationRow{ID: "v" + strconv.Itoa(i), RelyingPartyID: party, PartyName: "Bank",
				Sector: "bank", Method: "token", Result: "valid", CheckedAt: now}
		}
		var wg sync.WaitGroup
		errs := make([]error, 200)
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				party := p.ID
				if i == 7 {
					party = "no-such-party" // breaks its own batch, and only that batch
				}
				errs[i] = rec.record(ctx, row(i, party))
			}()
		}
		wg.Wait()
		var stored int64
		db.Gorm.Model(&VerificationRow{}).Count(&stored)
		ok := int64(0)
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		if errs[7] == nil || stored != ok {
			t.Fatalf("%d callers told committed, %d rows stored; bad row error %v", ok, stored, errs[7])
		}
		if err := rec.record(ctx, row(1000, p.ID)); err != nil {
			t.Fatalf("recorder stuck after a failed batch: %v", err)
		}
	})
}
