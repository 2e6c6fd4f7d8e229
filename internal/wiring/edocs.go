package wiring

import (
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/keys"
)

// Cache lifetimes of the verify path. A key revoked on another node is
// seen within KeyCacheTTL; a status list changed on another node within
// StatusMaxAge (the attestation's own row, read on every verification,
// makes its revocation count at once regardless).
const (
	KeyCacheTTL  = 2 * time.Second
	StatusMaxAge = time.Second
)

// EDocOptions configures the e-document capability.
type EDocOptions struct {
	Issuer         string // iss of new documents, https
	DocValidity    time.Duration
	StatusTTL      time.Duration
	StatusLifetime time.Duration
	StatusListSize int
	// Renderer draws the PDF and QR files; nil means
	// attestations.DefaultRenderer at 8 px per module.
	Renderer attestations.Renderer
	// Limits bound what one resident may issue; zero fields take
	// attestations.DefaultLimits.
	Limits attestations.Limits
}

// EDocs is the wired e-document capability: issuing, files, the verify
// API's service and relying parties.
type EDocs struct {
	Issuer  *issuer.Issuer
	Lists   *statuslists.Store
	Tokens  *statuslists.Tokens
	Online  *attestations.OnlineKeys
	Status  *attestations.DBStatus
	Service *attestations.Service
	Parties *relyingparties.Service
}

// BuildEDocs connects the key manager, status lists, issuer, in-process
// verifier and registry into the attestation service. The binary and the
// load test build it the same way.
func BuildEDocs(db *storage.DB, clk clock.Clock, km *keys.Manager, holders attestations.Holders, o EDocOptions) (*EDocs, error) {
	lists, err := statuslists.New(db, o.StatusListSize, clk)
	if err != nil {
		return nil, err
	}
	is, err := issuer.New(issuer.Config{Issuer: o.Issuer, MaxValidity: o.DocValidity, StatusListTTL: o.StatusTTL,
		StatusListLifetime: o.StatusLifetime, Keys: km, Allocator: lists, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	e := &EDocs{Issuer: is, Lists: lists, Parties: relyingparties.New(db, clk)}
	e.Tokens = statuslists.NewTokens(lists, is, clk, o.StatusTTL)
	e.Online = attestations.NewOnlineKeys(km, o.Issuer, clk, KeyCacheTTL)
	e.Status = attestations.NewDBStatus(e.Tokens, e.Online, o.Issuer, clk, StatusMaxAge)
	v, err := attestations.NewOnlineVerifier(e.Online, e.Status, clk)
	if err != nil {
		return nil, err
	}
	render := o.Renderer
	if render == nil {
		render = attestations.DefaultRenderer{QRScale: 8}
	}
	fileKey, err := km.DataKey(attestations.FileKeyPurpose)
	if err != nil {
		return nil, err
	}
	e.Service, err = attestations.New(attestations.Config{DB: db, Clock: clk, Holders: holders, Issuer: is,
		Verifier: v, Renderer: render, FileKey: fileKey, StatusChanged: e.Status.Forget, Limits: o.Limits})
	if err != nil {
		return nil, err
	}
	return e, nil
}
