package appointments

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// setCapacity gives the visa group a new capacity.
func (f *fixture) setCapacity(t testing.TB, capacity int) {
	t.Helper()
	cfg, err := f.svc.SlotConfig(context.Background(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Groups {
		if cfg.Groups[i].Name == "visa" {
			cfg.Groups[i].Capacity = capacity
		}
	}
	if _, err := f.svc.SetSlotConfig(context.Background(), officer, "c1", cfg); err != nil {
		t.Fatal(err)
	}
}

// TestRaceForLastSeats is acceptance test 1: 200 people race for the last 3
// seats of one slot on PostgreSQL; exactly 3 win and every loser is told
// slot_full. SQLite runs a smaller race.
func TestRaceForLastSeats(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		racers := 200
		if db.Dialect == storage.SQLite {
			racers = 40
		}
		const capacity, prebooked = 10, 7
		f.setCapacity(t, capacity)
		slot := at(1, 9, 0)
		for i := range prebooked {
			f.mustBook(t, fmt.Sprintf("early-%d", i), business.VisaExtension, slot)
		}
		var won, full atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range racers {
			wg.Go(func() {
				<-start
				_, err := f.book(fmt.Sprintf("racer-%d", i), business.VisaExtension, slot)
				switch {
				case err == nil:
					won.Add(1)
				case apperr.Is(err, "slot_full"):
					full.Add(1)
				default:
					t.Errorf("racer %d: %v", i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if won.Load() != capacity-prebooked || int(full.Load()) != racers-(capacity-prebooked) {
			t.Fatalf("won %d, full %d; want %d and %d", won.Load(), full.Load(), capacity-prebooked, racers-(capacity-prebooked))
		}
		if n := f.booked(t, "visa", slot); n != capacity {
			t.Fatalf("counter %d, want %d", n, capacity)
		}
		assertBooksBalance(t, db.Gorm)
	}, dbtest.WithClock(clk))
}

// TestOnePersonRacingItself: a person's concurrent bookings cannot together
// break the per-person rules.
func TestOnePersonRacingItself(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.setCapacity(t, 50)
		race := func(person string, businesses []string) (won int) {
			var n atomic.Int32
			var wg sync.WaitGroup
			for i := range 30 {
				wg.Go(func() {
					b := businesses[i%len(businesses)]
					_, err := f.book(person, b, at(7+i%3, 9+i%3, 0))
					if err == nil {
						n.Add(1)
					} else if !apperr.Is(err, "duplicate_business") && !apperr.Is(err, "too_many_appointments") {
						t.Errorf("%s: %v", person, err)
					}
				})
			}
			wg.Wait()
			return int(n.Load())
		}
		if won := race("same-business", []string{business.VisaExtension}); won != 1 {
			t.Fatalf("one business: %d bookings, want 1", won)
		}
		f.mustBook(t, "near-limit", business.VisaExtension, at(1, 9, 0))
		f.mustBook(t, "near-limit", business.VisaRenewal, at(1, 9, 30))
		if won := race("near-limit", []string{business.VisaReissue, business.ResidenceWork, business.ResidenceStudy}); won != 1 {
			t.Fatalf("third appointment: %d bookings, want 1", won)
		}
		assertBooksBalance(t, db.Gorm)
	}, dbtest.WithClock(clk))
}

// TestRescheduleUnderLoad is acceptance test 3: people reschedule back and
// forth between scarce slots, twice at once each, while an observer checks
// in consistent snapshots that every seat counter equals the appointments
// holding it — so nobody ever holds two seats or none.
func TestRescheduleUnderLoad(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		people, moves := 20, 15
		if db.Dialect == storage.SQLite {
			people, moves = 8, 6
		}
		var slots []time.Time // 13 slots × 2 seats on 7 December
		for h := 9 * 60; h+30 <= 17*60; h += 30 {
			if h < 12*60 || h >= 13*60+30 {
				slots = append(slots, at(7, h/60, h%60))
			}
		}
		ids := make([]string, people)
		for i := range people {
			ids[i] = f.mustBook(t, fmt.Sprintf("p%d", i), business.VisaExtension, slots[i%len(slots)]).ID
		}
		stop := make(chan struct{})
		observed := make(chan int)
		go func() { observed <- observe(t, db, stop) }()
		var moved atomic.Int32
		var wg sync.WaitGroup
		for i := range people * 2 {
			wg.Go(func() {
				p, rng := i%people, rand.New(rand.NewPCG(uint64(i), 7))
				for range moves {
					to := slots[rng.IntN(len(slots))]
					_, err := f.svc.Reschedule(context.Background(), resident, fmt.Sprintf("p%d", p), ids[p], to)
					switch {
					case err == nil:
						moved.Add(1)
					case apperr.Is(err, "slot_full"), apperr.Is(err, "same_slot"), apperr.Is(err, "appointment_not_active"):
					default:
						t.Errorf("reschedule: %v", err)
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		if snapshots := <-observed; snapshots == 0 || moved.Load() == 0 {
			t.Fatalf("%d snapshots, %d moves: the test proved nothing", snapshots, moved.Load())
		}
		for i := range people {
			var n int64
			db.Gorm.Model(&appointmentRow{}).Where("person_id = ? AND status = ?", fmt.Sprintf("p%d", i), "booked").Count(&n)
			if n != 1 {
				t.Fatalf("p%d holds %d appointments", i, n)
			}
		}
		assertBooksBalance(t, db.Gorm)
	}, dbtest.WithClock(clk))
}

// observe checks the books in repeatable-read snapshots until stop closes
// and returns how many it checked.
func observe(t *testing.T, db *storage.DB, stop <-chan struct{}) int {
	n := 0
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Dialect == storage.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	for {
		select {
		case <-stop:
			return n
		default:
		}
		err := db.Gorm.Transaction(func(tx *gorm.DB) error {
			assertBooksBalance(t, tx)
			return nil
		}, opts)
		if err != nil {
			t.Errorf("observer: %v", err)
			return n
		}
		n++
	}
}

// assertBooksBalance checks that every counter equals the number of booked
// appointments on its slot and never exceeds its capacity.
func assertBooksBalance(t testing.TB, db *gorm.DB) {
	t.Helper()
	var rows []struct {
		CenterID, BusinessGroup string
		SlotStart               time.Time
		Capacity, Booked        int
		Holders                 int
	}
	err := db.Raw(`SELECT c.center_id, c.business_group, c.slot_start, c.capacity, c.booked,
		(SELECT COUNT(*) FROM appointments a WHERE a.center_id = c.center_id AND a.business_group = c.business_group
			AND a.slot_start = c.slot_start AND a.status <> 'cancelled') AS holders
		FROM slot_bookings c`).Scan(&rows).Error
	if err != nil {
		t.Errorf("books: %v", err)
		return
	}
	for _, r := range rows {
		if r.Booked != r.Holders || r.Booked > r.Capacity {
			t.Errorf("slot %s %s: counter %d, appointments %d, capacity %d", r.BusinessGroup, r.SlotStart, r.Booked, r.Holders, r.Capacity)
		}
	}
}
