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
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/guidelines"
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
	// Directory and guidelines (issue 6): seed the shipped reference data
	// (each file version once, so officers' edits survive restarts) and
	// serve reads from memory.
	dir := directory.NewService(db.Gorm, clk, directory.DefaultTTL)
	guides := guidelines.NewService(db.Gorm, clk, guidelines.DefaultTTL)
	if err := seedReferenceData(ctx, dir, guides); err != nil {
		_ = db.Close()
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h, err := api.New(api.Deps{
		Logger: log, Clock: clk, DB: db, PoolSQL: db.SQL, Registry: reg,
		BodyLimit: cfg.BodyLimit, Version: version(),
		Directory: dir, Guidelines: guides,
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("building HTTP handler: %w", err)
	}
	return &app{db: db, handler: h}, nil
}

// seedReferenceData loads the directory's and guidelines' shipped data. It
// needs the schema: with -migrate=false, run "fprlink migrate up" first or
// startup stops here with the database error.
func seedReferenceData(ctx context.Context, dir *directory.Service, guides *guidelines.Service) error {
	if err := dir.Seed(ctx); err != nil {
		return fmt.Errorf("seeding the service-centre directory: %w", err)
	}
	if err := guides.Seed(ctx); err != nil {
		return fmt.Errorf("seeding the guidelines: %w", err)
	}
	return nil
}
