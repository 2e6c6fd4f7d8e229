package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/demo"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/installation"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/wiring"
)

// seedDemo seeds the demo registry when asked with --demo, or on the first
// start of the embedded default (no database URL, empty registry). A
// configured database is never seeded without --demo: it may be production.
// The logins go to the database's own demo file, bound to it by its id, so
// a second database seeded from the same folder never reads or overwrites
// the first one's.
func seedDemo(ctx context.Context, cfg *config, db *storage.DB, svc *wiring.Services, log *slog.Logger) (*demo.Result, error) {
	reg, acc := svc.Registry, svc.Accounts
	if !cfg.Demo {
		if cfg.DatabaseURL != "" {
			return nil, nil
		}
		empty, err := reg.IsEmpty(ctx)
		if err != nil || !empty {
			return nil, err
		}
	}
	id, err := installation.New(db, svc.Clock).DatabaseID(ctx)
	if err != nil {
		return nil, err
	}
	name := demoFileName(cfg)
	prev, aside, err := demo.ReadFor(cfg.DataDir, name, id)
	if err != nil {
		return nil, err
	}
	if aside != "" {
		log.Warn(name+" held the demo logins of another database; it is kept as "+aside+" and this database gets its own",
			slog.String("kept_as", filepath.Join(cfg.DataDir, aside)))
	}
	res, err := demo.New(reg, acc, nil).Seed(ctx, prev)
	if err != nil {
		return nil, err
	}
	res.DatabaseID = id
	if err := demo.SeedGrants(ctx, res, svc.Assistance); err != nil {
		return nil, err
	}
	if err := demo.WriteAs(cfg.DataDir, name, res); err != nil {
		return nil, err
	}
	if err := seedDemoSlots(ctx, svc); err != nil {
		return nil, err
	}
	log.Info("demo data seeded", slog.String("logins", filepath.Join(cfg.DataDir, name)))
	return res, nil
}

// demoFileName is the demo file of the configured database: demo.json for
// the embedded default, demo-postgres.json for PostgreSQL.
func demoFileName(cfg *config) string {
	dialect := string(storage.SQLite)
	if strings.HasPrefix(cfg.DatabaseURL, "postgres://") || strings.HasPrefix(cfg.DatabaseURL, "postgresql://") {
		dialect = string(storage.Postgres)
	}
	return demo.FileNameFor(dialect, cfg.DatabaseURL == "")
}

// printDemo shows the demo logins at start, so they need not be looked up.
func printDemo(w io.Writer, cfg *config, res *demo.Result) {
	if res == nil {
		return
	}
	fmt.Fprintf(w, "\nDemo data is loaded. Logins (also in %s):\n", filepath.Join(cfg.DataDir, demoFileName(cfg)))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tPASSWORD\tROLE")
	for _, a := range res.Accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Username, a.Password, a.Role)
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
}

// demoSlotGroups cut a demo centre's day into bookable slots: visa and stay
// matters in half hours, residence permits in half hours with fewer
// counters, FPR card business by the hour.
var demoSlotGroups = []appointments.SlotGroup{
	{Name: "visa", Businesses: []string{"visa_extension", "visa_renewal", "visa_reissue", "stay_permit"}, SlotMinutes: 30, Capacity: 6},
	{Name: "residence", Businesses: []string{"residence_work", "residence_study", "residence_journalist", "residence_family", "residence_private"}, SlotMinutes: 30, Capacity: 4},
	{Name: "fpr", Businesses: []string{"fpr_application", "fpr_renewal", "fpr_replacement"}, SlotMinutes: 60, Capacity: 2},
}

// seedDemoSlots gives every centre without a slot configuration the demo
// one, so appointments can be booked on the demo service at once.
func seedDemoSlots(ctx context.Context, svc *wiring.Services) error {
	page, err := svc.Directory.Search(ctx, directory.Query{Page: paging.Request{Limit: paging.MaxLimit}}, svc.Clock.Now())
	if err != nil {
		return err
	}
	for _, m := range page.Items {
		cur, err := svc.Appointments.SlotConfig(ctx, m.Center.ID)
		if err != nil || len(cur.Groups) > 0 {
			continue
		}
		var groups []appointments.SlotGroup
		for _, g := range demoSlotGroups {
			var handled []string
			for _, b := range g.Businesses {
				if m.Center.Handles(b) {
					handled = append(handled, b)
				}
			}
			if len(handled) > 0 {
				g.Businesses = handled
				groups = append(groups, g)
			}
		}
		cfg := appointments.SlotConfig{Window: appointments.Window{From: appointments.DefaultWindowFrom, To: appointments.DefaultWindowTo}, Groups: groups}
		if _, err := svc.Appointments.SetSlotConfig(ctx, audit.System, m.Center.ID, cfg); err != nil {
			return fmt.Errorf("demo slots for %s: %w", m.Center.Code, err)
		}
	}
	return nil
}

// seedDemoParties adds one relying party per sector to the demo and writes
// their API keys to demo.json. Keys are shown only once, so parties already
// recorded in demo.json are kept rather than created again.
func seedDemoParties(ctx context.Context, cfg *config, ed *edocs, res *demo.Result) error {
	if _, ok := res.Extra["relying_parties"]; ok {
		return nil
	}
	parties, err := relyingparties.SeedDemo(ctx, ed.parties)
	if err != nil {
		return fmt.Errorf("demo relying parties: %w", err)
	}
	raw, err := json.Marshal(parties)
	if err != nil {
		return err
	}
	if res.Extra == nil {
		res.Extra = map[string]json.RawMessage{}
	}
	res.Extra["relying_parties"] = raw
	return demo.WriteAs(cfg.DataDir, demoFileName(cfg), res)
}
