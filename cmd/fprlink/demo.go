package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"text/tabwriter"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/demo"
	"github.com/fprlink/fprlink/internal/registry"
)

// seedDemo seeds the demo registry when asked with --demo, or on the first
// start of the embedded default (no database URL, empty registry). A
// configured database is never seeded without --demo: it may be production.
func seedDemo(ctx context.Context, cfg *config, reg *registry.Service, acc *accounts.Service, log *slog.Logger) (*demo.Result, error) {
	if !cfg.Demo {
		if cfg.DatabaseURL != "" {
			return nil, nil
		}
		empty, err := reg.IsEmpty(ctx)
		if err != nil || !empty {
			return nil, err
		}
	}
	prev, err := demo.ReadFile(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	res, err := demo.New(reg, acc, nil).Seed(ctx, prev)
	if err != nil {
		return nil, err
	}
	if err := demo.WriteFile(cfg.DataDir, res); err != nil {
		return nil, err
	}
	log.Info("demo data seeded", slog.String("logins", filepath.Join(cfg.DataDir, demo.FileName)))
	return res, nil
}

// printDemo shows the demo logins at start, so they need not be looked up.
func printDemo(w io.Writer, cfg *config, res *demo.Result) {
	if res == nil {
		return
	}
	fmt.Fprintf(w, "\nDemo data is loaded. Logins (also in %s):\n", filepath.Join(cfg.DataDir, demo.FileName))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE")
	for _, a := range res.Accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Username, a.Password, a.Role)
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
}
