package keystore

import (
	"context"
	"errors"

	"github.com/fprlink/fprlink/keys"
)

// Generator is the part of *keys.Manager that EnsureActive needs.
type Generator interface {
	Generate(ctx context.Context) (keys.Record, error)
}

// EnsureActive makes sure a signing key is active, generating the first
// one on a fresh installation so the service can issue at its first start.
// It reports whether it created a key. Several nodes starting at once are
// safe: the store serialises Generate, and the losers see
// keys.ErrActiveKeyExists.
func EnsureActive(ctx context.Context, g Generator) (bool, error) {
	_, err := g.Generate(ctx)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, keys.ErrActiveKeyExists):
		return false, nil
	}
	return false, err
}
