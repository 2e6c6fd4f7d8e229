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

// HTTPStatusOptions configures HTTPStatus.
type HTTPStatusOptions struct {
	// Keys verifies the lists. Required.
	Keys KeySource
	// Client fetches them, over https only. Required.
	Client *http.Client
	// Now is the clock. Required.
	Now func() time.Time
}

// HTTPStatus fetches status list tokens from their URI and caches them by
// their ttl.
type HTTPStatus struct {
	cache statusCache
}

var _ StatusSource = (*HTTPStatus)(nil)

// NewHTTPStatus checks opts and returns the source. Nothing is fetched
// until the first lookup.
func NewHTTPStatus(opts HTTPStatusOptions) (*HTTPStatus, error) {
	if opts.Keys == nil || opts.Client == nil || opts.Now == nil {
		return nil, fmt.Errorf("%w: Keys, Client and Now are required", ErrConfig)
	}
	client := opts.Client
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
	return &HTTPStatus{cache: statusCache{keys: opts.Keys, now: opts.Now, fetch: fetch}}, nil
}

// StatusList returns the verified list at uri.
func (h *HTTPStatus) StatusList(ctx context.Context, uri string) (*StatusList, error) {
	return h.cache.get(ctx, uri)
}

// StaticStatusOptions configures StaticStatus.
type StaticStatusOptions struct {
	// Keys verifies the lists. Required.
	Keys KeySource
	// Now is the clock. Required.
	Now func() time.Time
	// Tokens are the status list tokens, keyed by their list URI.
	Tokens map[string]string
}

// StaticStatus serves status list tokens supplied up front, for fully
// offline relying parties that download the lists on their own schedule.
type StaticStatus struct {
	cache statusCache
}

var _ StatusSource = (*StaticStatus)(nil)

// NewStaticStatus checks opts and returns the source. Tokens are verified
// when first looked up, so a bad one makes only its documents' status
// unknown.
func NewStaticStatus(opts StaticStatusOptions) (*StaticStatus, error) {
	if opts.Keys == nil || opts.Now == nil {
		return nil, fmt.Errorf("%w: Keys and Now are required", ErrConfig)
	}
	own := make(map[string]string, len(opts.Tokens))
	for uri, tok := range opts.Tokens {
		own[uri] = strings.TrimSpace(tok)
	}
	fetch := func(_ context.Context, uri string) (string, error) {
		tok, ok := own[uri]
		if !ok {
			return "", fmt.Errorf("%w: no token for %s", ErrStatusUnavailable, uri)
		}
		return tok, nil
	}
	return &StaticStatus{cache: statusCache{keys: opts.Keys, now: opts.Now, fetch: fetch}}, nil
}

// StatusList returns the verified list at uri.
func (s *StaticStatus) StatusList(ctx context.Context, uri string) (*StatusList, error) {
	return s.cache.get(ctx, uri)
}
