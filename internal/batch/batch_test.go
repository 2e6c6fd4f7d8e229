package batch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// gate is a batch function that records every batch and, while blocked,
// holds the batch it is running.
type gate struct {
	mu      sync.Mutex
	batches [][]int
	started chan int      // receives the size of each batch as it starts
	release chan struct{} // each batch waits for one value
	fail    error
}

func newGate() *gate {
	return &gate{started: make(chan int, 100), release: make(chan struct{}, 100)}
}

func (g *gate) run(_ context.Context, in []int) ([]int, error) {
	g.mu.Lock()
	g.batches = append(g.batches, append([]int(nil), in...))
	g.mu.Unlock()
	g.started <- len(in)
	<-g.release
	if g.fail != nil {
		return nil, g.fail
	}
	out := make([]int, len(in))
	for i, v := range in {
		out[i] = v * 10
	}
	return out, nil
}

func TestLoneCallerRunsAtOnce(t *testing.T) {
	g := newGate()
	g.release <- struct{}{}
	out, err := New(10, 1, g.run).Do(context.Background(), 7)
	if err != nil || out != 70 {
		t.Fatalf("got %d, %v", out, err)
	}
	if len(g.batches) != 1 || len(g.batches[0]) != 1 {
		t.Fatalf("batches %v", g.batches)
	}
}

// waitQueued waits until n callers are queued behind the running batch.
func waitQueued(t *testing.T, grp *Group[int, int], n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		grp.mu.Lock()
		q := len(grp.pending)
		grp.mu.Unlock()
		if q == n {
			return
		}
	}
	t.Fatalf("never saw %d queued callers", n)
}

func TestCallersArrivingDuringARunShareTheNextBatch(t *testing.T) {
	g := newGate()
	grp := New(100, 1, g.run)
	outs := make([]int, 11)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); outs[0], _ = grp.Do(context.Background(), 0) }()
	if n := <-g.started; n != 1 {
		t.Fatalf("first batch has %d inputs", n)
	}
	for i := 1; i <= 10; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i], _ = grp.Do(context.Background(), i) }()
	}
	waitQueued(t, grp, 10)
	g.release <- struct{}{}
	if n := <-g.started; n != 10 {
		t.Fatalf("second batch has %d inputs, want the 10 that queued", n)
	}
	g.release <- struct{}{}
	wg.Wait()
	for i, v := range outs {
		if v != i*10 {
			t.Fatalf("caller %d got %d: outputs crossed", i, v)
		}
	}
	if len(g.batches) != 2 {
		t.Fatalf("%d batches, want 2", len(g.batches))
	}
}

func TestBatchNeverExceedsMax(t *testing.T) {
	for range 3 {
		g := newGate()
		for range 100 {
			g.release <- struct{}{}
		}
		grp := New(3, 1, g.run)
		var wg sync.WaitGroup
		for i := range 60 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if out, err := grp.Do(context.Background(), i); err != nil || out != i*10 {
					t.Errorf("caller %d got %d, %v", i, out, err)
				}
			}()
		}
		wg.Wait()
		total := 0
		for _, b := range g.batches {
			if len(b) > 3 {
				t.Fatalf("batch of %d", len(b))
			}
			total += len(b)
		}
		if total != 60 || grp.running != 0 || len(grp.pending) != 0 {
			t.Fatalf("%d inputs run, want 60; left running %v, pending %d", total, grp.running, len(grp.pending))
		}
	}
}

func TestErrorReachesEveryCallerOfTheBatchOnly(t *testing.T) {
	g := newGate()
	boom := errors.New("boom")
	g.fail = boom
	grp := New(10, 1, g.run)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _, errs[0] = grp.Do(context.Background(), 1) }()
	<-g.started
	for i := 1; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = grp.Do(context.Background(), i) }()
	}
	waitQueued(t, grp, 2)
	g.release <- struct{}{} // the first batch fails
	<-g.started
	g.mu.Lock()
	g.fail = nil
	g.mu.Unlock()
	g.release <- struct{}{} // the second succeeds
	wg.Wait()
	if !errors.Is(errs[0], boom) || errs[1] != nil || errs[2] != nil {
		t.Fatalf("errors %v", errs)
	}
}

func TestWrongOutputCountIsAnError(t *testing.T) {
	grp := New(10, 1, func(context.Context, []int) ([]int, error) { return nil, nil })
	if _, err := grp.Do(context.Background(), 1); err == nil {
		t.Fatal("a batch that lost its output was accepted")
	}
}

func TestCancelledCallerStillGetsItsAnswer(t *testing.T) {
	g := newGate()
	grp := New(10, 1, g.run)
	go func() { _, _ = grp.Do(context.Background(), 1) }()
	<-g.started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan int)
	go func() { v, _ := grp.Do(ctx, 2); done <- v }()
	waitQueued(t, grp, 1)
	g.release <- struct{}{}
	<-g.started
	g.release <- struct{}{}
	if v := <-done; v != 20 {
		t.Fatalf("got %d", v)
	}
}

func TestPanickingBatchFailsItsCallersAndTheGroupGoesOn(t *testing.T) {
	calls := 0
	grp := New(10, 1, func(_ context.Context, in []int) ([]int, error) {
		calls++
		if calls == 1 {
			panic("boom")
		}
		return in, nil
	})
	if _, err := grp.Do(context.Background(), 1); err == nil {
		t.Fatal("a panicking batch answered without error")
	}
	if out, err := grp.Do(context.Background(), 2); err != nil || out != 2 {
		t.Fatalf("group stuck after a panic: %d, %v", out, err)
	}
}

func TestSecondFlusherStartsWhileFirstRuns(t *testing.T) {
	g := newGate()
	grp := New(10, 2, g.run)
	ctx := context.Background()
	done := make(chan int, 3)
	go func() { v, _ := grp.Do(ctx, 1); done <- v }()
	<-g.started
	go func() { v, _ := grp.Do(ctx, 2); done <- v }()
	if n := <-g.started; n != 1 {
		t.Fatalf("the second caller's batch has %d inputs, want its own alone", n)
	}
	// Both flushers busy: the third queues.
	go func() { v, _ := grp.Do(ctx, 3); done <- v }()
	waitQueued(t, grp, 1)
	g.release <- struct{}{}
	if n := <-g.started; n != 1 {
		t.Fatalf("queued batch of %d", n)
	}
	g.release <- struct{}{}
	g.release <- struct{}{}
	got := map[int]bool{}
	for range 3 {
		got[<-done] = true
	}
	if !got[10] || !got[20] || !got[30] {
		t.Fatalf("outputs %v", got)
	}
	grp.mu.Lock()
	defer grp.mu.Unlock()
	if grp.running != 0 || len(grp.pending) != 0 {
		t.Fatalf("after all: running %d, pending %d", grp.running, len(grp.pending))
	}
}
