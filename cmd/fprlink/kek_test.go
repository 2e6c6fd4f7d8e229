package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/keys"
)

func TestKEKCommand(t *testing.T) {
	code, out, _ := runCmd(t, nil, "kek")
	if _, err := keys.ParseKEK(strings.TrimSpace(out)); code != 0 || err != nil {
		t.Fatalf("printed KEK: exit %d %q %v", code, out, err)
	}
	path := filepath.Join(t.TempDir(), "secrets", "db.kek")
	env := map[string]string{"FPRLINK_KEK_FILE": path}
	if code, out, errs := runCmd(t, env, "kek"); code != 0 || !strings.Contains(out, path) || strings.Contains(out, "=") {
		t.Fatalf("KEK file: exit %d %q %q", code, out, errs)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("KEK file mode: %v %v", fi, err)
	}
	first, _ := os.ReadFile(path)
	if _, err := keys.LoadOrCreateKEKFile(path); err != nil {
		t.Fatalf("the file is not a KEK the service reads: %v", err)
	}
	if code, _, errs := runCmd(t, env, "kek"); code != 1 || !strings.Contains(errs, "never replaced") {
		t.Fatalf("over an existing file: exit %d %q", code, errs)
	}
	if again, _ := os.ReadFile(path); string(again) != string(first) {
		t.Fatal("an existing KEK file was overwritten")
	}
}

// A configured database is never sealed with the embedded database's KEK
// file by default, and once it has a KEK it refuses any other.
func TestConfiguredDatabaseGetsAKEKOfItsOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		dir := t.TempDir()
		embedded := map[string]string{"FPRLINK_DATA_DIR": dir}
		if code, _, errs := runWithin(t, embedded, "keys", "generate"); code != 0 {
			t.Fatalf("embedded: %d %s", code, errs)
		}
		url := "sqlite:" + filepath.Join(t.TempDir(), "configured.db")
		if db.Dialect == storage.Postgres {
			url = schemaURL(t, db)
		}
		env := map[string]string{"FPRLINK_DATA_DIR": dir, "FPRLINK_DATABASE_URL": url}
		code, _, errs := runWithin(t, env, "serve", "-listen", "127.0.0.1:0")
		if code != 1 || !strings.Contains(errs, "made for the embedded database") || !strings.Contains(errs, "fprlink kek") {
			t.Fatalf("with the embedded KEK file: exit %d, %q", code, errs)
		}
		env["FPRLINK_KEK_FILE"] = filepath.Join(dir, "configured.kek")
		if code, _, errs := runWithin(t, env, "kek"); code != 0 {
			t.Fatalf("kek: %d %s", code, errs)
		}
		base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, env)
		if code := get(t, base+"/readyz"); code != http.StatusOK {
			t.Fatalf("readyz: %d", code)
		}
		stop()
		// Even naming the embedded KEK file now is refused: the database
		// remembers its own.
		env["FPRLINK_KEK_FILE"] = filepath.Join(dir, "kek")
		code, _, errs = runWithin(t, env, "keys", "list")
		if code != 1 || !strings.Contains(errs, "not the one this database was set up with") {
			t.Fatalf("another KEK: exit %d, %q", code, errs)
		}
	})
}
