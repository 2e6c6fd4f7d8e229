package keys

import (
	"context"
	"sort"
	"sync"
)

// MemoryStore is an in-memory Store for tests and command-line tools. The
// zero value is ready to use.
type MemoryStore struct {
	mu      sync.Mutex
	records map[string]Record
}

var _ Store = (*MemoryStore)(nil)

// List returns copies of all records, oldest first.
func (s *MemoryStore) List(_ context.Context) ([]Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshot(), nil
}

// Update runs fn under the store's lock and applies its changes atomically.
func (s *MemoryStore) Update(_ context.Context, fn func([]Record) ([]Record, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	changed, err := fn(s.snapshot())
	if err != nil {
		return err
	}
	if s.records == nil {
		s.records = make(map[string]Record)
	}
	for _, r := range changed {
		s.records[r.KID] = r.clone()
	}
	return nil
}

func (s *MemoryStore) snapshot() []Record {
	out := make([]Record, 0, len(s.records))
	for _, r := range s.records {
		out = append(out, r.clone())
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].KID < out[j].KID
	})
	return out
}
