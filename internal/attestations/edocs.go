package attestations

import (
	"time"

	"github.com/fprlink/fprlink/internal/clock"
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
	// FormerIssuers are the issuer URLs signed under before Issuer; their
	// documents keep verifying.
	FormerIssuers []string
	// Renderer draws the PDF and QR files; nil means DefaultRenderer at
	// 8 px per module.
	Renderer Renderer
	// Limits bound what one resident may issue; zero fields take
	// DefaultLimits.
	Limits Limits
	// PlainVerify turns the verify API's shared round trips off
	// (Options.PlainVerify), for measuring against.
	PlainVerify bool
}

// EDocs is the e-document capability assembled: the status lists and
// their signed tokens, the issuer, the verify path's key and status caches
// and the service over them.
type EDocs struct {
	Issuer *issuer.Issuer
	Lists  *statuslists.Store
	// Tokens are the signed lists the verify API checks, read on the
	// primary; PublishedTokens are those the status-list route and the
	// trust bundle publish, read on the read replica when there is one.
	Tokens          *statuslists.Tokens
	PublishedTokens *statuslists.Tokens
	Online          *OnlineKeys
	Status          *DBStatus
	Service         *Service
}

// NewEDocs connects the key manager, status lists, issuer and in-process
// verifier into the attestation service, reading the people it issues for
// from holders. The binary and the tests that need the whole capability
// build it here, so they cannot drift apart.
func NewEDocs(db *storage.DB, clk clock.Clock, km *keys.Manager, holders Holders, o EDocOptions) (*EDocs, error) {
	lists, err := statuslists.New(db, clk, o.StatusListSize)
	if err != nil {
		return nil, err
	}
	is, err := issuer.New(issuer.Config{Issuer: o.Issuer, MaxValidity: o.DocValidity, StatusListTTL: o.StatusTTL,
		StatusListLifetime: o.StatusLifetime, Keys: km, Allocator: lists, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	e := &EDocs{Issuer: is, Lists: lists}
	e.Tokens = statuslists.NewTokens(clk, lists, is, o.StatusTTL)
	e.PublishedTokens = statuslists.NewTokens(clk, lists.Published(), is, o.StatusTTL)
	e.Online = NewOnlineKeys(clk, km, o.Issuer, KeyCacheTTL, o.FormerIssuers...)
	e.Status = NewDBStatus(clk, e.Tokens, e.Online, o.Issuer, StatusMaxAge)
	v, err := NewOnlineVerifiers(clk, e.Online, e.Status)
	if err != nil {
		return nil, err
	}
	fileKey, err := km.DataKey(FileKeyPurpose)
	if err != nil {
		return nil, err
	}
	e.Service, err = New(db, clk, holders, is, v, fileKey,
		Options{Renderer: o.Renderer, StatusChanged: e.Status.Forget, Limits: o.Limits, PlainVerify: o.PlainVerify})
	if err != nil {
		return nil, err
	}
	return e, nil
}
