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
	"github.com/fprlink/fprlink/issuer"
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
func openKeys(cfg *config, db *storage.DB, clk clock.Clock) (*keys.Manager, error) {
	kek, err := cfg.EDoc.loadKEK(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return keys.NewManager(keys.Config{Store: keystore.New(db), KEK: kek, Now: clk.Now})
}

// issuerURL is the iss of new documents, which must be https. The default
// (http://<listen>, for a local start) is turned into https with a warning;
// an http URL set on purpose is refused.
func issuerURL(cfg *config, log *slog.Logger) (string, error) {
	iss := cfg.IssuerURL
	if iss == "http://"+cfg.Listen {
		iss = "https://" + cfg.Listen
		log.Warn("FPRLINK_ISSUER_URL not set; e-documents name " + iss + " as issuer")
	}
	if err := issuer.ValidateIssuerURL(iss); err != nil {
		return "", fmt.Errorf("-issuer-url %q: %w", cfg.IssuerURL, err)
	}
	return iss, nil
}

func buildEDocs(ctx context.Context, cfg *config, db *storage.DB, clk clock.Clock, log *slog.Logger, holders attestations.Holders) (*edocs, error) {
	ec := cfg.EDoc
	km, err := openKeys(cfg, db, clk)
	if err != nil {
		return nil, err
	}
	if created, err := keystore.EnsureActive(ctx, km); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	} else if created {
		log.Info("generated the first document signing key")
	}
	if err := checkKEK(ctx, km); err != nil {
		return nil, err
	}
	iss, err := issuerURL(cfg, log)
	if err != nil {
		return nil, err
	}
	ed, err := wiring.BuildEDocs(db, clk, km, holders, wiring.EDocOptions{Issuer: iss, DocValidity: ec.DocValidity,
		StatusTTL: ec.StatusTTL, StatusLifetime: ec.StatusLifetime, StatusListSize: ec.StatusListSize})
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
