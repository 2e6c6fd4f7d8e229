package issuer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// TrustBundle signs a trust bundle (edoc.BundleClaims) for air-gapped
// verifiers: jwks, the published JWK Set, and lists, every current status
// list token by its URI, with the time it is made. Its exp is the earliest
// exp of the lists, so the bundle never outlives what it vouches for;
// with no lists it is now plus the status list lifetime.
func (is *Issuer) TrustBundle(ctx context.Context, jwks []byte, lists map[string]string) (string, error) {
	if !json.Valid(jwks) {
		return "", fmt.Errorf("%w: JWKS is not JSON", ErrTrustBundle)
	}
	now := is.cfg.Now().Truncate(time.Second)
	exp := now.Add(is.cfg.StatusListLifetime)
	for uri, tok := range lists {
		listExp, err := tokenExpiry(tok)
		if err != nil {
			return "", fmt.Errorf("%w: list %s: %w", ErrTrustBundle, uri, err)
		}
		if listExp.Before(exp) {
			exp = listExp
		}
	}
	if !exp.After(now) {
		return "", fmt.Errorf("%w: a status list has already expired", ErrTrustBundle)
	}
	if lists == nil {
		lists = map[string]string{} // an object, as the schema says, even when empty
	}
	payload, err := json.Marshal(edoc.BundleClaims{Issuer: is.cfg.Issuer, IssuedAt: now.Unix(), Expiry: exp.Unix(),
		JWKS: jwks, StatusLists: lists})
	if err != nil {
		return "", err
	}
	signer, err := is.cfg.Keys.ActiveSigner(ctx)
	if err != nil {
		return "", err
	}
	return signCompact(signer, payload, edoc.BundleType, false)
}

// StatusListExpiry reads the exp of a status list token this issuer
// signed, without checking its signature: it is for the service that keeps
// its own tokens, to know how long one may still be served.
func StatusListExpiry(tok string) (time.Time, error) { return tokenExpiry(tok) }

// tokenExpiry reads the exp of a status list token this issuer signed.
func tokenExpiry(tok string) (time.Time, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("not a compact JWS")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}, err
	}
	var c edoc.StatusListClaims
	if err := json.Unmarshal(raw, &c); err != nil || c.Expiry == 0 {
		return time.Time{}, fmt.Errorf("no exp")
	}
	return time.Unix(c.Expiry, 0), nil
}
