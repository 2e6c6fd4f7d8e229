package attestations

import (
	"context"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// CachedJWKS publishes the key set of its source as read now, and keeps
// the last one read: while the database cannot be reached it serves that
// copy for what remains of maxAge since it was read (the JWKS's
// Cache-Control max-age), so offline verifiers fetching it during an
// outage get what they would have cached anyway, and none trusts a key
// longer than maxAge after it was last read. Keep reads it in the
// background so a node has a copy before its first request.
type CachedJWKS struct {
	src    JWKSSource
	clock  clock.Clock
	maxAge time.Duration

	mu     sync.Mutex
	body   []byte
	readAt time.Time
}

// NewCachedJWKS publishes src's key set, each copy usable for maxAge.
func NewCachedJWKS(clk clock.Clock, src JWKSSource, maxAge time.Duration) *CachedJWKS {
	return &CachedJWKS{src: src, clock: clk, maxAge: maxAge}
}

// JWKS is the key set as Copy gives it.
func (c *CachedJWKS) JWKS(ctx context.Context) ([]byte, error) {
	b, _, err := c.Copy(ctx)
	return b, err
}

// Copy returns the key set and when it was read from the database: now,
// or, while the database cannot be reached, when the last copy still
// within maxAge was. Any other error is returned as it is.
func (c *CachedJWKS) Copy(ctx context.Context) ([]byte, time.Time, error) {
	now := c.clock.Now()
	b, err := c.src.JWKS(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil {
		c.body, c.readAt = b, now
		return b, now, nil
	}
	if storage.Unavailable(err) && c.body != nil && now.Sub(c.readAt) < c.maxAge {
		return c.body, c.readAt, nil
	}
	return nil, time.Time{}, err
}

// Keep reads the key set every half maxAge until ctx ends; failed is told
// of each read that fails.
func (c *CachedJWKS) Keep(ctx context.Context, failed func(error)) {
	t := time.NewTicker(max(c.maxAge/2, time.Second))
	defer t.Stop()
	for {
		if _, _, err := c.Copy(ctx); err != nil && failed != nil && ctx.Err() == nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
