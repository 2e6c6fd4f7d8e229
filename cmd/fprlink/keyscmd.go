package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/installation"
	"github.com/fprlink/fprlink/keys"
)

// cmdKeys manages document signing keys: generate, rotate, list, revoke
// KID, jwks. It works on the configured database with the same KEK as the
// service.
func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("keys", "keys [flags] generate|rotate|list|jwks|revoke KID", stderr)
	cfg, err := bindConfig(fs, getenv)
	if err != nil {
		return err
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	var sub, kid string
	if len(pos) > 0 {
		sub = pos[0]
	}
	if want := map[string]int{"generate": 1, "rotate": 1, "list": 1, "jwks": 1, "revoke": 2}[sub]; want == 0 || len(pos) != want {
		return fmt.Errorf("%w: fprlink keys generate|rotate|list|jwks|revoke KID", errUsage)
	}
	if len(pos) == 2 {
		kid = pos[1]
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	k, err := loadKEK(cfg)
	if err != nil {
		return err
	}
	clk := clock.Real{}
	db, _, err := openMigratedDB(ctx, cfg, clk, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer db.Close()
	km, err := openKeys(k, db, clk)
	if err != nil {
		return err
	}
	inst := installation.New(db, clk)
	if err := bindKEK(ctx, cfg, inst, km, k); err != nil {
		return err
	}
	if sub == "jwks" {
		return printJWKS(ctx, inst, km, stdout)
	}
	return runKeys(ctx, km, sub, kid, stdout)
}

// printJWKS prints the JWKS as the service publishes it, naming the issuer
// URLs it signed under, so a saved copy verifies documents of all of them.
func printJWKS(ctx context.Context, inst *installation.Store, km *keys.Manager, stdout io.Writer) error {
	var src attestations.JWKSSource = km
	if all, err := inst.Issuers(ctx); err != nil {
		return err
	} else if len(all) > 0 {
		src = attestations.NewPublishedJWKS(km, all[0], all[1:]...)
	}
	b, err := src.JWKS(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", b)
	return err
}

// checkKEK proves the KEK opens the active key before anything changes: a
// key generated under a wrong KEK would be one the service cannot use.
func checkKEK(ctx context.Context, km *keys.Manager, k kek) error {
	_, err := km.ActiveSigner(ctx)
	if err == nil || errors.Is(err, keys.ErrNoActiveKey) {
		return nil
	}
	return fmt.Errorf("the key-encryption key from %s does not open the active signing key: %w", k.from, err)
}

// keysOperator is who the audit trail names for key changes made with
// `fprlink keys`: an operator at the command line, not a signed-in account.
var keysOperator = audit.Actor{ID: "fprlink-keys", Role: "operator"}

func runKeys(ctx context.Context, km *keys.Manager, sub, kid string, stdout io.Writer) error {
	ctx = audit.WithActor(ctx, keysOperator)
	var rec keys.Record
	var err error
	switch sub {
	case "generate":
		rec, err = km.Generate(ctx)
	case "rotate":
		rec, err = km.Rotate(ctx)
	case "revoke":
		rec, err = km.Revoke(ctx, kid)
		if err == nil {
			fmt.Fprintf(stdout, "revoked %s\n", kid)
		}
	case "list":
		return listKeys(ctx, km, stdout)
	}
	if err != nil {
		return err
	}
	if rec.KID != "" {
		fmt.Fprintf(stdout, "active %s\n", rec.KID)
	}
	return nil
}

func listKeys(ctx context.Context, km *keys.Manager, stdout io.Writer) error {
	recs, err := km.List(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "KID\tSTATE\tACTIVATED\tRETIRED\tREVOKED\tLAST DOCUMENT EXPIRES\n")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.KID, r.State, r.ActivatedAt.Format(time.RFC3339),
			optTime(r.RetiredAt), optTime(r.RevokedAt), optTime(r.NotAfter))
	}
	return tw.Flush()
}

func optTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
