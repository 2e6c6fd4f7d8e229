// Package migrations holds the versioned SQL that defines fprlink's schema,
// one folder per dialect, embedded in the binary. Migrations are the only way
// the schema changes; gorm never creates tables.
//
// Version numbers are grouped by capability so parallel work does not
// collide: 1–99 foundation, 100s registry and accounts, 200s keys and status
// lists, 300s directory and guidelines, 400s attestations and verification,
// 500s appointments, 600s applications. Each migration must leave a schema
// that the previous release can still run against.
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
