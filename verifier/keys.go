package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Key is a trusted public key of one issuer.
type Key struct {
	JWK jose.JSONWebKey
	// NotBefore and NotAfter bound the issue times (iat) the key may have
	// signed; zero means unbounded. From the JWKS members "nbf" and "exp".
	NotBefore time.Time
	NotAfter  time.Time
	// Revoked is set by online sources that know of revoked keys; a
	// published JWKS simply omits them.
	Revoked bool
}

// KeySource resolves a kid within an issuer. It returns every key with that
// kid (the verifier tries each), ErrUnknownIssuer for an untrusted issuer,
// ErrUnknownKey when the issuer has no such kid, or an error wrapping
// ErrKeysUnavailable when the keys cannot be fetched.
type KeySource interface {
	Keys(ctx context.Context, issuer, kid string) ([]Key, error)
}

// KeySourceFunc adapts a function to KeySource, e.g. for an online verifier
// reading the issuing service's key store directly.
type KeySourceFunc func(ctx context.Context, issuer, kid string) ([]Key, error)

// Keys calls f.
func (f KeySourceFunc) Keys(ctx context.Context, issuer, kid string) ([]Key, error) {
	return f(ctx, issuer, kid)
}

// ParseJWKS reads a JWK Set. Keys other than public EC P-256 keys for
// signing with ES256 are skipped, so a mixed set still yields its usable
// keys; private members are never kept.
func ParseJWKS(data []byte) ([]Key, error) {
	set, err := parseJWKSet(data)
	return set.keys, err
}

// jwkSet is a parsed JWK Set with the issuer URLs it names.
type jwkSet struct {
	keys []Key
	// issuers is the set's "issuers" member: every issuer URL the issuer
	// has signed documents under, the current one first. Standard JOSE
	// libraries ignore the member (RFC 7517, section 5).
	issuers []string
}

func parseJWKSet(data []byte) (jwkSet, error) {
	var set struct {
		Keys    []json.RawMessage `json:"keys"`
		Issuers []string          `json:"issuers"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return jwkSet{}, fmt.Errorf("verifier: JWKS: %w", err)
	}
	var out jwkSet
	for _, raw := range set.Keys {
		if k, ok := parseJWK(raw); ok {
			out.keys = append(out.keys, k)
		}
	}
	for _, iss := range set.Issuers {
		if strings.HasPrefix(iss, "https://") && !slices.Contains(out.issuers, iss) {
			out.issuers = append(out.issuers, iss)
		}
	}
	return out, nil
}

// issuerNames is the set of iss values a key source configured for one
// issuer accepts, and the one that issuer uses now.
type issuerNames struct {
	current string
	all     map[string]bool
}

// namesFor trusts configured and, when the JWKS lists configured among
// its issuers, every other URL it lists: the issuer itself says it signed
// under them. A JWKS that does not name the configured issuer adds
// nothing, so a set fetched or saved for one issuer cannot vouch for
// names unrelated to it.
func namesFor(configured string, listed []string) issuerNames {
	n := issuerNames{current: configured, all: map[string]bool{configured: true}}
	if !slices.Contains(listed, configured) {
		return n
	}
	n.current = listed[0]
	for _, iss := range listed {
		n.all[iss] = true
	}
	return n
}

func (n issuerNames) currentFor(iss string) (string, bool) {
	if !n.all[iss] {
		return "", false
	}
	return n.current, true
}

// IssuerRenames is implemented by key sources that know an issuer under
// more than one URL, as after the issuing service moved. CurrentIssuer
// returns the URL the issuer of documents naming iss uses now, and false
// when iss is not trusted at all. The verifier reads a document's status
// list under the current URL: the issuer keeps one set of lists and signs
// them under the name it has now.
type IssuerRenames interface {
	CurrentIssuer(iss string) (string, bool)
}

func parseJWK(raw json.RawMessage) (Key, bool) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(raw); err != nil {
		return Key{}, false
	}
	jwk = jwk.Public()
	pub, ok := jwk.Key.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() || jwk.KeyID == "" ||
		(jwk.Use != "" && jwk.Use != "sig") || (jwk.Algorithm != "" && jwk.Algorithm != string(jose.ES256)) {
		return Key{}, false
	}
	var times struct {
		NBF *int64 `json:"nbf"`
		EXP *int64 `json:"exp"`
	}
	if err := json.Unmarshal(raw, &times); err != nil {
		return Key{}, false
	}
	k := Key{JWK: jwk}
	if times.NBF != nil {
		k.NotBefore = time.Unix(*times.NBF, 0)
	}
	if times.EXP != nil {
		k.NotAfter = time.Unix(*times.EXP, 0)
	}
	return k, true
}

// StaticKeys trusts a fixed JWKS for one issuer: the offline setting of a
// relying party that downloaded the issuer's jwks.json.
type StaticKeys struct {
	names issuerNames
	byKID map[string][]Key
}

var (
	_ KeySource     = (*StaticKeys)(nil)
	_ IssuerRenames = (*StaticKeys)(nil)
)

// NewStaticKeys trusts the keys of jwks for issuer (the exact iss value)
// and, when the JWKS lists issuer among its "issuers", for the earlier
// URLs it lists too.
func NewStaticKeys(issuer string, jwks []byte) (*StaticKeys, error) {
	if issuer == "" {
		return nil, fmt.Errorf("%w: issuer required", ErrConfig)
	}
	set, err := parseJWKSet(jwks)
	if err != nil {
		return nil, err
	}
	return &StaticKeys{names: namesFor(issuer, set.issuers), byKID: groupByKID(set.keys)}, nil
}

// LoadStaticKeys reads a JWKS file for issuer.
func LoadStaticKeys(issuer, path string) (*StaticKeys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("verifier: read JWKS: %w", err)
	}
	return NewStaticKeys(issuer, b)
}

// Keys returns the keys with kid if issuer is a trusted one.
func (s *StaticKeys) Keys(_ context.Context, issuer, kid string) ([]Key, error) {
	if !s.names.all[issuer] {
		return nil, ErrUnknownIssuer
	}
	ks, ok := s.byKID[kid]
	if !ok {
		return nil, ErrUnknownKey
	}
	return ks, nil
}

// CurrentIssuer returns the URL the trusted issuer uses now.
func (s *StaticKeys) CurrentIssuer(iss string) (string, bool) { return s.names.currentFor(iss) }

func groupByKID(ks []Key) map[string][]Key {
	m := make(map[string][]Key, len(ks))
	for _, k := range ks {
		m[k.JWK.KeyID] = append(m[k.JWK.KeyID], k)
	}
	return m
}
