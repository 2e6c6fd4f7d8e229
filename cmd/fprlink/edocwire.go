package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
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
	lists, err := statuslists.New(db, ec.StatusListSize, clk)
	if err != nil {
		return nil, err
	}
	is, err := issuer.New(issuer.Config{Issuer: iss, MaxValidity: ec.DocValidity, StatusListTTL: ec.StatusTTL,
		StatusListLifetime: ec.StatusLifetime, Keys: km, Allocator: lists, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	tokens := statuslists.NewTokens(lists, is, clk, ec.StatusTTL)
	online := attestations.NewOnlineKeys(km, iss, clk, 2*time.Second)
	v, err := attestations.NewOnlineVerifier(online, attestations.NewDBStatus(tokens, online, iss, clk), clk)
	if err != nil {
		return nil, err
	}
	svc, err := attestations.New(attestations.Config{DB: db, Clock: clk, Holders: holders, Issuer: is,
		Verifier: v, Renderer: attestations.DefaultRenderer{QRScale: 8}})
	if err != nil {
		return nil, err
	}
	parties := relyingparties.New(db, clk)
	return &edocs{keys: km, parties: parties, service: svc, deps: api.EDocumentDeps{
		Documents: svc, Files: svc, Verifier: svc, RelyingParties: parties, APIKeys: parties,
		Limiter:     relyingparties.NewLimiter(ec.VerifyRate, ec.VerifyBurst, clk),
		StatusLists: tokens, JWKS: km,
	}}, nil
}

// trimURL drops trailing slashes from a base URL.
func trimURL(s string) string { return strings.TrimRight(s, "/") }
