package attestations

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
)

// JWKSSource returns the key set to publish; *keys.Manager implements it.
type JWKSSource interface {
	JWKS(ctx context.Context) ([]byte, error)
}

// PublishedJWKS is the JWKS the service publishes: the keys of its source
// with an "issuers" member naming every issuer URL the service signed
// under, the current one first. Verifiers that know the member trust
// documents of earlier URLs; JOSE libraries ignore it (RFC 7517, section 5).
type PublishedJWKS struct {
	keys    JWKSSource
	issuers []string
}

// NewPublishedJWKS publishes keys for current and the URLs signed under
// before it.
func NewPublishedJWKS(keys JWKSSource, current string, former ...string) *PublishedJWKS {
	issuers := []string{current}
	for _, f := range former {
		if f != current {
			issuers = append(issuers, f)
		}
	}
	return &PublishedJWKS{keys: keys, issuers: issuers}
}

// JWKS returns the key set with its issuers.
func (p *PublishedJWKS) JWKS(ctx context.Context) ([]byte, error) {
	b, err := p.keys.JWKS(ctx)
	if err != nil {
		return nil, err
	}
	var set map[string]json.RawMessage
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, apperr.Internal("attestations: JWKS: %w", err)
	}
	set["issuers"], _ = json.Marshal(p.issuers)
	return json.Marshal(set)
}

// ListVersions lists every status list with its version;
// *statuslists.Store implements it.
type ListVersions interface {
	Versions(ctx context.Context) (map[string]int64, error)
}

// BundleSigner signs trust bundles; *issuer.Issuer implements it.
type BundleSigner interface {
	TrustBundle(ctx context.Context, jwks []byte, lists map[string]string) (string, error)
	StatusListURI(listID string) string
}

// trustBundleDeps are what TrustBundles reads and signs with.
type trustBundleDeps struct {
	Lists  ListVersions
	Tokens TokenSource
	JWKS   JWKSSource
	Signer BundleSigner
	Clock  clock.Clock
	TTL    time.Duration
}

// TrustBundle is a signed trust bundle and when it was made.
type TrustBundle struct {
	Token  string
	MadeAt time.Time
}

// TrustBundles makes the trust bundle of air-gapped verifiers: the
// published JWKS and every current status list, signed as one file. Each
// call reads the lists' versions and the JWKS, but the bundle is signed
// again only when one of them changed or it is half a ttl old, so anyone
// may fetch it without making the service sign at will.
type TrustBundles struct {
	cfg trustBundleDeps

	mu       sync.Mutex
	cached   TrustBundle
	versions map[string]int64
	jwks     string
}

// NewTrustBundles returns the bundle maker over the status lists (their
// versions and tokens) and the published JWKS, signing with signer. ttl is
// how long relying parties may keep a bundle before fetching a new one:
// the status lists' ttl.
func NewTrustBundles(clk clock.Clock, lists ListVersions, tokens TokenSource, jwks JWKSSource, signer BundleSigner, ttl time.Duration) (*TrustBundles, error) {
	cfg := trustBundleDeps{Lists: lists, Tokens: tokens, JWKS: jwks, Signer: signer, Clock: clk, TTL: ttl}
	if cfg.Lists == nil || cfg.Tokens == nil || cfg.JWKS == nil || cfg.Signer == nil || cfg.Clock == nil || cfg.TTL <= 0 {
		return nil, fmt.Errorf("attestations: trust bundles need lists, tokens, JWKS, signer, clock and a ttl")
	}
	return &TrustBundles{cfg: cfg}, nil
}

// TTL is how long relying parties may keep a bundle.
func (t *TrustBundles) TTL() time.Duration { return t.cfg.TTL }

// Current returns the bundle as of now.
func (t *TrustBundles) Current(ctx context.Context) (TrustBundle, error) {
	versions, err := t.cfg.Lists.Versions(ctx)
	if err != nil {
		return TrustBundle{}, apperr.Internal("attestations: trust bundle: %w", err)
	}
	jwks, err := t.cfg.JWKS.JWKS(ctx)
	if err != nil {
		return TrustBundle{}, apperr.Internal("attestations: trust bundle: %w", err)
	}
	now := t.cfg.Clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cached.Token != "" && maps.Equal(versions, t.versions) && string(jwks) == t.jwks &&
		now.Sub(t.cached.MadeAt) < t.cfg.TTL/2 {
		return t.cached, nil
	}
	lists := make(map[string]string, len(versions))
	for id := range versions {
		snap, err := t.cfg.Tokens.Current(ctx, id)
		if err != nil {
			return TrustBundle{}, apperr.Internal("attestations: trust bundle: list %s: %w", id, err)
		}
		lists[t.cfg.Signer.StatusListURI(id)] = snap.Token
	}
	tok, err := t.cfg.Signer.TrustBundle(ctx, jwks, lists)
	if err != nil {
		return TrustBundle{}, apperr.Internal("attestations: trust bundle: %w", err)
	}
	t.cached, t.versions, t.jwks = TrustBundle{Token: tok, MadeAt: now}, versions, string(jwks)
	return t.cached, nil
}
