package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/notifications"

	"github.com/fprlink/fprlink/internal/demo"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
)

// app is the wired service: every dependency built once, here.
type app struct {
	db      *storage.DB
	handler http.Handler
	demo    *demo.Result // the demo logins when demo data was seeded
}

func openDB(ctx context.Context, cfg *config, clk clock.Clock, log *slog.Logger) (*storage.DB, error) {
	return storage.Open(ctx, storage.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Clock: clk, Logger: log})
}

func buildApp(ctx context.Context, cfg *config, log *slog.Logger) (*app, error) {
	clk := clock.Real{}
	db, err := openDB(ctx, cfg, clk, log)
	if err != nil {
		return nil, err
	}
	if cfg.AutoMigrate {
		n, err := db.Migrate(ctx)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		log.Info("database migrated", slog.String("dialect", string(db.Dialect)), slog.Int("applied", n))
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Accounts and the identity registry (issue 3).
	people := registry.New(db, clk)
	accts, err := accounts.New(db, clk, people, accounts.Options{})
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	demoLogins, err := seedDemo(ctx, cfg, people, accts, log)
	if err != nil {
		_ = db.Close()
		return nil, err
	}

	h, err := api.New(api.Deps{
		Logger: log, Clock: clk, DB: db, PoolSQL: db.SQL, Registry: reg,
		BodyLimit: cfg.BodyLimit, Version: version(),
		// Applications (issue 8): ApplicationViews and ApplicationDesk are an
		// *applications.Service, built once the registry and directory
		// adapters exist; until then those routes answer 503.
		InquiryLimit: api.InquiryLimit{Every: cfg.InquiryInterval, Burst: cfg.InquiryBurst},

		// Appointments (issue 7): appointments.New(db, centers, clk, …) needs
		// the directory (issue 6) as its Centers; until that adapter is wired
		// the appointment routes answer 503.
		Notifications: notifications.NewStore(db.Gorm),

		Auth: api.AccountsAuth{Sessions: accts}, Accounts: accts,
		Persons: people, Documents: people, Importer: people, MyDocuments: people,
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("building HTTP handler: %w", err)
	}
	return &app{db: db, handler: h, demo: demoLogins}, nil
}
