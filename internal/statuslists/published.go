package statuslists

import (
	"context"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// Published reads the lists as they are published (the status-list route
// and the trust bundle): through the read replica when there is one
// (storage.DB.ReadReplica). Relying parties cache a list for its ttl, so a
// replica within its lag bound adds at most that bound to how long a
// change takes to reach them. A list the replica does not hold yet (made
// a moment ago) is read from the primary. The verify API reads the lists
// through Store, on the primary.
type Published struct{ s *Store }

var _ Source = Published{}

// Published returns the lists as published.
func (s *Store) Published() Published { return Published{s: s} }

// Version returns the list's change counter.
func (p Published) Version(ctx context.Context, listID string) (v int64, err error) {
	err = p.s.db.ReadReplica(ctx, func(g *gorm.DB) error {
		v, err = version(g, listID)
		return err
	})
	return v, err
}

// Load returns the list's entries and their version, read in one
// transaction on whichever server serves it.
func (p Published) Load(ctx context.Context, listID string) (list *edoc.StatusList, v int64, err error) {
	err = p.s.db.ReadReplica(ctx, func(g *gorm.DB) error {
		list, v, err = load(g, listID)
		return err
	})
	return list, v, err
}

// Versions returns every list's id with its change counter.
func (p Published) Versions(ctx context.Context) (m map[string]int64, err error) {
	err = p.s.db.ReadReplica(ctx, func(g *gorm.DB) error {
		m, err = versions(g)
		return err
	})
	return m, err
}
