package attestations

import (
	"context"
	"errors"
	"sync"

	"github.com/fprlink/fprlink/internal/storage"
)

// maxBatch bounds one INSERT: 500 rows × 11 columns stays far below
// PostgreSQL's 65,535 bind parameters.
const maxBatch = 500

// errLead tells a waiting request that it is now the one to write.
var errLead = errors.New("attestations: lead the next batch")

// recorder writes verification rows in shared transactions. Every caller
// still returns only after the transaction holding its row committed, so
// the answer-after-durable-record rule holds, but under load one commit
// (one fsync) carries many rows. There is no background goroutine: the
// first caller writes, callers arriving meanwhile queue, and the writer
// hands the next batch to the first of them.
type recorder struct {
	db *storage.DB

	mu       sync.Mutex
	pending  []*pendingRow
	flushing bool
}

type pendingRow struct {
	row  *VerificationRow
	done chan error
}

func newRecorder(db *storage.DB) *recorder { return &recorder{db: db} }

// record returns once row is committed, or with the error that kept it
// from being committed.
func (r *recorder) record(ctx context.Context, row *VerificationRow) error {
	me := &pendingRow{row: row, done: make(chan error, 1)}
	r.mu.Lock()
	r.pending = append(r.pending, me)
	lead := !r.flushing
	r.flushing = true
	r.mu.Unlock()
	if !lead {
		if err := <-me.done; err != errLead {
			return err
		}
	}
	r.mu.Lock()
	n := min(len(r.pending), maxBatch)
	batch := r.pending[:n:n]
	r.pending = r.pending[n:]
	r.mu.Unlock()
	// Other callers' rows ride on this write: one caller giving up must
	// not cancel it.
	err := r.write(context.WithoutCancel(ctx), batch)
	var mine error
	for _, p := range batch {
		if p == me {
			mine = err
			continue
		}
		p.done <- err
	}
	r.handOver()
	return mine
}

func (r *recorder) write(ctx context.Context, batch []*pendingRow) error {
	rows := make([]*VerificationRow, len(batch))
	for i, p := range batch {
		rows[i] = p.row
	}
	// One multi-row INSERT outside an explicit transaction is atomic and
	// committed when it returns.
	return r.db.Gorm.WithContext(ctx).Create(&rows).Error
}

// handOver makes the first queued caller the next writer, or ends the
// flushing when nobody is waiting.
func (r *recorder) handOver() {
	r.mu.Lock()
	if len(r.pending) == 0 {
		r.flushing = false
		r.mu.Unlock()
		return
	}
	next := r.pending[0]
	r.mu.Unlock()
	next.done <- errLead
}
