package attestations

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

// KeyLister lists every signing key, revoked ones included; *keys.Manager
// implements it.
type KeyLister interface {
	PublicKeys(ctx context.Context) ([]keys.PublicKey, error)
}

// OnlineKeys is the verifier's key source inside the service: the key
// store itself rather than the published JWKS, so a revoked key is known
// as revoked (not merely unknown) and fails everything it signed. Keys are
// cached for ttl because every verification needs them; keys are changed
// by `fprlink keys`, so every node sees a revocation within ttl; one made
// through the node's own key manager is seen at once. When the
// cache is stale one caller reloads it while the others wait for that load
// rather than each reading the keys again.
type OnlineKeys struct {
	src     KeyLister
	issuer  string
	trusted map[string]bool // issuer and every URL signed under before
	clock   clock.Clock
	ttl     time.Duration

	loadMu  sync.Mutex // one reload at a time
	mu      sync.RWMutex
	byKID   map[string][]verifier.Key
	fetched time.Time
	seen    uint64 // src's revocation count at the last load
}

// RevocationCounter is implemented by a KeyLister that counts the
// revocations made through it (*keys.Manager does): OnlineKeys reloads as
// soon as the count moves, so a revocation on this node is seen at once.
type RevocationCounter interface {
	Revocations() uint64
}

func (o *OnlineKeys) revocations() uint64 {
	if rc, ok := o.src.(RevocationCounter); ok {
		return rc.Revocations()
	}
	return 0
}

var (
	_ verifier.KeySource     = (*OnlineKeys)(nil)
	_ verifier.IssuerRenames = (*OnlineKeys)(nil)
)

// NewOnlineKeys trusts src's keys for documents of issuer and of the
// issuer URLs the service signed under before it (former), so a move
// does not invalidate what was issued earlier.
func NewOnlineKeys(clk clock.Clock, src KeyLister, issuer string, ttl time.Duration, former ...string) *OnlineKeys {
	trusted := map[string]bool{issuer: true}
	for _, f := range former {
		trusted[f] = true
	}
	return &OnlineKeys{src: src, issuer: issuer, trusted: trusted, clock: clk, ttl: ttl}
}

// CurrentIssuer maps every trusted issuer URL to the one signing now,
// whose status lists the service keeps.
func (o *OnlineKeys) CurrentIssuer(iss string) (string, bool) { return o.issuer, o.trusted[iss] }

// Keys returns the keys with kid.
func (o *OnlineKeys) Keys(ctx context.Context, iss, kid string) ([]verifier.Key, error) {
	if !o.trusted[iss] {
		return nil, verifier.ErrUnknownIssuer
	}
	byKID, fresh := o.cached()
	if !fresh {
		o.loadMu.Lock()
		// Another caller may have reloaded while this one waited.
		if byKID, fresh = o.cached(); !fresh {
			var err error
			byKID, err = o.load(ctx, o.clock.Now())
			if err != nil {
				o.loadMu.Unlock()
				return nil, err
			}
		}
		o.loadMu.Unlock()
	}
	ks := byKID[kid]
	if len(ks) == 0 {
		// A key made on another node (a rotation, the replacement of a
		// revoked key) signs at once there: read the keys again rather
		// than refuse its documents until the cache expires, but not more
		// often than unknownKeyReload, so made-up kids cannot hammer the
		// database.
		var err error
		if ks, err = o.reloadForUnknown(ctx, kid); err != nil {
			return nil, err
		}
	}
	if len(ks) == 0 {
		return nil, verifier.ErrUnknownKey
	}
	return ks, nil
}

// unknownKeyReload is the least time between key reads caused by a kid the
// cache does not know.
const unknownKeyReload = 250 * time.Millisecond

func (o *OnlineKeys) reloadForUnknown(ctx context.Context, kid string) ([]verifier.Key, error) {
	o.loadMu.Lock()
	defer o.loadMu.Unlock()
	o.mu.RLock()
	byKID, fetched := o.byKID, o.fetched
	o.mu.RUnlock()
	if ks := byKID[kid]; len(ks) > 0 || o.clock.Now().Sub(fetched) < unknownKeyReload {
		return ks, nil
	}
	byKID, err := o.load(ctx, o.clock.Now())
	if err != nil {
		return nil, err
	}
	return byKID[kid], nil
}

// cached returns the cached keys and whether they are younger than ttl.
func (o *OnlineKeys) cached() (map[string][]verifier.Key, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return o.byKID, o.byKID != nil && o.clock.Now().Sub(o.fetched) < o.ttl && o.seen == o.revocations()
}

func (o *OnlineKeys) load(ctx context.Context, now time.Time) (map[string][]verifier.Key, error) {
	// Read the count before the keys: a revocation between the two then
	// makes the next call reload again rather than be missed.
	seen := o.revocations()
	pks, err := o.src.PublicKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", verifier.ErrKeysUnavailable, err)
	}
	byKID := make(map[string][]verifier.Key, len(pks))
	for _, pk := range pks {
		// A key may have signed from activation until retirement; a key
		// still active has no upper bound.
		k := verifier.Key{JWK: pk.JWK, NotBefore: pk.ActivatedAt, Revoked: pk.State == keys.StateRevoked}
		if pk.RetiredAt != nil {
			k.NotAfter = *pk.RetiredAt
		}
		byKID[pk.JWK.KeyID] = append(byKID[pk.JWK.KeyID], k)
	}
	o.mu.Lock()
	o.byKID, o.fetched, o.seen = byKID, now, seen
	o.mu.Unlock()
	return byKID, nil
}

// Invalidate drops the cache, so the next verification reads the keys.
func (o *OnlineKeys) Invalidate() {
	o.mu.Lock()
	o.byKID = nil
	o.mu.Unlock()
}

// TokenSource serves signed status lists; *statuslists.Tokens implements it.
type TokenSource interface {
	Current(ctx context.Context, listID string) (statuslists.Snapshot, error)
}

// DBStatus is the verifier's status source inside the service: it reads the
// list from the database (through the token cache) instead of fetching our
// own URL over HTTP, and verifies the token like any relying party would.
//
// A verified list is reused for up to maxAge before its version is read
// again. That costs nothing in correctness: the online "document" check
// reads the attestation's own row on every verification, so a revocation
// made anywhere fails the next verification at once; a revocation made on
// this node also calls Forget, so the status check fails at once too.
type DBStatus struct {
	tokens TokenSource
	keys   verifier.KeySource
	prefix string
	clock  clock.Clock
	maxAge time.Duration

	loadMu sync.Mutex // one version read and parse at a time
	mu     sync.Mutex
	parsed map[string]parsedList // by list id
}

// parsedList is a verified list and the snapshot it came from.
type parsedList struct {
	version  int64
	signedAt time.Time
	checked  time.Time // when the version was last read
	list     *verifier.StatusList
}

var _ verifier.StatusSource = (*DBStatus)(nil)

// NewDBStatus serves the lists of issuer from tokens, verified with keys,
// reading a list's version at most once per maxAge (0: on every call).
func NewDBStatus(clk clock.Clock, tokens TokenSource, keys verifier.KeySource, issuer string, maxAge time.Duration) *DBStatus {
	return &DBStatus{tokens: tokens, keys: keys, prefix: issuer + edoc.StatusListPath, clock: clk,
		maxAge: maxAge, parsed: map[string]parsedList{}}
}

// StatusList returns the verified list at uri.
func (d *DBStatus) StatusList(ctx context.Context, uri string) (*verifier.StatusList, error) {
	listID, ok := strings.CutPrefix(uri, d.prefix)
	if !ok || listID == "" || strings.Contains(listID, "/") {
		return nil, fmt.Errorf("%w: %s is not one of this service's lists", verifier.ErrStatusUnavailable, uri)
	}
	p, ok, fresh := d.cached(listID)
	if fresh {
		return p.list, nil
	}
	// One caller reads the version while the others wait for its answer.
	d.loadMu.Lock()
	defer d.loadMu.Unlock()
	if p, ok, fresh = d.cached(listID); fresh {
		return p.list, nil
	}
	now := d.clock.Now()
	snap, err := d.tokens.Current(ctx, listID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", verifier.ErrStatusUnavailable, err)
	}
	if !ok || p.version != snap.Version || !p.signedAt.Equal(snap.SignedAt) || !now.Before(p.list.Expiry) {
		list, err := verifier.ParseStatusListToken(ctx, snap.Token, uri, d.keys, now)
		if err != nil {
			return nil, err
		}
		p = parsedList{version: snap.Version, signedAt: snap.SignedAt, list: list}
	}
	p.checked = now
	d.mu.Lock()
	d.parsed[listID] = p
	d.mu.Unlock()
	return p.list, nil
}

// cached returns the verified list listID, whether there is one, and
// whether it may be used without reading its version again.
func (d *DBStatus) cached(listID string) (parsedList, bool, bool) {
	now := d.clock.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	p, ok := d.parsed[listID]
	return p, ok, ok && now.Sub(p.checked) < d.maxAge && now.Before(p.list.Expiry)
}

// Forget makes the next verification read list listID's version again,
// after a change to it on this node.
func (d *DBStatus) Forget(listID string) {
	d.mu.Lock()
	delete(d.parsed, listID)
	d.mu.Unlock()
}

// NewOnlineVerifiers returns the verifiers the verify API runs in-process,
// one per sector: each checks a document's audience against the sector of
// the relying party that presents it. The one under "" has no sector, for a
// caller whose sector is unknown: it never finds a purpose-bound document
// valid.
func NewOnlineVerifiers(clk clock.Clock, k verifier.KeySource, st verifier.StatusSource) (map[relyingparties.Sector]Verifier, error) {
	out := make(map[relyingparties.Sector]Verifier, len(relyingparties.Sectors)+1)
	for _, sec := range append([]relyingparties.Sector{""}, relyingparties.Sectors...) {
		v, err := verifier.New(verifier.Options{Keys: k, Status: st, Now: clk.Now, Leeway: time.Minute, Sector: string(sec)})
		if err != nil {
			return nil, err
		}
		out[sec] = v
	}
	return out, nil
}
