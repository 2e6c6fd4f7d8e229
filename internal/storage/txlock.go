package storage

import (
	"fmt"
	"hash/fnv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// LockTx serialises the transactions that lock the same name: tx holds the
// lock until it commits or rolls back. Use it before a read whose result
// decides a write, where row locks cannot help (the rows may not exist yet).
//
// On PostgreSQL it takes a transaction-scoped advisory lock keyed by the
// FNV-64a hash of name; the key must stay the same across releases so that
// nodes of different versions running side by side still exclude each
// other. On SQLite it does nothing: every transaction begins IMMEDIATE (see
// sqliteDSN), so it already holds the database's single write lock.
func (db *DB) LockTx(tx *gorm.DB, name string) error {
	return advisory(tx, "pg_advisory_xact_lock", name)
}

// Lock is LockTx for a transaction handed over as a Tx: the callee takes
// the lock its own transactions take for name, inside the caller's.
func (tx Tx) Lock(name string) error {
	return advisory(tx.g, "pg_advisory_xact_lock", name)
}

// ShareLockTx is LockTx's shared form: transactions holding it for the same
// name run together, and exclude one holding LockTx for it. Many writers
// that must not cross one rare change take it (bookings, against a change
// of their centre's slots) without contending on a row.
func (db *DB) ShareLockTx(tx *gorm.DB, name string) error {
	return advisory(tx, "pg_advisory_xact_lock_shared", name)
}

func advisory(tx *gorm.DB, fn, name string) error {
	if tx.Dialector.Name() != string(Postgres) {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	if err := tx.Exec("SELECT "+fn+"(?)", int64(h.Sum64())).Error; err != nil {
		return fmt.Errorf("storage: lock %s: %w", name, err)
	}
	return nil
}

// RowLock adds a row-locking clause (FOR UPDATE, FOR KEY SHARE, …: the
// strength after FOR) to a query in tx on PostgreSQL. On SQLite it returns
// tx unchanged: a write transaction there already runs alone.
func RowLock(tx *gorm.DB, strength string) *gorm.DB {
	if tx.Dialector.Name() != string(Postgres) {
		return tx
	}
	return tx.Clauses(clause.Locking{Strength: strength})
}
