package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestMigrateStatusListsAppliedVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		env := map[string]string{"FPRLINK_DATA_DIR": filepath.Join(t.TempDir(), "d")}
		if db.Dialect == storage.Postgres {
			env["FPRLINK_DATABASE_URL"] = schemaURL(t, db)
		}
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"migrate", "status"}, strings.NewReader(""), &out, &errb, envFrom(env)); code != 0 {
			t.Fatalf("status before up: %d %s", code, errb.String())
		}
		if db.Dialect == storage.SQLite && !strings.Contains(out.String(), "pending") {
			t.Fatalf("fresh SQLite should list pending migrations:\n%s", out.String())
		}
		out.Reset()
		if code := run(context.Background(), []string{"migrate", "up"}, strings.NewReader(""), &out, &errb, envFrom(env)); code != 0 {
			t.Fatalf("up: %d %s", code, errb.String())
		}
		out.Reset()
		run(context.Background(), []string{"migrate", "status"}, strings.NewReader(""), &out, &errb, envFrom(env))
		if !strings.Contains(out.String(), "00001_foundation.sql") || strings.Contains(out.String(), "pending") {
			t.Fatalf("after up every version should be applied:\n%s", out.String())
		}
	})
}

// schemaURL recovers the URL dbtest used for this schema.
func schemaURL(t *testing.T, db *storage.DB) string {
	t.Helper()
	var schema string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	return withSearchPath(t, schema)
}
