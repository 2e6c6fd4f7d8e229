// Package batch lets concurrent callers share one database round trip.
//
// A Group runs a function over a slice of inputs. The first caller runs it
// at once with its own input; callers arriving while that run is in flight
// queue, and when it ends the first of them runs the next batch with every
// input queued so far. There is no timer and no background goroutine: a
// lone caller waits for nothing, and under load the batches grow by
// themselves with the round-trip time.
//
// Every batch starts after each of its callers arrived, so a read in a
// batch sees every write committed before its caller called, and a write
// is committed when its caller returns. That keeps the rules the callers
// have without batching: a revocation committed before a verification
// started is seen by it, and no verification is answered before its
// record is durable.
package batch

import (
	"context"
	"fmt"
	"sync"
)

// Func handles one batch. It returns one output per input, in order, or an
// error that every caller of the batch receives.
type Func[In, Out any] func(ctx context.Context, in []In) ([]Out, error)

// Group runs Func over the inputs of concurrent callers.
type Group[In, Out any] struct {
	run Func[In, Out]
	max int

	mu      sync.Mutex
	pending []*call[In, Out] // queued callers; a leader is never among them
	running bool
}

type call[In, Out any] struct {
	in   In
	out  Out
	err  error
	lead bool
	done chan struct{}
}

// New returns a Group that hands at most size inputs to run at a time.
// One batch runs at a time: letting a second start while the first is in
// flight was measured to make batches smaller and cost the database more
// than it saved (docs/PERFORMANCE.md).
func New[In, Out any](size int, run Func[In, Out]) *Group[In, Out] {
	return &Group[In, Out]{run: run, max: max(size, 1)}
}

// Do adds in to the next batch and returns its output once that batch has
// run. A caller whose context ends while queued still waits: its input may
// already be part of a running batch (a row being written), and returning
// early would answer before knowing what happened to it. The batch itself
// runs without the leader's cancellation for the same reason.
//
// A caller either starts a batch at once (none running) or queues, and a
// finishing leader hands the next batch to the first queued caller, whose
// input leads it.
func (g *Group[In, Out]) Do(ctx context.Context, in In) (Out, error) {
	me := &call[In, Out]{in: in, done: make(chan struct{}, 1)}
	g.mu.Lock()
	if g.running {
		g.pending = append(g.pending, me)
		g.mu.Unlock()
		<-me.done
		if !me.lead {
			return me.out, me.err
		}
		g.mu.Lock()
	} else {
		g.running = true
	}
	n := min(len(g.pending), g.max-1)
	batch := make([]*call[In, Out], 0, n+1)
	batch = append(append(batch, me), g.pending[:n]...)
	g.pending = g.pending[n:]
	g.mu.Unlock()

	ins := make([]In, len(batch))
	for i, c := range batch {
		ins[i] = c.in
	}
	outs, err := g.call(context.WithoutCancel(ctx), ins)
	if err == nil && len(outs) != len(batch) {
		err = fmt.Errorf("batch: %d outputs for %d inputs", len(outs), len(batch))
	}
	for i, c := range batch {
		if err != nil {
			c.err = err
		} else {
			c.out = outs[i]
		}
		if c != me {
			c.done <- struct{}{}
		}
	}
	g.handOver()
	return me.out, me.err
}

// handOver makes the first queued caller lead the next batch, or stops
// running when nobody is waiting.
func (g *Group[In, Out]) handOver() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.pending) == 0 {
		g.running = false
		return
	}
	next := g.pending[0]
	g.pending = g.pending[1:]
	next.lead = true
	next.done <- struct{}{}
}

// call runs the batch function, turning a panic into the batch's error:
// the callers queued behind it must still get an answer and a leader.
func (g *Group[In, Out]) call(ctx context.Context, ins []In) (outs []Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			outs, err = nil, fmt.Errorf("batch: panic: %v", r)
		}
	}()
	return g.run(ctx, ins)
}
