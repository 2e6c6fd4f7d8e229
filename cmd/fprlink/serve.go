package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/fprlink/fprlink/internal/clock"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("serve", "serve [flags]", stderr)
	cfg, err := bindConfig(fs, getenv)
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.Demo, "demo", false, "seed the fictional demo registry and accounts (idempotent); without it, demo data is seeded only on the first start of the embedded SQLite default")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: fprlink serve takes flags only, not %q", errUsage, pos[0])
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	a, err := buildApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.db.Close()
	messages, err := buildDispatcher(cfg, a.db, clock.Real{}, log)
	if err != nil {
		return err
	}
	defer runDispatcher(ctx, messages)()
	defer runEndingNotices(ctx, a.endings, log)()
	defer keepCopies(ctx, a.keepers, log)()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: cfg.ReadTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	var metricsSrv *http.Server
	if a.metrics != nil {
		mln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("metrics listen: %w", err)
		}
		metricsSrv = &http.Server{Handler: a.metrics, ReadHeaderTimeout: cfg.ReadTimeout, ReadTimeout: cfg.ReadTimeout,
			WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout, MaxHeaderBytes: 64 << 10,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go func() { _ = metricsSrv.Serve(mln) }()
		defer metricsSrv.Close()
		fmt.Fprintf(stdout, "metrics for operators on http://%s/metrics\n", mln.Addr())
	}
	fmt.Fprintf(stdout, "fprlink %s listening on http://%s (database: %s)\n", version(), ln.Addr(), a.db.Dialect)
	printDemo(stdout, cfg, a.demo)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish within the grace time.
	log.Info("shutting down; a second SIGINT or SIGTERM stops at once")
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownWait)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// keepCopies refreshes every in-memory copy in the background until the
// returned function is called, which waits for them so the database
// outlives them. A refresh that fails is logged at each try; readers keep
// the last copy.
func keepCopies(ctx context.Context, keepers map[string]keeper, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for name, keep := range keepers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keep(ctx, func(err error) {
				log.Warn("refresh failed; serving the last copy", slog.String("copy", name), slog.String("error", err.Error()))
			})
		}()
	}
	return func() { cancel(); wg.Wait() }
}
