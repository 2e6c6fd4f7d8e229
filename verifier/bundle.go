package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-jose/go-jose/v4"
)

// BundleType is the typ header of a trust bundle.
const BundleType = edoc.BundleType

// MaxBundleBytes bounds a trust bundle: a JWKS and, per status list, one
// token of at most a few KiB for a list of mostly valid documents.
const MaxBundleBytes = 16 << 20

// BundleOptions configures ParseBundle.
type BundleOptions struct {
	// Issuer is the issuer the relying party trusts, as its documents
	// name it. Required: the bundle must be this issuer's, or its JWKS must
	// list this URL as one the issuer signed under before.
	Issuer string
	// Keys, when set, must hold the key that signed the bundle, for
	// instance the JWKS the relying party saved when it was set up. When
	// nil the bundle's own JWKS checks its signature: the bundle is then
	// exactly as trustworthy as the channel it arrived through, like a
	// saved JWKS file.
	Keys KeySource
	// Now is the clock. Required: the bundle's status answers depend on it.
	Now func() time.Time
}

// Bundle is a verified trust bundle. It is the KeySource (Keys) and the
// StatusSource of an offline Verifier, and needs no network at all.
type Bundle struct {
	// Issuer is the URL the issuer signed the bundle under.
	Issuer   string
	IssuedAt time.Time
	Expiry   time.Time

	now    func() time.Time
	keys   *StaticKeys
	jwks   []byte
	uris   []string
	status *StaticStatus
}

var _ StatusSource = (*Bundle)(nil)

// LoadBundle reads a trust bundle file and verifies it as ParseBundle does.
func LoadBundle(ctx context.Context, path string, opts BundleOptions) (*Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("verifier: read trust bundle: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxBundleBytes+1)); err != nil {
		return nil, fmt.Errorf("verifier: read trust bundle: %w", err)
	}
	return ParseBundle(ctx, buf.Bytes(), opts)
}

// ParseBundle verifies a trust bundle: at most MaxBundleBytes, a compact
// JWS with alg ES256 and typ fprl-bundle+jwt, signed by a key of its own
// JWKS that covers its iat (and, with opts.Keys, by one of those keys), for
// opts.Issuer, with iat not in the future and exp after iat. Every failure
// wraps ErrBundleInvalid. A bundle past its exp still parses, so its
// documents get a report; their status check then fails (ErrBundleExpired).
// The status lists inside are verified when a document needs them.
func ParseBundle(ctx context.Context, data []byte, opts BundleOptions) (*Bundle, error) {
	if opts.Issuer == "" || opts.Now == nil {
		return nil, fmt.Errorf("%w: Issuer and Now are required", ErrConfig)
	}
	if len(data) > MaxBundleBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBundleInvalid, MaxBundleBytes)
	}
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(string(data)), []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: not a compact ES256 JWS", ErrBundleInvalid)
	}
	h := jws.Signatures[0].Protected
	if typ, _ := h.ExtraHeaders["typ"].(string); typ != BundleType || h.KeyID == "" {
		return nil, fmt.Errorf("%w: typ must be %s, with a kid", ErrBundleInvalid, BundleType)
	}
	// The keys that check the signature travel inside it; the claims are
	// trusted only once a key of theirs (and of opts.Keys) verified it.
	var c edoc.BundleClaims
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &c); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrBundleInvalid, err)
	}
	keys, err := NewStaticKeys(opts.Issuer, c.JWKS)
	if err != nil {
		return nil, fmt.Errorf("%w: jwks: %v", ErrBundleInvalid, err)
	}
	if err := checkBundleSignature(ctx, jws, &c, keys, opts); err != nil {
		return nil, err
	}
	iat, exp := time.Unix(c.IssuedAt, 0), time.Unix(c.Expiry, 0)
	switch {
	case c.IssuedAt <= 0 || c.Expiry <= c.IssuedAt:
		return nil, fmt.Errorf("%w: iat and exp missing or out of order", ErrBundleInvalid)
	case iat.After(opts.Now().Add(MaxLeeway)):
		return nil, fmt.Errorf("%w: made in the future, %s", ErrBundleInvalid, formatTime(iat))
	}
	status, err := NewStaticStatus(StaticStatusOptions{Keys: keys, Now: opts.Now, Tokens: c.StatusLists})
	if err != nil {
		return nil, err
	}
	return &Bundle{Issuer: c.Issuer, IssuedAt: iat, Expiry: exp, now: opts.Now, keys: keys,
		jwks: bytes.Clone(c.JWKS), uris: slices.Sorted(maps.Keys(c.StatusLists)), status: status}, nil
}

// checkBundleSignature verifies the bundle with the key its kid names:
// one of the relying party's own keys for its issuer when it has them,
// otherwise one of the bundle's JWKS. Either way the key must have been
// valid when the bundle was made.
func checkBundleSignature(ctx context.Context, jws *jose.JSONWebSignature, c *edoc.BundleClaims, own *StaticKeys, opts BundleOptions) error {
	if cur, ok := own.CurrentIssuer(c.Issuer); !ok || cur != c.Issuer {
		return fmt.Errorf("%w: issuer %q is not %s or a URL its JWKS lists", ErrBundleInvalid, c.Issuer, opts.Issuer)
	}
	kid := jws.Signatures[0].Protected.KeyID
	ks, err := own.Keys(ctx, c.Issuer, kid)
	if opts.Keys != nil {
		ks, err = opts.Keys.Keys(ctx, opts.Issuer, kid)
	}
	if err != nil {
		return fmt.Errorf("%w: no trusted key %s: %w", ErrBundleInvalid, kid, err)
	}
	iat := time.Unix(c.IssuedAt, 0)
	ks = slices.DeleteFunc(slices.Clone(ks), func(k Key) bool {
		return (!k.NotBefore.IsZero() && iat.Add(MaxLeeway).Before(k.NotBefore)) ||
			(!k.NotAfter.IsZero() && iat.Add(-MaxLeeway).After(k.NotAfter))
	})
	if _, err := verifyWithAny(jws, ks); err != nil {
		return fmt.Errorf("%w: signature", ErrBundleInvalid)
	}
	return nil
}

// Keys returns the bundle's keys, trusted for its issuer under every URL
// its JWKS lists.
func (b *Bundle) Keys() *StaticKeys { return b.keys }

// JWKS returns the bundle's JWK Set, for a relying party that keeps the
// keys of the last bundle it verified as the trusted keys of the next.
func (b *Bundle) JWKS() []byte { return bytes.Clone(b.jwks) }

// StatusListURIs returns the URIs of the status lists the bundle holds.
func (b *Bundle) StatusListURIs() []string { return slices.Clone(b.uris) }

// Age is how long ago the bundle was made, by the bundle's clock.
func (b *Bundle) Age() time.Duration { return b.now().Sub(b.IssuedAt) }

// StatusList returns the verified list at uri from the bundle. A list the
// bundle does not hold makes the status unknown (ErrStatusUnavailable): a
// document issued after the bundle was made is never taken as valid. Past
// the bundle's exp every lookup fails with ErrBundleExpired, and a list
// past its own exp with ErrStatusListExpired.
func (b *Bundle) StatusList(ctx context.Context, uri string) (*StatusList, error) {
	if now := b.now(); !now.Before(b.Expiry) {
		return nil, fmt.Errorf("%w: made %s, expired %s", ErrBundleExpired, formatTime(b.IssuedAt), formatTime(b.Expiry))
	}
	if _, ok := slices.BinarySearch(b.uris, uri); !ok {
		return nil, fmt.Errorf("%w: %s is not in the trust bundle made %s", ErrStatusUnavailable, uri, formatTime(b.IssuedAt))
	}
	return b.status.StatusList(ctx, uri)
}
