package main

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func withSearchPath(t *testing.T, schema string) string {
	t.Helper()
	u, err := url.Parse(os.Getenv(dbtest.EnvURL))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestReadyzFollowsPostgresOutage(t *testing.T) {
	db := dbtest.Postgres(t)
	var schema string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(withSearchPath(t, schema))
	p := &dbtest.Proxy{Target: u.Host}
	p.Start(t)
	u.Host = p.Addr()
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-migrate=false"},
		map[string]string{"FPRLINK_DATABASE_URL": u.String(), "FPRLINK_DATA_DIR": t.TempDir(), "FPRLINK_KEK": strings.Repeat("ab", 32)})
	defer stop()
	if code := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("before outage: %d", code)
	}
	p.Cut()
	waitFor(t, func() bool { return get(t, base+"/readyz") == 503 }, "503 during outage")
	if code := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("healthz must stay 200 during a database outage: %d", code)
	}
	p.Start(t)
	waitFor(t, func() bool { return get(t, base+"/readyz") == 200 }, "200 after recovery")
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
