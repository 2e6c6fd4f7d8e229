package storage

import "gorm.io/gorm"

// Tx is a transaction in progress, as one package hands it to another so
// that the other's reads and writes belong to it: a closure and the
// cancellation of that day's appointments commit together, a booking holds
// its centre until it commits. It is a type of its own so that an interface
// between capabilities says "inside the caller's transaction" in its
// signature, and so that nobody can hand over the connection pool where a
// transaction is meant: the work done through the pool would commit on its
// own, whatever became of the caller's.
type Tx struct{ g *gorm.DB }

// TxOf is g, a handle inside a transaction (the tx gorm's Transaction
// gives its function), as a Tx. It panics when g is not inside one: that is
// a programming error that would otherwise surface only as writes that
// survive a rollback.
func TxOf(g *gorm.DB) Tx {
	if !inTransaction(g) {
		panic("storage: TxOf needs a handle inside a transaction")
	}
	return Tx{g: g}
}

// Gorm is the transaction's gorm handle, for the package that reads and
// writes in it.
func (tx Tx) Gorm() *gorm.DB { return tx.g }

// inTransaction reports whether g runs its statements inside a
// transaction.
func inTransaction(g *gorm.DB) bool {
	if g == nil || g.Statement == nil {
		return false
	}
	_, ok := g.Statement.ConnPool.(gorm.TxCommitter)
	return ok
}
