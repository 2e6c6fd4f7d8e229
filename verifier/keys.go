package verifier

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/json"
	"fmt"
	"os"
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
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("verifier: JWKS: %w", err)
	}
	var out []Key
	for _, raw := range set.Keys {
		if k, ok := parseJWK(raw); ok {
			out = append(out, k)
		}
	}
	return out, nil
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
	issuer string
	byKID  map[string][]Key
}

var _ KeySource = (*StaticKeys)(nil)

// NewStaticKeys trusts the keys of jwks for issuer (the exact iss value).
func NewStaticKeys(issuer string, jwks []byte) (*StaticKeys, error) {
	if issuer == "" {
		return nil, fmt.Errorf("%w: issuer required", ErrConfig)
	}
	ks, err := ParseJWKS(jwks)
	if err != nil {
		return nil, err
	}
	return &StaticKeys{issuer: issuer, byKID: groupByKID(ks)}, nil
}

// LoadStaticKeys reads a JWKS file for issuer.
func LoadStaticKeys(issuer, path string) (*StaticKeys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("verifier: read JWKS: %w", err)
	}
	return NewStaticKeys(issuer, b)
}

// Keys returns the keys with kid if issuer is the trusted one.
func (s *StaticKeys) Keys(_ context.Context, issuer, kid string) ([]Key, error) {
	if issuer != s.issuer {
		return nil, ErrUnknownIssuer
	}
	ks, ok := s.byKID[kid]
	if !ok {
		return nil, ErrUnknownKey
	}
	return ks, nil
}

func groupByKID(ks []Key) map[string][]Key {
	m := make(map[string][]Key, len(ks))
	for _, k := range ks {
		m[k.JWK.KeyID] = append(m[k.JWK.KeyID], k)
	}
	return m
}
