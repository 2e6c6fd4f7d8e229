package snapcache

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

func TestLoadsOnceUntilInvalidatedOrExpired(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	n := 0
	c := New(clk, time.Minute, func(context.Context) (int, error) { n++; return n, nil })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if v, _ := c.Get(ctx); v != 1 {
			t.Fatalf("got %d, want the first load", v)
		}
	}
	c.Invalidate()
	if v, _ := c.Get(ctx); v != 2 {
		t.Fatalf("after invalidate got %d", v)
	}
	clk.Advance(time.Minute)
	if v, _ := c.Get(ctx); v != 3 {
		t.Fatalf("after expiry got %d", v)
	}
}

func TestServesStaleWhenReloadFails(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fail := false
	c := New(clk, time.Minute, func(context.Context) (string, error) {
		if fail {
			return "", errors.New("database down")
		}
		return "v1", nil
	})
	ctx := context.Background()
	_, _ = c.Get(ctx)
	fail = true
	clk.Advance(2 * time.Minute)
	if v, err := c.Get(ctx); err != nil || v != "v1" {
		t.Fatalf("stale read: %q, %v", v, err)
	}
}

func TestServesLastSnapshotWhenReloadAfterInvalidateFails(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fail := false
	c := New(clk, time.Minute, func(context.Context) (string, error) {
		if fail {
			return "", errors.New("database down")
		}
		return "v1", nil
	})
	ctx := context.Background()
	_, _ = c.Get(ctx)
	fail = true
	c.Invalidate() // a write committed just before the database went away
	if v, err := c.Get(ctx); err != nil || v != "v1" {
		t.Fatalf("after invalidate with the database down: %q, %v", v, err)
	}
}

func TestErrorSurfacesWithNothingEverLoaded(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	c := New(clk, time.Minute, func(context.Context) (int, error) { return 0, errors.New("database down") })
	if _, err := c.Get(context.Background()); err == nil {
		t.Fatal("with nothing cached the error must surface")
	}
}

func TestFailedReloadIsNotRetriedByEveryReader(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	loads, fail := 0, false
	c := New(clk, time.Minute, func(context.Context) (int, error) {
		loads++
		if fail {
			return 0, errors.New("database down")
		}
		return loads, nil
	})
	ctx := context.Background()
	_, _ = c.Get(ctx)
	fail = true
	clk.Advance(time.Minute)
	for i := 0; i < 10; i++ {
		if v, err := c.Get(ctx); err != nil || v != 1 {
			t.Fatalf("read %d during the outage: %d, %v", i, v, err)
		}
	}
	if loads != 2 {
		t.Fatalf("%d loads: readers within RetryAfterFailure of a failure must not reload", loads)
	}
	clk.Advance(RetryAfterFailure)
	fail = false
	if v, _ := c.Get(ctx); v != 3 {
		t.Fatalf("after the retry interval got %d, want a new load", v)
	}
}

func TestKeepLoadsBeforeTheFirstReaderAndOnATimer(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var mu sync.Mutex
	loads := 0
	c := New(clk, time.Hour, func(context.Context) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		loads++
		return loads, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Keep(ctx, 5*time.Millisecond, nil) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := loads
		mu.Unlock()
		if n >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Keep loaded %d times in 5 s", n)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	want := loads
	mu.Unlock()
	if v, _ := c.Get(context.Background()); v != want {
		t.Fatalf("Get gave %d, want the timer's latest load %d without loading again", v, want)
	}
}

func TestLoadStartedBeforeInvalidateIsNotKept(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	started, release := make(chan struct{}), make(chan struct{})
	calls := 0
	var c *Cache[int]
	c = New(clk, time.Hour, func(context.Context) (int, error) {
		calls++
		if calls == 1 {
			close(started)
			<-release
		}
		return calls, nil
	})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, _ = c.Get(context.Background()) }()
	<-started
	c.Invalidate() // a write commits while the first load is running
	close(release)
	wg.Wait()
	if v, _ := c.Get(context.Background()); v != 2 {
		t.Fatalf("got %d: the pre-write load was cached", v)
	}
}
