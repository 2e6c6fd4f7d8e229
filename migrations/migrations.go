// Package migrations holds the versioned SQL that defines fprlink's schema,
// one folder per dialect, embedded in the binary. Migrations are the only way
// the schema changes; gorm never creates tables.
//
// The first versions are grouped by capability: 1–99 foundation, 100s
// registry and accounts, 200s keys and status lists, 300s directory and
// guidelines, 400s attestations and verification, 500s appointments, 600s
// applications. From 700 on each change takes the next free block, so work
// done side by side does not collide, and the order is the order of
// application: a SQLite migration that rebuilds a table (01000 rebuilds
// fpr_cards and passports) lists every column, so it must come after every
// migration that adds one to those tables. Each migration must leave a
// schema that the previous release can still run against.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// FS returns the migrations for a dialect ("postgres" or "sqlite").
func FS(dialect string) (fs.FS, error) {
	return fs.Sub(files, dialect)
}
