package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/demo"
)

func noEnv(string) string { return "" }

func TestAdminCreate(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	base := []string{"admin", "create", "--data-dir", dir, "--username"}
	rows := []struct {
		name  string
		args  []string
		stdin string
		env   map[string]string
		code  int
		out   string
	}{
		{"from stdin", append(base, "root1"), "a long admin password\n", nil, 0, "created admin root1"},
		{"from the environment", append(base, "root2"), "", map[string]string{"FPRLINK_ADMIN_PASSWORD": "another long password"}, 0, "created admin root2"},
		{"taken username", append(base, "root1"), "a long admin password\n", nil, 1, ""},
		{"short password", append(base, "root3"), "short\n", nil, 1, ""},
		{"no password", append(base, "root4"), "", nil, 2, ""},
		{"no username", []string{"admin", "create", "--data-dir", dir}, "x\n", nil, 2, ""},
		{"unknown subcommand", []string{"admin", "delete"}, "", nil, 2, ""},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			getenv := func(k string) string { return r.env[k] }
			code := run(ctx, r.args, strings.NewReader(r.stdin), &out, &errb, getenv)
			if code != r.code || !strings.Contains(out.String(), r.out) {
				t.Fatalf("exit %d (want %d), out %q, err %q", code, r.code, out.String(), errb.String())
			}
		})
	}
}

func appWith(t *testing.T, args ...string) *app {
	t.Helper()
	fs := newFlagSet("serve", "serve", io.Discard)
	cfg, err := bindConfig(fs, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	fs.BoolVar(&cfg.Demo, "demo", false, "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	a, err := buildApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.db.Close() })
	return a
}

func TestDemoSeededOnFirstEmbeddedStart(t *testing.T) {
	dir := t.TempDir()
	first := appWith(t, "--data-dir", dir)
	if first.demo == nil || len(first.demo.Accounts) != 6 {
		t.Fatalf("first start did not seed: %+v", first.demo)
	}
	onDisk, err := demo.ReadFile(dir)
	if err != nil || onDisk.Password("demo-admin") != first.demo.Password("demo-admin") {
		t.Fatalf("demo.json: %+v %v", onDisk, err)
	}
	var out bytes.Buffer
	printDemo(&out, &config{DataDir: dir}, first.demo)
	if !strings.Contains(out.String(), "demo-officer") || !strings.Contains(out.String(), first.demo.Password("erik")) {
		t.Fatalf("printed %q", out.String())
	}
	_ = first.db.Close()
	second := appWith(t, "--data-dir", dir)
	if second.demo != nil {
		t.Fatal("seeded again without --demo on a non-empty registry")
	}
	_ = second.db.Close()
	third := appWith(t, "--data-dir", dir, "--demo")
	if third.demo == nil || third.demo.Password("erik") != first.demo.Password("erik") {
		t.Fatal("--demo did not keep the recorded passwords")
	}
}

func TestDemoNeverSeedsConfiguredDatabaseUnasked(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "configured.db")
	kekFile := filepath.Join(dir, "configured.kek")
	if err := os.WriteFile(kekFile, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	a := appWith(t, "--data-dir", dir, "--database-url", url, "--kek-file", kekFile)
	if a.demo != nil {
		t.Fatal("seeded a configured database without --demo")
	}
	if _, err := os.Stat(filepath.Join(dir, demo.FileName)); !os.IsNotExist(err) {
		t.Fatalf("demo.json written: %v", err)
	}
	_ = a.db.Close()
	b := appWith(t, "--data-dir", dir, "--database-url", url, "--kek-file", kekFile, "--demo")
	if b.demo == nil {
		t.Fatal("--demo did not seed a configured database")
	}
}
