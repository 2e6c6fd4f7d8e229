package verifier

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JWKSPath is where an issuer publishes its keys, below the issuer URL.
const JWKSPath = "/.well-known/jwks.json"

// maxJWKSBytes bounds a fetched JWKS; a handful of EC keys is < 4 KiB.
const maxJWKSBytes = 256 << 10

// HTTPKeysOptions configures HTTPKeys.
type HTTPKeysOptions struct {
	// URL is the JWKS URL. Issuer defaults to URL without JWKSPath; set it
	// when the JWKS lives elsewhere.
	URL    string
	Issuer string
	Client *http.Client
	Now    func() time.Time
	// CacheTTL is the longest a fetched JWKS is used (default 1 hour). A
	// shorter Cache-Control max-age from the issuer wins: it bounds how
	// long a revoked key, which leaves the JWKS at once, is still trusted.
	CacheTTL time.Duration
	// MinRefresh is the least time between fetches triggered by an unknown
	// kid (default 1 minute), so garbage kids cannot make us hammer the
	// issuer.
	MinRefresh time.Duration
}

// HTTPKeys fetches and caches one issuer's JWKS over HTTPS.
type HTTPKeys struct {
	opts HTTPKeysOptions

	mu        sync.Mutex
	byKID     map[string][]Key
	names     issuerNames // from the cached JWKS
	fetchedAt time.Time
	ttl       time.Duration // of the cached JWKS
}

var (
	_ KeySource     = (*HTTPKeys)(nil)
	_ IssuerRenames = (*HTTPKeys)(nil)
)

// NewHTTPKeys checks opts and returns the source. Nothing is fetched until
// the first lookup.
func NewHTTPKeys(opts HTTPKeysOptions) (*HTTPKeys, error) {
	if opts.Issuer == "" {
		iss, ok := strings.CutSuffix(opts.URL, JWKSPath)
		if !ok {
			return nil, fmt.Errorf("%w: Issuer required when URL does not end in %s", ErrConfig, JWKSPath)
		}
		opts.Issuer = iss
	}
	// Keys fetched over plain HTTP could be swapped in transit.
	if !strings.HasPrefix(opts.URL, "https://") {
		return nil, fmt.Errorf("%w: JWKS URL must be https", ErrConfig)
	}
	if opts.Client == nil || opts.Now == nil {
		return nil, fmt.Errorf("%w: Client and Now are required", ErrConfig)
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = time.Hour
	}
	if opts.MinRefresh <= 0 {
		opts.MinRefresh = time.Minute
	}
	return &HTTPKeys{opts: opts}, nil
}

// Keys returns the cached keys with kid, fetching the JWKS when the cache
// is stale, or when kid is unknown and the last fetch is older than
// MinRefresh (a rotation the cache has not seen yet). An issuer other than
// the configured one is trusted when the JWKS lists both (see
// NewStaticKeys); deciding that never fetches a fresh JWKS more often.
func (h *HTTPKeys) Keys(ctx context.Context, issuer, kid string) ([]Key, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.opts.Now()
	stale := h.byKID == nil || now.Sub(h.fetchedAt) >= h.ttl
	if issuer != h.opts.Issuer {
		if stale {
			if err := h.refresh(ctx, now); err != nil {
				return nil, err
			}
			stale = false
		}
		if !h.names.all[issuer] {
			return nil, ErrUnknownIssuer
		}
	}
	if ks, ok := h.byKID[kid]; ok && !stale {
		return ks, nil
	}
	if stale || now.Sub(h.fetchedAt) >= h.opts.MinRefresh {
		if err := h.refresh(ctx, now); err != nil {
			return nil, err
		}
	}
	if ks, ok := h.byKID[kid]; ok {
		return ks, nil
	}
	return nil, ErrUnknownKey
}

// CurrentIssuer returns the URL the trusted issuer uses now, as the JWKS
// fetched last says.
func (h *HTTPKeys) CurrentIssuer(iss string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byKID == nil {
		return h.opts.Issuer, iss == h.opts.Issuer
	}
	return h.names.currentFor(iss)
}

func (h *HTTPKeys) refresh(ctx context.Context, now time.Time) error {
	body, hdr, err := httpGet(ctx, h.opts.Client, h.opts.URL, maxJWKSBytes)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	}
	set, err := parseJWKSet(body)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	}
	h.byKID, h.names = groupByKID(set.keys), namesFor(h.opts.Issuer, set.issuers)
	h.fetchedAt, h.ttl = now, h.opts.CacheTTL
	if maxAge, ok := cacheMaxAge(hdr); ok && maxAge < h.ttl {
		h.ttl = maxAge
	}
	return nil
}

// cacheMaxAge reads how long a response may be reused from its
// Cache-Control header: max-age, or none at all for no-cache and no-store.
func cacheMaxAge(h http.Header) (time.Duration, bool) {
	for _, part := range strings.Split(h.Get("Cache-Control"), ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.ToLower(name) {
		case "no-cache", "no-store":
			return 0, true
		case "max-age":
			if n, err := strconv.ParseInt(strings.Trim(value, `"`), 10, 64); err == nil && n >= 0 {
				return time.Duration(n) * time.Second, true
			}
		}
	}
	return 0, false
}

// httpGet fetches url and returns at most limit bytes of a 200 response,
// with its headers.
func httpGet(ctx context.Context, client *http.Client, url string, limit int64) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(body)) > limit {
		return nil, nil, fmt.Errorf("GET %s: response exceeds %d bytes", url, limit)
	}
	return body, resp.Header, nil
}
