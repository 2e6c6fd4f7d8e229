// Package batch lets concurrent callers share one database round trip.
//
// A Group runs a function over a slice of inputs, in up to a fixed number
// of batches at once (its flushers). A caller arriving while fewer are in
// flight runs one at once with its own input; one arriving while all are
// in flight queues, and when a batch ends the first queued caller runs the
// next with every input queued so far (up to the size). There is no timer
// and no background goroutine: a lone caller waits for nothing, and under
// load the batches grow by themselves with the round-trip time. The queue
// is bounded by the callers themselves: each waits in it with one input.
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
	run      Func[In, Out]
	max      int
	flushers int

	mu      sync.Mutex
	pending []*call[In, Out] // queued callers; a leader is never among them
	running int              // batches in flight
}

type call[In, Out any] struct {
	in   In
	out  Out
	err  error
	lead bool
	done chan struct{}
}

// New returns a Group that hands at most size inputs to run at a time
// and runs up to flushers batches at once (at least one). With one, a
// caller arriving just after a batch started waits for it and then for
// its own: two round trips. With more, it starts its own at once unless
// all are busy, which shortens the tail at the cost of smaller batches
// (docs/PERFORMANCE.md).
func New[In, Out any](size, flushers int, run Func[In, Out]) *Group[In, Out] {
	return &Group[In, Out]{run: run, max: max(size, 1), flushers: max(flushers, 1)}
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
	if g.running >= g.flushers {
		g.pending = append(g.pending, me)
		g.mu.Unlock()
		<-me.done
		if !me.lead {
			return me.out, me.err
		}
		g.mu.Lock()
	} else {
		g.running++
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

// handOver makes the first queued caller lead the next batch, or frees
// the flusher when nobody is waiting.
func (g *Group[In, Out]) handOver() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.pending) == 0 {
		g.running--
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
