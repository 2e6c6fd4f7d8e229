package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestLoadRecordsEveryAnsweredCall is acceptance 4: after a load run
// through the real router and a loopback listener, the verification rows
// equal the answered calls. It runs on PostgreSQL when configured. Set
// FPRLINK_LOAD_CLIENTS and FPRLINK_LOAD_DURATION for a full measured run
// (docs/PERFORMANCE.md); the report is logged, never asserted on.
func TestLoadRecordsEveryAnsweredCall(t *testing.T) {
	var db *storage.DB
	if os.Getenv(dbtest.EnvURL) != "" {
		db = dbtest.Postgres(t)
	} else {
		db = dbtest.SQLite(t)
	}
	clients, dur := 4, 500*time.Millisecond
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_CLIENTS")); err == nil {
		clients = n
	}
	if d, err := time.ParseDuration(os.Getenv("FPRLINK_LOAD_DURATION")); err == nil {
		dur = d
	}
	e := attestationstest.New(t, db, clock.NewFake(time.Now().UTC()))
	e.Holders.Put(attestationstest.Sample("alice"))
	ctx := context.Background()
	doc, err := e.Service.Issue(ctx, "alice", "")
	if err != nil {
		t.Fatal(err)
	}
	party, err := e.Parties.Create(ctx, audit.System, "", relyingparties.CreateRequest{Name: "Load Bank", Sector: "bank"})
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, api.Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: e.Clock, DB: db,
		EDocuments: api.EDocumentDeps{Verifier: e.Service, APIKeys: e.Parties,
			Limiter: relyingparties.NewLimiter(0, 1, e.Clock)}})
	before, _ := countVerifications(ctx, db)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	rep := Run(ctx, Config{URL: base + "/api/v1/verify", APIKey: party.APIKey, Input: doc.QRText,
		Clients: clients, Duration: dur}, client)
	var out strings.Builder
	rep.Print(&out)
	t.Logf("%s on %s:\n%s", t.Name(), db.Dialect, out.String())
	after, _ := countVerifications(ctx, db)
	if rep.Answered == 0 || rep.Valid != rep.Answered || len(rep.Errors) != 0 {
		t.Fatalf("run failed: %+v", rep)
	}
	if after-before != rep.Answered {
		t.Fatalf("%d verification rows for %d answered calls", after-before, rep.Answered)
	}
}

func serve(t *testing.T, d api.Deps) string {
	t.Helper()
	h, err := api.New(d)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestConfigureRefusals(t *testing.T) {
	f, _ := os.CreateTemp(t.TempDir(), "in")
	_, _ = f.WriteString("fprl:/00")
	_ = f.Close()
	for name, c := range map[string]struct {
		url, input, key string
		clients         int
		dur             time.Duration
	}{
		"fail-remote-host":   {"http://example.com", f.Name(), "k", 1, time.Second},
		"fail-bad-scheme":    {"ftp://127.0.0.1", f.Name(), "k", 1, time.Second},
		"fail-no-key":        {"http://127.0.0.1", f.Name(), "", 1, time.Second},
		"fail-too-many":      {"http://127.0.0.1", f.Name(), "k", maxClients + 1, time.Second},
		"fail-too-long":      {"http://127.0.0.1", f.Name(), "k", 1, maxDuration + time.Second},
		"fail-missing-input": {"http://[::1]:1", "/nonexistent", "k", 1, time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := configure(c.url, c.input, c.key, c.clients, c.dur); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := configure("http://localhost:8080", f.Name(), "k", 32, 10*time.Second); err != nil {
		t.Fatalf("loopback refused: %v", err)
	}
}
