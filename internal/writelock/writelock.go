// Package writelock serialises read-then-write transactions across
// connections and nodes.
//
// On PostgreSQL it takes a transaction-scoped advisory lock named by a
// string. On SQLite it makes the transaction a writer at once: the DSN asks
// for BEGIN IMMEDIATE, but the pure-Go driver ignores _txlock whenever
// _time_format is also given, so a transaction that reads first and writes
// later would fail with SQLITE_BUSY_SNAPSHOT (517) when another writer
// committed in between. A no-op UPDATE takes the write lock up front, and
// busy_timeout makes concurrent writers queue instead of failing.
package writelock

import (
	"fmt"
	"hash/fnv"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
)

// Take locks name for the rest of transaction tx. table must be a table the
// caller owns; on SQLite a no-op UPDATE of it takes the write lock.
func Take(tx *gorm.DB, d storage.Dialect, name, table string) error {
	var err error
	if d == storage.Postgres {
		h := fnv.New64a()
		_, _ = h.Write([]byte(name))
		err = tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(h.Sum64())).Error
	} else {
		err = tx.Exec("UPDATE " + table + " SET rowid = rowid WHERE 0").Error
	}
	if err != nil {
		return fmt.Errorf("writelock: %s: %w", name, err)
	}
	return nil
}
