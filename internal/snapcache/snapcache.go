// Package snapcache keeps one immutable, in-memory snapshot of a small,
// read-mostly data set (the directory, the guidelines) and reloads it when a
// write invalidates it or a time-to-live passes. Public reads then never wait
// on the database; writes in this process are visible at once, and writes by
// other instances within the TTL.
package snapcache

import (
	"context"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

// Cache holds the current snapshot of type T. The loaded value must not be
// changed by anyone once returned: it is shared by every reader.
type Cache[T any] struct {
	load  func(ctx context.Context) (T, error)
	clock clock.Clock
	ttl   time.Duration

	loadMu sync.Mutex // one reload at a time; the others wait and reuse it
	mu     sync.RWMutex
	cur    *entry[T]
	gen    uint64 // bumped by Invalidate; a load begun before is discarded
}

type entry[T any] struct {
	val      T
	loadedAt time.Time
}

// New builds a cache that fills itself with load.
func New[T any](clk clock.Clock, ttl time.Duration, load func(ctx context.Context) (T, error)) *Cache[T] {
	return &Cache[T]{load: load, clock: clk, ttl: ttl}
}

func (c *Cache[T]) fresh() (*entry[T], uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cur, c.gen, c.cur != nil && c.clock.Now().Sub(c.cur.loadedAt) < c.ttl
}

// Get returns the snapshot, loading it when missing or expired. When a
// reload after expiry fails, the expired snapshot is served: a directory a
// minute old beats an error page. With no snapshot at all the error is
// returned.
func (c *Cache[T]) Get(ctx context.Context) (T, error) {
	if e, _, ok := c.fresh(); ok {
		return e.val, nil
	}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	old, gen, ok := c.fresh()
	if ok {
		return old.val, nil // another caller reloaded while we waited
	}
	val, err := c.load(ctx)
	if err != nil {
		if old != nil {
			return old.val, nil
		}
		var zero T
		return zero, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.cur = &entry[T]{val: val, loadedAt: c.clock.Now()}
	}
	c.mu.Unlock()
	return val, nil
}

// Invalidate drops the snapshot; call it after a write commits.
func (c *Cache[T]) Invalidate() {
	c.mu.Lock()
	c.cur = nil
	c.gen++
	c.mu.Unlock()
}
