package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileNameFor is the demo logins file of a database: demo.json for the
// embedded default, demo-<dialect>.json for a configured database, so the
// SQLite demo and a PostgreSQL one run from the same folder keep their
// own logins and relying-party keys.
func FileNameFor(dialect string, embedded bool) string {
	if embedded {
		return FileName
	}
	return "demo-" + dialect + ".json"
}

// ReadFor reads <dir>/<name> as the demo file of database databaseID. A
// file made for another database (one that was dropped and made again at
// the same address, say) holds logins and API keys that do not exist
// here: it is renamed aside, keeping its id in the name, and an empty
// result is returned with the name it was moved to. A file from before
// files carried an id is taken as this database's.
func ReadFor(dir, name, databaseID string) (*Result, string, error) {
	path := filepath.Join(dir, name)
	r, err := read(path)
	if err != nil || r.DatabaseID == "" || r.DatabaseID == databaseID {
		if r != nil {
			r.DatabaseID = databaseID
		}
		return r, "", err
	}
	short := r.DatabaseID
	if len(short) > 8 {
		short = short[:8]
	}
	aside := strings.TrimSuffix(name, ".json") + "-" + short + ".json"
	if err := os.Rename(path, filepath.Join(dir, aside)); err != nil {
		return nil, "", fmt.Errorf("demo: set aside %s: %w", name, err)
	}
	return &Result{DatabaseID: databaseID}, aside, nil
}
