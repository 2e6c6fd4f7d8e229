package main

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/installation"
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
	// The e-document capability as the HTTP layer takes it.
	documents   api.EDocuments
	verify      api.Verify
	partyAdmin  api.RelyingParties
	publication api.Publication
	// keepers are what this capability keeps in memory for the outage of
	// its database: the JWKS and a token of every status list.
	keepers map[string]keeper
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
	inst := installation.New(db, clk)
	km, err := openKeys(k, db, clk)
	if err != nil {
		return nil, err
	}
	if err := bindKEK(ctx, cfg, inst, km, k); err != nil {
		return nil, err
	}
	if created, err := keystore.EnsureActive(ctx, km); err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	} else if created {
		log.Info("generated the first document signing key")
	}
	iss := issuerURL(cfg, log)
	former, err := useIssuer(ctx, inst, iss, log)
	if err != nil {
		return nil, err
	}
	ed, err := wiring.BuildEDocs(db, clk, km, holders, attestations.EDocOptions{Issuer: iss, FormerIssuers: former, DocValidity: ec.DocValidity,
		StatusTTL: ec.StatusTTL, StatusLifetime: ec.StatusLifetime, StatusListSize: ec.StatusListSize,
		Limits: attestations.Limits{ActivePerPurpose: ec.IssueCap, PerDay: ec.IssueDaily}, PlainVerify: ec.VerifyPlain})
	if err != nil {
		return nil, err
	}
	// Renderings stored by a version that kept them in the clear.
	if n, err := ed.Service.SealStoredFiles(ctx); err != nil {
		return nil, err
	} else if n > 0 {
		log.Info("sealed stored e-document files", "files", n)
	}
	// What is published for offline verifiers is read on the read replica
	// when there is one; signing and the verify API read the primary.
	published, err := keys.NewManager(keys.Config{Store: keystore.NewPublished(db), KEK: k.key, Now: clk.Now})
	if err != nil {
		return nil, err
	}
	jwks := attestations.NewCachedJWKS(clk, attestations.NewPublishedJWKS(published, iss, former...), ec.JWKSMaxAge)
	bundles, err := attestations.NewTrustBundles(clk, ed.Lists.Published(), ed.PublishedTokens, jwks, ed.Issuer, ec.StatusTTL)
	if err != nil {
		return nil, err
	}
	return &edocs{keys: km, parties: ed.Parties, service: ed.Service,
		documents: api.EDocuments{Documents: ed.Service, Files: ed.Service, Officers: ed.Service, Keys: attestations.NewKeyAdmin(km)},
		verify: api.Verify{Verifier: ed.Service, APIKeys: ed.Parties,
			Limiter: relyingparties.NewLimiter(clk, ec.VerifyRate, ec.VerifyBurst)},
		partyAdmin:  api.RelyingParties{Admin: ed.Parties},
		publication: api.Publication{StatusLists: ed.PublishedTokens, JWKS: jwks, JWKSMaxAge: ec.JWKSMaxAge, TrustBundles: bundles},
		keepers: map[string]keeper{
			"jwks": jwks.Keep,
			"status lists": func(ctx context.Context, failed func(error)) {
				ed.PublishedTokens.Keep(ctx, ed.Lists.Published(), failed)
			},
		},
	}, nil
}

// useIssuer records iss as the URL the service signs under and returns
// the URLs it signed under before, whose documents stay trusted. A change
// is logged as a warning: relying parties that trust only the old URL
// must learn the new one, and a change made by mistake (a new -listen
// with no -issuer-url) is best caught at start.
func useIssuer(ctx context.Context, inst *installation.Store, iss string, log *slog.Logger) ([]string, error) {
	previous, err := inst.UseIssuer(ctx, iss)
	if err != nil {
		return nil, err
	}
	all, err := inst.Issuers(ctx)
	if err != nil {
		return nil, err
	}
	former := slices.DeleteFunc(all, func(u string) bool { return u == iss })
	if previous != "" && previous != iss {
		log.Warn("the issuer URL changed from "+previous+" to "+iss+"; documents issued under earlier URLs still verify, "+
			"and the JWKS names them all, but relying parties that trust only "+previous+" must be told of "+iss,
			slog.String("issuer", iss), slog.String("previous", previous), slog.Any("earlier", former))
	}
	return former, nil
}

// trimURL drops trailing slashes from a base URL.
func trimURL(s string) string { return strings.TrimRight(s, "/") }

// residentIDPepper derives from the KEK the key under which Chinese
// helpers' resident identity numbers are hashed, so the pepper is kept
// where the KEK is (never in the database) and needs no setting of its
// own. A new KEK gives a new pepper: helpers recorded before must then be
// recorded again (docs/OPERATIONS.md).
func residentIDPepper(kek []byte) []byte {
	p, err := hkdf.Key(sha256.New, kek, nil, "fprlink resident-id pepper v1", 32)
	if err != nil {
		return nil // only for impossible lengths; helpers then answer 503
	}
	return p
}
