package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// The SQLite demo and then a PostgreSQL demo from the same folder: the
// PostgreSQL database gets logins and relying parties of its own, in its
// own file, and the SQLite demo's logins, keys and KEK are left alone.
func TestPostgresDemoBesideTheSQLiteDemo(t *testing.T) {
	db := dbtest.Postgres(t)
	dir := t.TempDir()
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-data-dir", dir}, nil)
	sqliteFiles := readDemo(t, dir, "demo.json")
	stop()
	sqliteJSON, _ := os.ReadFile(filepath.Join(dir, "demo.json"))
	sqliteKEK, _ := os.ReadFile(filepath.Join(dir, "kek"))

	env := map[string]string{"FPRLINK_DATA_DIR": dir, "FPRLINK_DATABASE_URL": schemaURL(t, db),
		"FPRLINK_KEK_FILE": filepath.Join(dir, "postgres.kek")}
	if code, _, errs := runWithin(t, env, "kek"); code != 0 {
		t.Fatalf("kek: %d %s", code, errs)
	}
	pgBase, stopPG := startServe(t, []string{"-listen", "127.0.0.1:0", "--demo"}, env)
	pgFiles := readDemo(t, dir, "demo-postgres.json")
	if pgFiles.DatabaseID == "" || pgFiles.DatabaseID == sqliteFiles.DatabaseID ||
		pgFiles.Password("erik") == sqliteFiles.Password("erik") || bankKey(t, pgFiles) == bankKey(t, sqliteFiles) {
		t.Fatal("the PostgreSQL demo shares the SQLite demo's logins or keys")
	}
	doc, _ := issueAs(t, pgBase, pgFiles, "erik")
	if got := verifyAsBank(t, pgBase, bankKey(t, pgFiles), doc.QRText); got != "valid" {
		t.Fatalf("PostgreSQL demo bank: %s", got)
	}
	stopPG()
	// Seeding again keeps this database's file as it is.
	_, stopPG = startServe(t, []string{"-listen", "127.0.0.1:0", "--demo"}, env)
	stopPG()
	if again := readDemo(t, dir, "demo-postgres.json"); again.Password("erik") != pgFiles.Password("erik") || bankKey(t, again) != bankKey(t, pgFiles) {
		t.Fatal("a second --demo changed the PostgreSQL demo's logins")
	}

	if b, _ := os.ReadFile(filepath.Join(dir, "demo.json")); string(b) != string(sqliteJSON) {
		t.Fatalf("the SQLite demo's demo.json changed:\n%s", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kek")); string(b) != string(sqliteKEK) {
		t.Fatal("the SQLite demo's KEK changed")
	}
	base, stop = startServe(t, []string{"-listen", "127.0.0.1:0", "-data-dir", dir}, nil)
	defer stop()
	doc, _ = issueAs(t, base, sqliteFiles, "erik")
	if got := verifyAsBank(t, base, bankKey(t, sqliteFiles), doc.QRText); got != "valid" {
		t.Fatalf("SQLite demo bank afterwards: %s", got)
	}
}

// A demo file left by a database that is gone is kept aside, and the new
// database gets its own logins and relying parties.
func TestDemoFileOfAnotherDatabaseIsSetAside(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-data-dir", dir}, nil)
	stop()
	first := readDemo(t, dir, "demo.json")
	for _, f := range []string{"fprlink.db", "fprlink.db-wal", "fprlink.db-shm"} {
		_ = os.Remove(filepath.Join(dir, f))
	}
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-data-dir", dir}, nil)
	defer stop()
	second := readDemo(t, dir, "demo.json")
	if second.DatabaseID == first.DatabaseID || second.Password("erik") == first.Password("erik") {
		t.Fatal("the new database reused the old one's demo file")
	}
	if kept := readDemo(t, dir, "demo-"+first.DatabaseID[:8]+".json"); kept.Password("erik") != first.Password("erik") {
		t.Fatal("the old demo file was not kept")
	}
	doc, _ := issueAs(t, base, second, "erik")
	if got := verifyAsBank(t, base, bankKey(t, second), doc.QRText); got != "valid" {
		t.Fatalf("demo bank of the new database: %s", got)
	}
}
