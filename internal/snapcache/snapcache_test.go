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
	c.Invalidate()
	if _, err := c.Get(ctx); err == nil {
		t.Fatal("with nothing cached the error must surface")
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
