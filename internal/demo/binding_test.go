package demo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileNameFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		dialect  string
		embedded bool
		want     string
	}{{"sqlite", true, "demo.json"}, {"postgres", false, "demo-postgres.json"}, {"sqlite", false, "demo-sqlite.json"}} {
		if got := FileNameFor(c.dialect, c.embedded); got != c.want {
			t.Errorf("FileNameFor(%s, %v) = %s, want %s", c.dialect, c.embedded, got, c.want)
		}
	}
}

// A demo file is only ever read as the logins of the database it was
// made for.
func TestReadForBindsTheFileToItsDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const name = "demo-postgres.json"
	if r, aside, err := ReadFor(dir, name, "db-one"); err != nil || aside != "" || r.DatabaseID != "db-one" || len(r.Accounts) != 0 {
		t.Fatalf("no file yet: %+v %q %v", r, aside, err)
	}
	mine := &Result{DatabaseID: "db-one-0000", Accounts: []Account{{Username: "erik", Password: "pw-one", Role: "resident"}}}
	if err := WriteAs(dir, name, mine); err != nil {
		t.Fatal(err)
	}
	if r, aside, err := ReadFor(dir, name, "db-one-0000"); err != nil || aside != "" || r.Password("erik") != "pw-one" {
		t.Fatalf("own file: %+v %q %v", r, aside, err)
	}
	r, aside, err := ReadFor(dir, name, "db-two")
	if err != nil || aside != "demo-postgres-db-one-0.json" || r.Password("erik") != "" || r.DatabaseID != "db-two" {
		t.Fatalf("another database's file: %+v %q %v", r, aside, err)
	}
	if kept, err := read(filepath.Join(dir, aside)); err != nil || kept.Password("erik") != "pw-one" {
		t.Fatalf("the other database's logins were not kept: %+v %v", kept, err)
	}
	if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
		t.Fatalf("the other database's file is still in place: %v", err)
	}
	// A file from before files carried an id is taken as this database's.
	if err := WriteAs(dir, name, &Result{Accounts: mine.Accounts}); err != nil {
		t.Fatal(err)
	}
	if r, aside, err := ReadFor(dir, name, "db-two"); err != nil || aside != "" || r.Password("erik") != "pw-one" || r.DatabaseID != "db-two" {
		t.Fatalf("legacy file: %+v %q %v", r, aside, err)
	}
}
