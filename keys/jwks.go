package keys

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// PublicKey is the public view of a key record.
type PublicKey struct {
	JWK         jose.JSONWebKey
	State       State
	ActivatedAt time.Time
	RetiredAt   *time.Time
	RevokedAt   *time.Time
	NotAfter    *time.Time
}

// PublicKeys returns every key, revoked ones included, for an online
// verifier that must tell "revoked" apart from "unknown".
func (m *Manager) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	recs, err := m.store.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PublicKey, 0, len(recs))
	for _, r := range recs {
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON(r.PublicJWK); err != nil {
			return nil, fmt.Errorf("keys: stored JWK of %s: %w", r.KID, err)
		}
		out = append(out, PublicKey{
			JWK: jwk, State: r.State, ActivatedAt: r.ActivatedAt,
			RetiredAt: r.RetiredAt, RevokedAt: r.RevokedAt, NotAfter: r.NotAfter,
		})
	}
	return out, nil
}

// JWKS returns the JSON Web Key Set to publish at /.well-known/jwks.json:
// the active key and every retired key whose documents may still be valid,
// never a revoked key and never private parts. Each key carries use "sig",
// alg "ES256", and two members standard JOSE libraries ignore: "nbf", when
// the key became active, and for retired keys "exp", when its last document
// expires. Verifiers use them to check that a key was valid when a document
// was issued.
func (m *Manager) JWKS(ctx context.Context) ([]byte, error) {
	pks, err := m.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	now := m.now()
	set := struct {
		Keys []map[string]any `json:"keys"`
	}{Keys: []map[string]any{}}
	for _, pk := range pks {
		if !published(pk, now) {
			continue
		}
		entry, err := jwksEntry(pk)
		if err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, entry)
	}
	return json.Marshal(set)
}

func published(pk PublicKey, now time.Time) bool {
	switch pk.State {
	case StateActive:
		return true
	case StateRetired:
		return pk.NotAfter != nil && now.Before(*pk.NotAfter)
	default:
		return false
	}
}

func jwksEntry(pk PublicKey) (map[string]any, error) {
	pub := pk.JWK.Public()
	if !pub.Valid() {
		return nil, fmt.Errorf("keys: %s: %w", pk.JWK.KeyID, ErrUnsupportedKey)
	}
	raw, err := pub.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var entry map[string]any
	if err := json.Unmarshal(raw, &entry); err != nil {
		return nil, err
	}
	entry["use"], entry["alg"] = "sig", string(jose.ES256)
	entry["nbf"] = pk.ActivatedAt.Unix()
	if pk.State == StateRetired && pk.NotAfter != nil {
		entry["exp"] = pk.NotAfter.Unix()
	}
	return entry, nil
}
