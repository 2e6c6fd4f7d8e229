package statuslists

import (
	"context"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// Signer signs a status list as a token; *issuer.Issuer implements it.
type Signer interface {
	StatusListToken(ctx context.Context, listID string, list *edoc.StatusList) (string, error)
}

// Source is what Tokens reads lists from; *Store implements it.
type Source interface {
	Version(ctx context.Context, listID string) (int64, error)
	Load(ctx context.Context, listID string) (*edoc.StatusList, int64, error)
}

var _ Source = (*Store)(nil)

// Snapshot is a signed list as of one version.
type Snapshot struct {
	ListID   string
	Version  int64
	Token    string
	SignedAt time.Time
	// ExpiresAt is the token's exp: past it no verifier accepts it.
	ExpiresAt time.Time
	// Stale says the database could not be reached and this is the last
	// token signed before, still within its exp. It is what verifiers
	// would hold anyway; no change can be made while the database is away.
	Stale bool
}

// Tokens serves signed status lists. Every call reads the list's version
// (one indexed row), so a revocation on any node is visible at once, but
// the list is only loaded and signed again when it changed or its token is
// half a ttl old: signing on every request would let anyone make the
// service sign at will.
type Tokens struct {
	src    Source
	signer Signer
	clock  clock.Clock
	ttl    time.Duration

	mu    sync.Mutex
	cache map[string]Snapshot
}

// NewTokens returns a token cache. ttl is the token's ttl claim.
func NewTokens(clk clock.Clock, src Source, signer Signer, ttl time.Duration) *Tokens {
	return &Tokens{src: src, signer: signer, clock: clk, ttl: ttl, cache: map[string]Snapshot{}}
}

// TTL is how long relying parties may cache a token.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Current returns the signed list listID as of its current version.
//
// While the database cannot be reached (storage.Unavailable), the last
// token signed for the list is returned, marked Stale, as long as its exp
// has not passed: offline verifiers depend on the lists, and the token is
// signed and public.
func (t *Tokens) Current(ctx context.Context, listID string) (Snapshot, error) {
	now := t.clock.Now()
	t.mu.Lock()
	snap, ok := t.cache[listID]
	t.mu.Unlock()
	v, err := t.src.Version(ctx, listID)
	if err != nil {
		return t.lastGood(snap, ok, now, err)
	}
	if ok && snap.Version == v && now.Sub(snap.SignedAt) < t.ttl/2 {
		return snap, nil
	}
	list, v, err := t.src.Load(ctx, listID)
	if err != nil {
		return t.lastGood(snap, ok, now, err)
	}
	tok, err := t.signer.StatusListToken(ctx, listID, list)
	if err != nil {
		return t.lastGood(snap, ok, now, err)
	}
	// A token without a readable exp is never served stale.
	exp, _ := issuer.StatusListExpiry(tok)
	snap = Snapshot{ListID: listID, Version: v, Token: tok, SignedAt: now, ExpiresAt: exp}
	t.mu.Lock()
	if cur, ok := t.cache[listID]; !ok || cur.Version <= v {
		t.cache[listID] = snap
	}
	t.mu.Unlock()
	return snap, nil
}

// lastGood is the cached snapshot when err says the database is away and
// the token is still within its exp; otherwise err.
func (t *Tokens) lastGood(snap Snapshot, ok bool, now time.Time, err error) (Snapshot, error) {
	if ok && storage.Unavailable(err) && now.Before(snap.ExpiresAt) {
		snap.Stale = true
		return snap, nil
	}
	return Snapshot{}, err
}

// Lister lists every status list with its version; *Store implements it.
type Lister interface {
	Versions(ctx context.Context) (map[string]int64, error)
}

var _ Lister = (*Store)(nil)

// Keep signs every list of lists at half the ttl until ctx ends, so the
// node holds a current token of each, to serve at once and, while the
// database cannot be reached, until its exp, even for a list nobody asked
// this node for yet. failed is told of each round that fails.
func (t *Tokens) Keep(ctx context.Context, lists Lister, failed func(error)) {
	tick := time.NewTicker(max(t.ttl/2, time.Second))
	defer tick.Stop()
	for {
		if err := t.refreshAll(ctx, lists); err != nil && failed != nil && ctx.Err() == nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (t *Tokens) refreshAll(ctx context.Context, lists Lister) error {
	versions, err := lists.Versions(ctx)
	if err != nil {
		return err
	}
	for id := range versions {
		if _, err := t.Current(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
