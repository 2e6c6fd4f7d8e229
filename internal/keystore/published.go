package keystore

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/keys"
)

// ErrReadOnly is returned by Published.Update: keys change only through
// Store, on the primary.
var ErrReadOnly = errors.New("keystore: the published key store cannot change keys")

// Published is the key store as the published JWKS reads it: through the
// read replica when there is one (storage.DB.ReadReplica). The JWKS may be
// cached by verifiers for its max-age anyway, so a replica within its lag
// bound adds at most that bound to how long a change takes to show there.
// Signing and the verify API read keys through Store, on the primary.
type Published struct {
	db *storage.DB
}

var _ keys.Store = (*Published)(nil)

// NewPublished returns the published key store on db.
func NewPublished(db *storage.DB) *Published { return &Published{db: db} }

// List returns every key record, oldest first.
func (p *Published) List(ctx context.Context) ([]keys.Record, error) {
	var out []keys.Record
	err := p.db.ReadReplica(ctx, func(g *gorm.DB) (err error) {
		out, err = list(g)
		return err
	})
	return out, err
}

// Update refuses: see ErrReadOnly.
func (p *Published) Update(context.Context, func([]keys.Record) ([]keys.Record, error)) error {
	return ErrReadOnly
}
