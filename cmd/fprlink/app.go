package main

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"path"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/demo"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/wiring"
	"github.com/fprlink/fprlink/web"
)

// app is the wired service: every dependency built once, here.
type app struct {
	db      *storage.DB
	handler http.Handler
	demo    *demo.Result // the demo logins when demo data was seeded
	// endings warns helpers of grants about to expire or lapse.
	endings func(ctx context.Context) (int, error)
	// metrics serves /metrics on -metrics-listen; nil when /metrics is on
	// the public handler.
	metrics http.Handler
	// keepers refresh, in the background while the node serves, what is
	// served from memory: the directory and guideline snapshots, the JWKS,
	// a token of every status list.
	keepers map[string]keeper
}

// keeper refreshes one in-memory copy until ctx ends, telling failed of
// each refresh that fails (directory.Service.Keep, …).
type keeper func(ctx context.Context, failed func(error))

func openDB(ctx context.Context, cfg *config, clk clock.Clock, log *slog.Logger) (*storage.DB, error) {
	return storage.Open(ctx, storage.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Clock: clk, Logger: log,
		ReplicaURL: cfg.ReplicaURL, ReplicaMaxLag: cfg.ReplicaMaxLag})
}

// openMigratedDB opens the database and applies the pending migrations,
// returning how many. With -migrate=false it only checks that none is
// pending. The database is closed again on failure.
func openMigratedDB(ctx context.Context, cfg *config, clk clock.Clock, log *slog.Logger) (*storage.DB, int, error) {
	db, err := openDB(ctx, cfg, clk, log)
	if err != nil {
		return nil, 0, err
	}
	if !cfg.AutoMigrate {
		if err := requireMigrated(ctx, db); err != nil {
			_ = db.Close()
			return nil, 0, err
		}
		return db, 0, nil
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		_ = db.Close()
		return nil, 0, err
	}
	return db, n, nil
}

// requireMigrated refuses a database with pending migrations: the service
// would otherwise fail on its first missing table.
func requireMigrated(ctx context.Context, db *storage.DB) error {
	st, err := db.MigrationStatuses(ctx)
	if err != nil {
		return fmt.Errorf("checking the database schema: %w", err)
	}
	var pending []string
	for _, s := range st {
		if !s.Applied {
			pending = append(pending, path.Base(s.Name))
		}
	}
	const fix = `run "fprlink migrate up" first, or let the command migrate (-migrate, FPRLINK_AUTO_MIGRATE)`
	switch {
	case len(pending) == 0:
		return nil
	case len(pending) == len(st):
		return fmt.Errorf("the %s database has no fprlink schema yet: %s", db.Dialect, fix)
	}
	return fmt.Errorf("the %s database lacks %d migration(s), from %s: %s", db.Dialect, len(pending), pending[0], fix)
}

func buildApp(ctx context.Context, cfg *config, log *slog.Logger) (*app, error) {
	clk := clock.Real{}
	k, err := loadKEK(cfg)
	if err != nil {
		return nil, err
	}
	db, applied, err := openMigratedDB(ctx, cfg, clk, log)
	if err != nil {
		return nil, err
	}
	if cfg.AutoMigrate {
		log.Info("database migrated", slog.String("dialect", string(db.Dialect)), slog.Int("applied", applied))
	}
	svc, err := wiring.Build(ctx, db, clk, wiring.Options{Accounts: accounts.Options{EnrolCodeTTL: cfg.EnrolCodeTTL,
		ResidentIDPepper: residentIDPepper(k.key)}, SnapshotTTL: cfg.SnapshotTTL})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	demoLogins, err := seedDemo(ctx, cfg, db, svc, log)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	ed, err := buildEDocs(ctx, cfg, k, db, clk, log, wiring.Holders{Reg: svc.Registry})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("e-documents: %w", err)
	}
	if demoLogins != nil {
		if err := seedDemoParties(ctx, cfg, ed, demoLogins); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The pages call the API in-process through the handler built here;
	// it exists only once api.New returns, hence the indirection.
	// Their form tokens are keyed from the KEK, which every node shares, so
	// a form rendered by one node is accepted by the next.
	var apiHandler http.Handler
	csrfKey, err := hkdf.Key(sha256.New, k.key, nil, "fprlink web form tokens", 32)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	site, err := web.New(web.Options{Logger: log, Clock: clk, SecureCookies: cfg.SecureCookies, CSRFKey: csrfKey,
		API: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { apiHandler.ServeHTTP(w, r) })})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("web pages: %w", err)
	}
	h, err := api.New(api.Deps{
		Logger: log, Clock: clk, DB: db, PoolSQL: db.SQL, Replica: db, Metrics: reg, MetricsElsewhere: cfg.MetricsListen != "",
		BodyLimit: cfg.BodyLimit, ImportLimit: cfg.ImportLimit, Version: version(), TrustedProxies: cfg.TrustedProxies,
		Auth: api.AccountsAuth{Sessions: svc.Accounts},
		Accounts: api.Accounts{Enrolment: svc.Accounts, SignIn: svc.Accounts, Passwords: svc.Accounts, Admin: svc.Accounts,
			Helpers: svc.Accounts},
		Registry: api.Registry{Mine: svc.Registry, Persons: svc.Registry, Documents: svc.Registry,
			Reissues: svc.Registry, Importer: svc.Registry},
		Directory:  api.Directory{Centers: svc.Directory, Editor: svc.Directory, Schedule: svc.Directory},
		Guidelines: api.Guidelines{Reader: svc.Guidelines, Publisher: svc.Guidelines},
		Appointments: api.Appointments{Finder: svc.Appointments, Bookings: svc.Appointments, Own: svc.Appointments,
			Desk: svc.Appointments, Notifications: svc.Notifications, Bookers: svc.Accounts},
		Applications: api.Applications{Views: svc.Applications, Desk: svc.Applications,
			InquiryLimit: api.InquiryLimit{Every: cfg.InquiryInterval, Burst: cfg.InquiryBurst}},
		Audit: api.Audit{Trail: svc.Audit},
		Assistance: api.Assistance{Gate: svc.Assistance, Helpers: svc.Assistance, Principals: svc.Assistance,
			Activity: svc.Assistance, Officers: svc.Assistance, Decisions: svc.Assistance},

		EDocuments: ed.documents, Verify: ed.verify, RelyingParties: ed.partyAdmin, Publication: ed.publication,
		Pages: site.Register,
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("building HTTP handler: %w", err)
	}
	apiHandler = h
	keepers := map[string]keeper{"directory": svc.Directory.Keep, "guidelines": svc.Guidelines.Keep}
	maps.Copy(keepers, ed.keepers)
	a := &app{db: db, handler: h, demo: demoLogins, keepers: keepers}
	a.endings = func(ctx context.Context) (int, error) {
		return svc.Assistance.NoticeEnding(ctx, assistance.EndingNoticeLead)
	}
	if cfg.MetricsListen != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", api.MetricsHandler(reg))
		a.metrics = mux
	}
	return a, nil
}
