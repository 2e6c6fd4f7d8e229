// Package snapcache keeps one immutable, in-memory snapshot of a small,
// read-mostly data set (the directory, the guidelines) and reloads it when a
// write invalidates it, when a time-to-live passes, and on a timer (Keep),
// so public reads do not wait on the database and keep working from the
// last snapshot while it cannot be reached. Writes in this process are
// visible at once, and writes by other instances within the TTL.
package snapcache

import (
	"context"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

// RetryAfterFailure is how long a failed reload is not tried again by
// readers, who get the last snapshot meanwhile: while the database is down
// each request would otherwise queue behind one more reload that fails.
const RetryAfterFailure = time.Second

// Cache holds the current snapshot of type T. The loaded value must not be
// changed by anyone once returned: it is shared by every reader.
type Cache[T any] struct {
	load  func(ctx context.Context) (T, error)
	clock clock.Clock
	ttl   time.Duration

	loadMu sync.Mutex // one reload at a time; the others wait and reuse it
	mu     sync.RWMutex
	cur    *entry[T]
	// last is the newest snapshot ever loaded, kept after Invalidate so it
	// can still be served when the reload fails.
	last     *entry[T]
	gen      uint64    // bumped by Invalidate; a load begun before is discarded
	failedAt time.Time // when the last reload failed; zero after a success
}

type entry[T any] struct {
	val      T
	loadedAt time.Time
}

// New builds a cache that fills itself with load.
func New[T any](clk clock.Clock, ttl time.Duration, load func(ctx context.Context) (T, error)) *Cache[T] {
	return &Cache[T]{load: load, clock: clk, ttl: ttl}
}

// TTL is how long a snapshot is served before it is reloaded.
func (c *Cache[T]) TTL() time.Duration { return c.ttl }

func (c *Cache[T]) fresh() (*entry[T], uint64, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.cur, c.gen, c.cur != nil && c.clock.Now().Sub(c.cur.loadedAt) < c.ttl
}

// fallback is the snapshot to serve instead of waiting on a reload: the
// last one loaded, when a reload failed less than RetryAfterFailure ago.
func (c *Cache[T]) fallback() (*entry[T], bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.last == nil || c.failedAt.IsZero() || c.clock.Now().Sub(c.failedAt) >= RetryAfterFailure {
		return nil, false
	}
	return c.last, true
}

// Get returns the snapshot, loading it when missing or expired. When a
// reload fails, the last snapshot loaded is served, expired or invalidated:
// a directory a minute old beats an error page, and while the database
// cannot be reached these reads keep working. With no snapshot at all the
// error is returned.
func (c *Cache[T]) Get(ctx context.Context) (T, error) {
	if e, _, ok := c.fresh(); ok {
		return e.val, nil
	}
	if e, ok := c.fallback(); ok {
		return e.val, nil
	}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	if e, _, ok := c.fresh(); ok {
		return e.val, nil // another caller reloaded while we waited
	}
	if e, ok := c.fallback(); ok {
		return e.val, nil // another caller's reload failed while we waited
	}
	return c.reload(ctx)
}

// reload loads a snapshot, falling back to the last one loaded when the
// load fails; loadMu is held.
func (c *Cache[T]) reload(ctx context.Context) (T, error) {
	val, err := c.loadLocked(ctx)
	if err != nil {
		c.mu.RLock()
		defer c.mu.RUnlock()
		if c.last != nil {
			return c.last.val, nil
		}
	}
	return val, err
}

// loadLocked runs load and keeps its result unless Invalidate ran since it
// began; loadMu is held.
func (c *Cache[T]) loadLocked(ctx context.Context) (T, error) {
	c.mu.RLock()
	gen := c.gen
	c.mu.RUnlock()
	val, err := c.load(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	if err != nil {
		c.failedAt = now
		var zero T
		return zero, err
	}
	c.failedAt = time.Time{}
	if c.gen == gen {
		c.cur = &entry[T]{val: val, loadedAt: now}
		c.last = c.cur
	}
	return val, nil
}

// Refresh reloads the snapshot now, whatever its age, and reports the
// load's error; readers keep the previous snapshot meanwhile.
func (c *Cache[T]) Refresh(ctx context.Context) error {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	_, err := c.loadLocked(ctx)
	return err
}

// Keep refreshes the snapshot every interval until ctx ends, so it is
// loaded before the first reader asks and no reader waits for a reload
// after the TTL. A failed refresh is reported to failed (which may be nil)
// and tried again at the next tick; readers keep the last snapshot.
func (c *Cache[T]) Keep(ctx context.Context, every time.Duration, failed func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := c.Refresh(ctx); err != nil && failed != nil && ctx.Err() == nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Invalidate drops the snapshot; call it after a write commits. The next
// read loads again, and gets the dropped snapshot only if that load fails.
func (c *Cache[T]) Invalidate() {
	c.mu.Lock()
	c.cur = nil
	c.gen++
	c.failedAt = time.Time{}
	c.mu.Unlock()
}
