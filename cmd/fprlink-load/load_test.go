package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
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
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/internal/wiring"
	"github.com/fprlink/fprlink/keys"
)

// TestLoadRecordsEveryAnsweredCall is acceptance 4: after a load run
// through the real router and a loopback listener, the verification rows
// equal the answered calls. The service is wired as the binary wires it,
// with the real registry behind the online checks, and the clients verify
// many residents' documents in turn. It runs on PostgreSQL when
// configured. Set FPRLINK_LOAD_CLIENTS, FPRLINK_LOAD_DURATION and
// FPRLINK_LOAD_DOCUMENTS for a full measured run (docs/PERFORMANCE.md); the
// report is logged, never asserted on.
func TestLoadRecordsEveryAnsweredCall(t *testing.T) {
	var db *storage.DB
	if os.Getenv(dbtest.EnvURL) != "" {
		db = dbtest.Postgres(t)
	} else {
		db = dbtest.SQLite(t)
	}
	clients, dur, docs := 4, 500*time.Millisecond, 8
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_CLIENTS")); err == nil {
		clients = n
	}
	if d, err := time.ParseDuration(os.Getenv("FPRLINK_LOAD_DURATION")); err == nil {
		dur = d
	}
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_DOCUMENTS")); err == nil && n > 0 {
		docs = n
	}
	ctx := context.Background()
	ed, inputs := issueDocuments(t, db, docs)
	party, err := ed.Parties.Create(ctx, audit.System, relyingparties.CreateRequest{Name: "Load Bank", Sector: "bank"})
	if err != nil {
		t.Fatal(err)
	}
	base := serve(t, api.Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock.Real{}, DB: db,
		Verify: api.Verify{Verifier: ed.Service, APIKeys: ed.Parties,
			Limiter: relyingparties.NewLimiter(clock.Real{}, 0, 1)}})
	before, _ := countVerifications(ctx, db)
	cpu0 := sampleCPU()
	rep := Run(ctx, Config{URL: base + "/api/v1/verify", APIKey: party.APIKey, Inputs: inputs,
		Clients: clients, Duration: dur})
	cpu1 := sampleCPU()
	var out strings.Builder
	rep.Print(&out)
	t.Logf("%s on %s, %d documents:\n%s%s", t.Name(), db.Dialect, len(inputs), out.String(), perCall(cpu0, cpu1, rep.Answered))
	after, _ := countVerifications(ctx, db)
	if rep.Answered == 0 || rep.Valid != rep.Answered || len(rep.Errors) != 0 {
		t.Fatalf("run failed: %+v", rep)
	}
	if after-before != rep.Answered {
		t.Fatalf("%d verification rows for %d answered calls", after-before, rep.Answered)
	}
}

// TestLoadBatchedAgainstPlain compares, in one run on one database, the
// verify API as built against the plain baseline (PlainVerify: one record
// read and one audit insert per call, no shared round trips), alternating
// FPRLINK_LOAD_ROUNDS times (1 by default), and checks that every answered
// call of both left its row. The reports are logged, never asserted on:
// performance is read from them (docs/PERFORMANCE.md), not tested.
func TestLoadBatchedAgainstPlain(t *testing.T) {
	var db *storage.DB
	if os.Getenv(dbtest.EnvURL) != "" {
		db = dbtest.Postgres(t)
	} else {
		db = dbtest.SQLite(t)
	}
	clients, dur, docs, rounds := 4, 300*time.Millisecond, 8, 1
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_CLIENTS")); err == nil {
		clients = n
	}
	if d, err := time.ParseDuration(os.Getenv("FPRLINK_LOAD_DURATION")); err == nil {
		dur = d
	}
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_DOCUMENTS")); err == nil && n > 0 {
		docs = n
	}
	if n, err := strconv.Atoi(os.Getenv("FPRLINK_LOAD_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	ctx := context.Background()
	ed, inputs, plain := issueDocumentsWithPlain(t, db, docs)
	party, err := ed.Parties.Create(ctx, audit.System, relyingparties.CreateRequest{Name: "Load Bank", Sector: "bank"})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bases := map[string]string{}
	for name, e := range map[string]*wiring.EDocs{"batched": ed, "plain": plain} {
		bases[name] = serve(t, api.Deps{Logger: log, Clock: clock.Real{}, DB: db,
			Verify: api.Verify{Verifier: e.Service, APIKeys: e.Parties, Limiter: relyingparties.NewLimiter(clock.Real{}, 0, 1)}})
	}
	for r := range rounds {
		for _, name := range []string{"plain", "batched"} {
			before, _ := countVerifications(ctx, db)
			rep := Run(ctx, Config{URL: bases[name] + "/api/v1/verify", APIKey: party.APIKey, Inputs: inputs,
				Clients: clients, Duration: dur})
			after, _ := countVerifications(ctx, db)
			var out strings.Builder
			rep.Print(&out)
			t.Logf("round %d, %s on %s:\n%s", r+1, name, db.Dialect, out.String())
			if rep.Answered == 0 || rep.Valid != rep.Answered || len(rep.Errors) != 0 {
				t.Fatalf("%s run failed: %+v", name, rep)
			}
			if after-before != rep.Answered {
				t.Fatalf("%s: %d verification rows for %d answered calls", name, after-before, rep.Answered)
			}
		}
	}
}

// issueDocuments imports n residents into the registry and issues each an
// e-document, returning the wired service and the documents' QR texts.
func issueDocuments(t *testing.T, db *storage.DB, n int) (*wiring.EDocs, []string) {
	t.Helper()
	ed, inputs, _ := issueDocumentsWithPlain(t, db, n)
	return ed, inputs
}

// issueDocumentsWithPlain is issueDocuments also returning the same
// capability built with attestations.EDocOptions.PlainVerify, over the
// same database, keys and documents.
func issueDocumentsWithPlain(t *testing.T, db *storage.DB, n int) (*wiring.EDocs, []string, *wiring.EDocs) {
	t.Helper()
	ctx := context.Background()
	clk := clock.Real{}
	reg := registry.New(db, clk, registry.Hooks{})
	var file bytes.Buffer
	birth := calendar.Date{Year: 1970, Month: 1, Day: 1}
	for i := range n {
		b := birth.AddDays(i)
		line, _ := json.Marshal(registry.ImportLine{Surname: "LOAD", GivenNames: "RESIDENT", Sex: "F",
			BirthDate: b.String(), Nationality: "FRA",
			Passport: &registry.ImportPassport{Number: fmt.Sprintf("L%08d", i), IssuingState: "FRA",
				IssueDate: "2024-01-15", ExpiryDate: "2034-01-14"},
			FPRCard: &registry.ImportFPRCard{Number: docnum.MakeFPR2023("11", "FRA", b, i%1000),
				IssueDate: "2024-01-15", ExpiryDate: "2034-01-14"}})
		file.Write(append(line, '\n'))
	}
	if _, err := reg.Import(ctx, audit.System, &file); err != nil {
		t.Fatal(err)
	}
	kek := make([]byte, keys.KEKSize)
	_, _ = rand.Read(kek)
	km, err := keys.NewManager(keys.Config{Store: keystore.New(db), KEK: kek, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.EnsureActive(ctx, km); err != nil {
		t.Fatal(err)
	}
	opts := attestations.EDocOptions{
		Issuer: "https://fprlink.example.gov.cn", DocValidity: 90 * 24 * time.Hour, StatusTTL: 5 * time.Minute,
		StatusLifetime: 24 * time.Hour, StatusListSize: 16384}
	ed, err := wiring.BuildEDocs(db, clk, km, wiring.Holders{Reg: reg}, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.PlainVerify = true
	plain, err := wiring.BuildEDocs(db, clk, km, wiring.Holders{Reg: reg}, opts)
	if err != nil {
		t.Fatal(err)
	}
	inputs := make([]string, n)
	for i := range n {
		p, err := reg.PersonByPassport(ctx, "FRA", fmt.Sprintf("L%08d", i))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := ed.Service.Issue(ctx, attestations.IssueRequest{PersonID: p.ID, Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		inputs[i] = doc.QRText
	}
	return ed, inputs, plain
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
	_, _ = f.WriteString("fprl:/00\nfprl:/01\n")
	_ = f.Close()
	empty := f.Name() + ".empty"
	_ = os.WriteFile(empty, []byte("\n  \n"), 0o600)
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
		"fail-empty-input":   {"http://127.0.0.1", empty, "k", 1, time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := configure(c.url, c.input, c.key, c.clients, c.dur); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	cfg, err := configure("http://localhost:8080", f.Name(), "k", 32, 10*time.Second)
	if err != nil || len(cfg.Inputs) != 2 || cfg.Inputs[1] != "fprl:/01" {
		t.Fatalf("loopback: %+v, %v", cfg, err)
	}
}

// TestAnswerValidReadsTheTopLevelMember checks the generator's reading of
// an answer: only a top-level "valid": true counts, wherever it stands.
func TestAnswerValidReadsTheTopLevelMember(t *testing.T) {
	for body, want := range map[string]bool{
		`{"valid":true,"status":"valid","checks":[]}`:                true,
		`{"status":"valid","checks":[{"valid":false}],"valid":true}`: true,
		`{"valid":false,"status":"invalid"}`:                         false,
		`{"status":"invalid","document":{"valid":true}}`:             false,
		`{"type":"about:blank","title":"Unauthorized","status":401}`: false,
		`{"valid":"true"}`: false,
		`not json`:         false,
		``:                 false,
	} {
		if got := answerValid([]byte(body)); got != want {
			t.Errorf("answerValid(%s) = %v, want %v", body, got, want)
		}
	}
}

// TestRunWithRefusedCallsFails: a run in which calls were refused (a 429
// from a rate-limited server) measured the limit, not the service, so the
// command fails and says how to run it.
func TestRunWithRefusedCallsFails(t *testing.T) {
	if err := (Report{Requests: 10}).failed(); err != nil {
		t.Fatalf("a clean run failed: %v", err)
	}
	err := Report{Requests: 10, Errors: map[string]int64{"http_429": 7}}.failed()
	if err == nil || !strings.Contains(err.Error(), "7 of 10") || !strings.Contains(err.Error(), "-verify-rate 0") {
		t.Fatalf("refused calls: %v", err)
	}
}
