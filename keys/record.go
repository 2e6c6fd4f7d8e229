package keys

import (
	"context"
	"time"
)

// State is a key's life-cycle state.
type State string

// Key states. Transitions: active → retired (rotation), active or retired →
// revoked (compromise). Nothing returns to active.
const (
	StateActive  State = "active"
	StateRetired State = "retired"
	StateRevoked State = "revoked"
)

// Record is a stored signing key. It is a plain struct so a database layer
// can map it to a row without this package knowing about SQL. All times are
// UTC; optional times are nil until the event happens.
type Record struct {
	// KID is the RFC 7638 SHA-256 thumbprint of the public key, base64url.
	KID         string
	State       State
	CreatedAt   time.Time
	ActivatedAt time.Time
	RetiredAt   *time.Time
	RevokedAt   *time.Time
	// NotAfter is the expiry of the last document the key signed. A retired
	// key stays in the JWKS until then. Nil while nothing was signed.
	NotAfter *time.Time
	// PublicJWK is the public key as JWK JSON (kty, crv, x, y, kid, use, alg).
	PublicJWK []byte
	// EncryptedPrivateKey is nonce ‖ AES-256-GCM(PKCS#8 DER), with the kid as
	// additional data so a ciphertext cannot be moved to another record. Empty
	// for keys held outside the store (HSM/KMS).
	EncryptedPrivateKey []byte
}

// Store persists key records.
//
// Update must run fn inside one transaction over the current records and then
// write every record fn returns, inserting new kids and replacing existing
// ones, all or nothing. Concurrent Updates must be serialised (for example
// SELECT … FOR UPDATE, or SQLite's single writer) so the single-active-key
// rule cannot be broken by two nodes rotating at once. If fn returns an error
// nothing is written and Update returns that error.
type Store interface {
	List(ctx context.Context) ([]Record, error)
	Update(ctx context.Context, fn func(current []Record) (changed []Record, err error)) error
}

func (r Record) clone() Record {
	r.RetiredAt = cloneTime(r.RetiredAt)
	r.RevokedAt = cloneTime(r.RevokedAt)
	r.NotAfter = cloneTime(r.NotAfter)
	r.PublicJWK = append([]byte(nil), r.PublicJWK...)
	r.EncryptedPrivateKey = append([]byte(nil), r.EncryptedPrivateKey...)
	return r
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
