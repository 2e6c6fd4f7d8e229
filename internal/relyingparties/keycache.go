package relyingparties

import (
	"crypto/subtle"
	"sync"
	"time"
)

// keyCache remembers recently authenticated keys so the verify API does
// not read the relying party on every call. Only keys that authenticated
// are kept (by prefix, with their hash), so unknown keys always reach the
// database and a cached entry still needs the full key to match.
type keyCache struct {
	ttl time.Duration

	mu      sync.RWMutex
	entries map[string]cachedKey
}

type cachedKey struct {
	hash  []byte
	party Party
	until time.Time
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, entries: map[string]cachedKey{}}
}

func (c *keyCache) get(prefix string, hash []byte, now time.Time) (Party, bool) {
	c.mu.RLock()
	e, ok := c.entries[prefix]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) || subtle.ConstantTimeCompare(e.hash, hash) != 1 {
		return Party{}, false
	}
	return e.party, true
}

func (c *keyCache) put(prefix string, hash []byte, p Party, now time.Time) {
	c.mu.Lock()
	// Relying parties are few; the bound only guards against surprises.
	if len(c.entries) > 10000 {
		clear(c.entries)
	}
	c.entries[prefix] = cachedKey{hash: hash, party: p, until: now.Add(c.ttl)}
	c.mu.Unlock()
}

func (c *keyCache) clear() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}
