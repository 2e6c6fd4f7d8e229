package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable is the database not answering, as this package reports
// it when it refuses work itself.
var ErrUnavailable = errors.New("storage: database unavailable")

// Unavailable reports whether err means the database could not be reached
// or did not answer in time, rather than that a statement was wrong: the
// connection was refused, reset, timed out or closed under the statement,
// the server is shutting down or starting, the pool is closed, or the
// statement's deadline passed while it waited for a connection or an
// answer. The HTTP layer answers these with 503 and Retry-After, so clients
// and monitoring can tell an outage from a bug, which stays a 500.
//
// A caller that went away (context.Canceled) is not an outage.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	switch {
	case errors.Is(err, ErrUnavailable),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, driver.ErrBadConn),
		errors.Is(err, sql.ErrConnDone),
		errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ETIMEDOUT),
		errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH),
		pgconn.Timeout(err):
		return true
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	if errors.As(err, &connectErr) || errors.As(err, &opErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableState(pgErr.Code)
	}
	// database/sql reports a closed pool with an unexported error value.
	return strings.Contains(err.Error(), "sql: database is closed")
}

// unavailableState is whether a SQLSTATE says the server cannot serve now:
// class 08 (connection exception), an operator or crash shutdown, a server
// still starting, too many connections, or a statement cancelled by its
// timeout.
func unavailableState(code string) bool {
	if strings.HasPrefix(code, "08") {
		return true
	}
	switch code {
	case "57P01", "57P02", "57P03", "53300", "57014":
		return true
	}
	return false
}
