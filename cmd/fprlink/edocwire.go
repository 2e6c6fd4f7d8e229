package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/wiring"
	"github.com/fprlink/fprlink/keys"
)

// edocs is the wired e-document capability.
type edocs struct {
	keys    *keys.Manager
	parties *relyingparties.Service
	service *attestations.Service
	deps    api.EDocumentDeps
}

// openKeys builds the key manager on the database key store.
func openKeys(k kek, db *storage.DB, clk clock.Clock) (*keys.Manager, error) {
	return keys.NewManager(keys.Config{Store: keystore.New(db), KEK: k.key, Now: clk.Now})
}

// loadKEK loads the key-encryption key of cfg; only the embedded default
// (no database URL) may create its file.
func loadKEK(cfg *config) (kek, error) {
	return cfg.EDoc.loadKEK(cfg.DataDir, cfg.DatabaseURL == "")
}

// issuerURL is the iss of new documents, checked by validate: an https
// URL that was given, or one derived from the listen address, which is
// logged so that it is not mistaken for a public address.
func issuerURL(cfg *config, log *slog.Logger) string {
	if cfg.issuerDerived {
		log.Warn("-issuer-url (FPRLINK_ISSUER_URL) is not set; e-documents name "+cfg.IssuerURL+" as issuer, derived from -listen",
			slog.String("issuer", cfg.IssuerURL))
	}
	return cfg.IssuerURL
}

func buildEDocs(ctx context.Context, cfg *config, k kek, db *storage.DB, clk clock.Clock, log *slog.Logger, holders attestations.Holders) (*edocs, error) {
	ec := cfg.EDoc
	km, err := openKeys(k, db, clk)
	if err != nil {
		return nil, err
	}
	if created, err := keystore.EnsureActive(ctx, km); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	} else if created {
		log.Info("generated the first document signing key")
	}
	if err := checkKEK(ctx, km, k); err != nil {
		return nil, err
	}
	iss := issuerURL(cfg, log)
	ed, err := wiring.BuildEDocs(db, clk, km, holders, wiring.EDocOptions{Issuer: iss, DocValidity: ec.DocValidity,
		StatusTTL: ec.StatusTTL, StatusLifetime: ec.StatusLifetime, StatusListSize: ec.StatusListSize,
		Limits: attestations.Limits{ActivePerPurpose: ec.IssueCap, PerDay: ec.IssueDaily}})
	if err != nil {
		return nil, err
	}
	// Renderings stored by a version that kept them in the clear.
	if n, err := ed.Service.SealStoredFiles(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("sealed stored e-document files", "files", n)
	}
	return &edocs{keys: km, parties: ed.Parties, service: ed.Service, deps: api.EDocumentDeps{
		Documents: ed.Service, Files: ed.Service, Officers: ed.Service, Verifier: ed.Service, RelyingParties: ed.Parties, APIKeys: ed.Parties,
		Limiter:     relyingparties.NewLimiter(ec.VerifyRate, ec.VerifyBurst, clk),
		StatusLists: ed.Tokens, JWKS: km, JWKSMaxAge: ec.JWKSMaxAge,
	}}, nil
}

// trimURL drops trailing slashes from a base URL.
func trimURL(s string) string { return strings.TrimRight(s, "/") }
