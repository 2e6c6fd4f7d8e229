package verifier

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Cache bounds for status lists: honour the token's ttl, but refetch at
// least daily and no more than once a minute.
const (
	minStatusTTL = time.Minute
	maxStatusTTL = 24 * time.Hour
)

// statusCache verifies tokens from fetch and keeps them until the earlier
// of fetch time + ttl and the token's exp.
type statusCache struct {
	keys  KeySource
	now   func() time.Time
	fetch func(ctx context.Context, uri string) (string, error)

	mu      sync.RWMutex
	entries map[string]cachedList
}

type cachedList struct {
	list  *StatusList
	until time.Time
}

func (c *statusCache) get(ctx context.Context, uri string) (*StatusList, error) {
	now := c.now()
	c.mu.RLock()
	e, ok := c.entries[uri]
	c.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.list, nil
	}
	token, err := c.fetch(ctx, uri)
	if err != nil {
		return nil, err
	}
	list, err := ParseStatusListToken(ctx, token, uri, c.keys, now)
	if err != nil {
		return nil, err
	}
	ttl := min(max(list.TTL, minStatusTTL), maxStatusTTL)
	until := now.Add(ttl)
	if !list.Expiry.IsZero() && list.Expiry.Before(until) {
		until = list.Expiry
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]cachedList{}
	}
	c.entries[uri] = cachedList{list: list, until: until}
	c.mu.Unlock()
	return list, nil
}

// HTTPStatus fetches status list tokens from their URI and caches them by
// their ttl.
type HTTPStatus struct {
	cache statusCache
}

var _ StatusSource = (*HTTPStatus)(nil)

// NewHTTPStatus returns a source that verifies lists with keys.
func NewHTTPStatus(keys KeySource, client *http.Client, now func() time.Time) (*HTTPStatus, error) {
	if keys == nil || client == nil || now == nil {
		return nil, fmt.Errorf("%w: keys, client and clock are required", ErrConfig)
	}
	fetch := func(ctx context.Context, uri string) (string, error) {
		if !strings.HasPrefix(uri, "https://") {
			return "", fmt.Errorf("%w: status URI must be https", ErrStatusUnavailable)
		}
		body, _, err := httpGet(ctx, client, uri, maxStatusTokenBytes)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrStatusUnavailable, err)
		}
		return strings.TrimSpace(string(body)), nil
	}
	return &HTTPStatus{cache: statusCache{keys: keys, now: now, fetch: fetch}}, nil
}

// StatusList returns the verified list at uri.
func (h *HTTPStatus) StatusList(ctx context.Context, uri string) (*StatusList, error) {
	return h.cache.get(ctx, uri)
}

// StaticStatus serves status list tokens supplied up front, for fully
// offline relying parties that download the lists on their own schedule.
type StaticStatus struct {
	cache statusCache
}

var _ StatusSource = (*StaticStatus)(nil)

// NewStaticStatus serves tokens, keyed by their list URI.
func NewStaticStatus(keys KeySource, now func() time.Time, tokens map[string]string) (*StaticStatus, error) {
	if keys == nil || now == nil {
		return nil, fmt.Errorf("%w: keys and clock are required", ErrConfig)
	}
	own := make(map[string]string, len(tokens))
	for uri, tok := range tokens {
		own[uri] = strings.TrimSpace(tok)
	}
	fetch := func(_ context.Context, uri string) (string, error) {
		tok, ok := own[uri]
		if !ok {
			return "", fmt.Errorf("%w: no token for %s", ErrStatusUnavailable, uri)
		}
		return tok, nil
	}
	return &StaticStatus{cache: statusCache{keys: keys, now: now, fetch: fetch}}, nil
}

// StatusList returns the verified list at uri.
func (s *StaticStatus) StatusList(ctx context.Context, uri string) (*StatusList, error) {
	return s.cache.get(ctx, uri)
}
