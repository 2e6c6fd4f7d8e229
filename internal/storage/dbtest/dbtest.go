// Package dbtest gives each test a fresh, migrated database: SQLite in a
// temporary directory always, and PostgreSQL too when
// FPRLINK_TEST_DATABASE_URL is set. Every PostgreSQL database is a new schema
// of its own, dropped afterwards, so test packages running in parallel never
// see each other's rows.
//
// When FPRLINK_TEST_DATABASE_URL is set, failing to reach PostgreSQL fails the
// test: a database test that silently skipped would prove nothing.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// EnvURL names the variable holding the PostgreSQL URL for tests.
const EnvURL = "FPRLINK_TEST_DATABASE_URL"

// Option adjusts the databases a helper opens.
type Option func(*storage.Options)

// WithClock makes gorm's NowFunc read clk.
func WithClock(clk clock.Clock) Option {
	return func(o *storage.Options) { o.Clock = clk }
}

// Each runs fn as a subtest once per available dialect ("sqlite", and
// "postgres" when configured), each with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB), opts ...Option) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t, opts...)) })
	if os.Getenv(EnvURL) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t, opts...)) })
	}
}

// SQLite opens a fresh migrated SQLite database in a temporary directory.
func SQLite(t testing.TB, opts ...Option) *storage.DB {
	t.Helper()
	dir := t.TempDir()
	o := storage.Options{URL: "sqlite:" + filepath.Join(dir, "test.db"), DataDir: dir}
	return open(t, o, opts)
}

// Postgres opens a fresh migrated schema on the PostgreSQL server named by
// FPRLINK_TEST_DATABASE_URL. Without it the test is skipped locally, but
// fails under CI=true, where PostgreSQL coverage is required.
func Postgres(t testing.TB, opts ...Option) *storage.DB {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s must be set under CI", EnvURL)
		}
		t.Skipf("%s not set; PostgreSQL test skipped", EnvURL)
	}
	ctx := context.Background()
	admin, err := storage.Open(ctx, storage.Options{URL: base})
	if err != nil {
		t.Fatalf("dbtest: cannot reach PostgreSQL at %s: %v", EnvURL, err)
	}
	schema := "t_" + randomHex(t, 8)
	if _, err := admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.SQL.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: bad %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return open(t, storage.Options{URL: u.String()}, opts)
}

func open(t testing.TB, o storage.Options, opts []Option) *storage.DB {
	t.Helper()
	for _, opt := range opts {
		opt(&o)
	}
	db, err := storage.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return db
}

func randomHex(t testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
