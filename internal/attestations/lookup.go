package attestations

import (
	"context"
	"fmt"
	"slices"

	"github.com/fprlink/fprlink/internal/batch"
	"github.com/fprlink/fprlink/internal/storage"
)

// online is what the verify API reads live about one document number: our
// record of it and the registry's word on its passport and card.
type online struct {
	row      *Row // nil when no document has the number
	state    DocumentState
	stateErr error // the registry could not answer; row is still good
}

// lookup reads the online state of many document numbers together:
// concurrent verifications share one read of the attestations and one of
// the registry (package batch), each started after its callers arrived, so
// a revocation or a registry change committed before a verification began
// is always seen by it.
type lookup struct {
	group *batch.Group[string, online]
	read  batch.Func[string, online] // alone, when group is nil
}

// lookupColumns are the fields the online checks and the verification
// record need; the token and QR text stay in the database.
var lookupColumns = []string{"id", "person_id", "document_number", "state", "suspended_at", "passport_number", "card_number",
	"card_id", "invalidation_cause"}

// newLookup reads in shared batches, or each call alone when plain (the
// baseline batching is measured against).
func newLookup(db *storage.DB, holders Holders, plain bool) *lookup {
	read := func(ctx context.Context, numbers []string) ([]online, error) {
		ctx, cancel := context.WithTimeout(ctx, batchTimeout)
		defer cancel()
		var rows []Row
		err := db.Gorm.WithContext(ctx).Select(lookupColumns).
			Where("document_number IN ?", slices.Compact(slices.Sorted(slices.Values(numbers)))).Find(&rows).Error
		if err != nil {
			return nil, err
		}
		found := make(map[string]online, len(rows))
		refs := make([]DocRef, len(rows))
		for i, r := range rows {
			refs[i] = DocRef{PersonID: r.PersonID, PassportNumber: r.PassportNumber, CardNumber: r.CardNumber, CardID: r.CardID}
		}
		var states []DocumentState
		var stateErr error
		if len(refs) > 0 {
			states, stateErr = holders.DocumentStates(ctx, refs)
			if stateErr == nil && len(states) != len(refs) {
				stateErr = fmt.Errorf("attestations: %d registry states for %d documents", len(states), len(refs))
			}
		}
		for i := range rows {
			o := online{row: &rows[i], stateErr: stateErr}
			if stateErr == nil {
				o.state = states[i]
			}
			found[rows[i].DocumentNumber] = o
		}
		out := make([]online, len(numbers))
		for i, n := range numbers {
			out[i] = found[n]
		}
		return out, nil
	}
	if plain {
		return &lookup{read: read}
	}
	return &lookup{group: batch.New(maxBatch, flushers, read)}
}

func (l *lookup) get(ctx context.Context, number string) (online, error) {
	if l.group == nil {
		out, err := l.read(ctx, []string{number})
		if err != nil {
			return online{}, err
		}
		return out[0], nil
	}
	return l.group.Do(ctx, number)
}
