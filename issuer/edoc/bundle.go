package edoc

import "encoding/json"

// BundleType is the typ header of a trust bundle.
const BundleType = "fprl-bundle+jwt"

// BundleClaims is the payload of a trust bundle: what an air-gapped
// verifier needs to check documents with no network at all, signed as one
// compact JWS (ES256, typ fprl-bundle+jwt, not compressed) by the issuer's
// active key.
type BundleClaims struct {
	// Issuer is the URL the issuer signs under now.
	Issuer string `json:"iss"`
	// IssuedAt is when the bundle was made. Expiry is when the earliest of
	// its status lists expires; after it the bundle answers no status.
	IssuedAt int64 `json:"iat"`
	Expiry   int64 `json:"exp"`
	// JWKS is the published JWK Set, "issuers" member included.
	JWKS json.RawMessage `json:"jwks"`
	// StatusLists holds every current status list token, by its URI.
	StatusLists map[string]string `json:"status_lists"`
}
