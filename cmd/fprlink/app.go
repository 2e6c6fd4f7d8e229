package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// app is the wired service: every dependency built once, here.
type app struct {
	db      *storage.DB
	handler http.Handler
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
	// E-documents. unwiredRegistry gives way to the identity registry's
	// adapter of attestations.Holders once that is merged.
	ed, err := buildEDocs(ctx, cfg, db, clk, log, unwiredRegistry{})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("e-documents: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h, err := api.New(api.Deps{
		Logger: log, Clock: clk, DB: db, PoolSQL: db.SQL, Registry: reg,
		BodyLimit: cfg.BodyLimit, Version: version(),
		EDocuments: ed.deps,
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("building HTTP handler: %w", err)
	}
	return &app{db: db, handler: h}, nil
}
