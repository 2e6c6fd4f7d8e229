package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/installation"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/issuer"
)

// cmdBundle writes the trust bundle of air-gapped verifiers — the same
// file GET /api/v1/trust-bundle serves — from the configured database,
// for an operator who carries it to machines that cannot reach the
// service.
func cmdBundle(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("bundle", "bundle [flags] [-o FILE]", stderr)
	cfg, err := bindConfig(fs, getenv)
	if err != nil {
		return err
	}
	out := fs.String("o", "", "write the bundle to FILE instead of standard output")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: fprlink bundle takes flags only, not %q", errUsage, pos[0])
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	tok, err := makeBundle(ctx, cfg, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	if *out == "" {
		_, err := fmt.Fprintln(stdout, tok)
		return err
	}
	// Public data, like the JWKS: anyone may read it.
	if err := os.WriteFile(*out, []byte(tok+"\n"), 0o644); err != nil {
		return fmt.Errorf("writing the bundle: %w", pathless(err))
	}
	_, err = fmt.Fprintf(stdout, "wrote the trust bundle to %s\n", *out)
	return err
}

func makeBundle(ctx context.Context, cfg *config, log *slog.Logger) (string, error) {
	k, err := loadKEK(cfg)
	if err != nil {
		return "", err
	}
	clk := clock.Real{}
	db, _, err := openMigratedDB(ctx, cfg, clk, log)
	if err != nil {
		return "", err
	}
	defer db.Close()
	inst := installation.New(db, clk)
	km, err := openKeys(k, db, clk)
	if err != nil {
		return "", err
	}
	if err := bindKEK(ctx, cfg, inst, km, k); err != nil {
		return "", err
	}
	iss, former, err := bundleIssuer(ctx, cfg, inst)
	if err != nil {
		return "", err
	}
	ec := cfg.EDoc
	lists, err := statuslists.New(db, clk, ec.StatusListSize)
	if err != nil {
		return "", err
	}
	is, err := issuer.New(issuer.Config{Issuer: iss, MaxValidity: ec.DocValidity, StatusListTTL: ec.StatusTTL,
		StatusListLifetime: ec.StatusLifetime, Keys: km, Allocator: lists, Now: clk.Now})
	if err != nil {
		return "", err
	}
	bundles, err := attestations.NewTrustBundles(clk, lists, statuslists.NewTokens(clk, lists, is, ec.StatusTTL),
		attestations.NewPublishedJWKS(km, iss, former...), is, ec.StatusTTL)
	if err != nil {
		return "", err
	}
	b, err := bundles.Current(ctx)
	if err != nil {
		return "", fmt.Errorf("making the trust bundle: %w", err)
	}
	return b.Token, nil
}

// bundleIssuer is the URL the bundle is signed under: the one the service
// signs documents under now, as the database records it, so a bundle made
// on another machine without -issuer-url does not name a wrong issuer.
func bundleIssuer(ctx context.Context, cfg *config, inst *installation.Store) (string, []string, error) {
	all, err := inst.Issuers(ctx)
	if err != nil {
		return "", nil, err
	}
	switch {
	case len(all) == 0:
		return "", nil, fmt.Errorf("the service has not started on this database yet, so there is no issuer URL to sign the bundle under: run fprlink serve once")
	case !cfg.issuerDerived && cfg.IssuerURL != all[0]:
		return "", nil, fmt.Errorf("%w: -issuer-url %s is not the URL the service signs under now (%s)", errUsage, cfg.IssuerURL, all[0])
	}
	return all[0], all[1:], nil
}
