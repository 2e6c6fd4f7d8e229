package attestations

import (
	"context"
	"time"

	"github.com/fprlink/fprlink/internal/batch"
	"github.com/fprlink/fprlink/internal/storage"
)

// maxBatch bounds one INSERT or lookup: 500 rows × 11 columns stays far
// below PostgreSQL's 65,535 bind parameters.
const maxBatch = 500

// flushers is how many batches of each kind (record reads, audit inserts)
// may be in flight at once. One made every caller that arrived just after
// a batch started wait for two round trips, which was the verify API's
// tail; more than a few only make batches smaller (docs/PERFORMANCE.md).
const flushers = 3

// batchTimeout bounds one shared read or write. Batches run without their
// leader's cancellation, so without it a stuck database would hold every
// queued verification; with it they fail (unknown, or a 500 when the
// record cannot be written) and the next batch tries again.
const batchTimeout = 5 * time.Second

// recorder writes verification rows in shared commits. Every caller still
// returns only after the statement holding its row committed, so the
// answer-after-durable-record rule holds, but under load one commit (one
// fsync) carries many rows.
type recorder struct {
	group *batch.Group[*VerificationRow, struct{}]
	write batch.Func[*VerificationRow, struct{}] // alone, when group is nil
}

// newRecorder writes in shared commits, or each row alone when plain (the
// baseline batching is measured against).
func newRecorder(db *storage.DB, plain bool) *recorder {
	write := func(ctx context.Context, rows []*VerificationRow) ([]struct{}, error) {
		ctx, cancel := context.WithTimeout(ctx, batchTimeout)
		defer cancel()
		// One multi-row INSERT outside an explicit transaction is atomic
		// and committed when it returns.
		if err := db.Gorm.WithContext(ctx).Create(&rows).Error; err != nil {
			return nil, err
		}
		return make([]struct{}, len(rows)), nil
	}
	if plain {
		return &recorder{write: write}
	}
	return &recorder{group: batch.New(maxBatch, flushers, write)}
}

// record returns once row is committed, or with the error that kept it
// from being committed.
func (r *recorder) record(ctx context.Context, row *VerificationRow) error {
	if r.group == nil {
		_, err := r.write(context.WithoutCancel(ctx), []*VerificationRow{row})
		return err
	}
	_, err := r.group.Do(ctx, row)
	return err
}
