package wiring

import (
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/keys"
)

// EDocs is the wired e-document capability (issuing, files, the verify
// API's service) and the relying parties who verify its documents.
type EDocs struct {
	*attestations.EDocs
	Parties *relyingparties.Service
}

// BuildEDocs builds the e-document capability (attestations.NewEDocs) on
// holders, the registry as attestations reads it (Holders in the binary),
// and the relying-party service beside it. The binary and the load test
// build it the same way.
func BuildEDocs(db *storage.DB, clk clock.Clock, km *keys.Manager, holders attestations.Holders, o attestations.EDocOptions) (*EDocs, error) {
	ed, err := attestations.NewEDocs(db, clk, km, holders, o)
	if err != nil {
		return nil, err
	}
	return &EDocs{EDocs: ed, Parties: relyingparties.New(db, clk)}, nil
}
