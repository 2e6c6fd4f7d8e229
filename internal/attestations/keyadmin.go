package attestations

import (
	"context"
	"errors"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/keys"
)

// KeyRevoker revokes signing keys; *keys.Manager implements it.
type KeyRevoker interface {
	Revoke(ctx context.Context, kid string) (keys.Record, error)
	List(ctx context.Context) ([]keys.Record, error)
}

// KeyAdmin is the admins' handle on the signing keys: revoking a
// compromised key from a serving node, so the node's own verifications
// refuse its documents at once (its key cache follows the manager's count
// of revocations) rather than when the cache expires, as a revocation by
// `fprlink keys revoke` from another process does.
type KeyAdmin struct {
	keys KeyRevoker
}

// NewKeyAdmin revokes through km, which must be the manager the node's
// verifier reads its keys from.
func NewKeyAdmin(km KeyRevoker) *KeyAdmin { return &KeyAdmin{keys: km} }

// KeyRevocation is what a revocation did: the key revoked, when, and the
// key that signs from now on when the revoked one was active.
type KeyRevocation struct {
	KID       string
	RevokedAt time.Time
	ActiveKID string
}

var (
	errKeyNotFound = apperr.NotFound("signing_key_not_found",
		i18n.T("There is no signing key with this key ID.", "不存在此编号的签名密钥。"))
	errKeyRevoked = apperr.Conflict("signing_key_revoked",
		i18n.T("This signing key is already revoked.", "此签名密钥已被吊销。"))
)

// RevokeKey revokes kid in the name of by; the key store audits it in the
// same transaction.
func (a *KeyAdmin) RevokeKey(ctx context.Context, by audit.Actor, kid string) (KeyRevocation, error) {
	recs, err := a.keys.List(ctx)
	if err != nil {
		return KeyRevocation{}, apperr.Internal("attestations: list keys: %w", err)
	}
	var found *keys.Record
	for i := range recs {
		if recs[i].KID == kid {
			found = &recs[i]
		}
	}
	switch {
	case found == nil:
		return KeyRevocation{}, errKeyNotFound
	case found.State == keys.StateRevoked:
		return KeyRevocation{}, errKeyRevoked
	}
	replacement, err := a.keys.Revoke(audit.WithActor(ctx, by), kid)
	if errors.Is(err, keys.ErrKeyNotFound) {
		return KeyRevocation{}, errKeyNotFound
	}
	if err != nil {
		return KeyRevocation{}, apperr.Internal("attestations: revoke key: %w", err)
	}
	out := KeyRevocation{KID: kid, ActiveKID: replacement.KID}
	if recs, err := a.keys.List(ctx); err == nil {
		for _, r := range recs {
			if r.KID == kid && r.RevokedAt != nil {
				out.RevokedAt = *r.RevokedAt
			}
			if r.State == keys.StateActive {
				out.ActiveKID = r.KID
			}
		}
	}
	return out, nil
}
