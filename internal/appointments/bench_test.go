package appointments

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// BenchmarkBookContendedPostgres: many concurrent clients (8 per core)
// booking 4 slots of 500 seats, each client a different person, the way a
// crowd books when new days open. Run with a fixed count larger than the
// 2,000 seats so the slot-full path is exercised too:
//
//	FPRLINK_TEST_DATABASE_URL=… go test -run '^$' -bench BookContended -benchtime 4000x ./internal/appointments/
//
// It reports successful bookings per second and fails if any counter ends
// above capacity or disagrees with the appointments holding it.
func BenchmarkBookContendedPostgres(b *testing.B) {
	clk := clock.NewFake(testNow)
	db := dbtest.Postgres(b, dbtest.WithClock(clk))
	f := newFixture(b, db, clk)
	f.setCapacity(b, maxCapacity)
	slots := []time.Time{at(1, 9, 0), at(1, 9, 30), at(1, 10, 0), at(1, 10, 30)}
	var seq, booked, full atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := seq.Add(1)
			_, err := f.book(fmt.Sprintf("bench-%d", n), business.VisaExtension, slots[n%int64(len(slots))])
			switch {
			case err == nil:
				booked.Add(1)
			case apperr.Is(err, "slot_full"):
				full.Add(1)
			default:
				b.Errorf("book: %v", err)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(booked.Load())/elapsed.Seconds(), "bookings/s")
	b.ReportMetric(float64(full.Load()), "slot_full")
	var over int64
	db.Gorm.Raw("SELECT COUNT(*) FROM slot_bookings WHERE booked > capacity").Scan(&over)
	if over != 0 || booked.Load() > int64(len(slots)*maxCapacity) {
		b.Fatalf("overbooked: %d counters over capacity, %d bookings for %d seats", over, booked.Load(), len(slots)*maxCapacity)
	}
	assertBooksBalance(b, db.Gorm)
}
