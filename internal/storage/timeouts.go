package storage

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// openPostgres opens the pgx pool for dsn with connect bounded by timeout,
// unless the URL sets connect_timeout itself.
func openPostgres(dsn string, timeout time.Duration) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("storage: postgres URL: %w", err)
	}
	if !hasConnectTimeout(dsn) {
		cfg.ConnectTimeout = timeout
	}
	// A connection whose peer vanished without a word (a network that
	// drops packets, a host powered off) is found within seconds: keepalive
	// probes after 5 s of silence, and unacknowledged writes fail after
	// deadConnAfter, so a BEGIN or COMMIT, which no statement deadline
	// covers, cannot hang on it.
	d := &net.Dialer{
		KeepAliveConfig: net.KeepAliveConfig{Enable: true, Idle: 5 * time.Second, Interval: 2 * time.Second, Count: 3},
		Control:         setUserTimeout(deadConnAfter),
	}
	cfg.DialFunc = d.DialContext
	return stdlib.OpenDB(*cfg), nil
}

// deadConnAfter is how long written data may stay unacknowledged before the
// connection counts as dead.
const deadConnAfter = 5 * time.Second

func hasConnectTimeout(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return strings.Contains(dsn, "connect_timeout")
	}
	return u.Query().Has("connect_timeout")
}

const statementTimeoutKey = "storage:statement_timeout"

type statementDeadline struct {
	parent context.Context
	cancel context.CancelFunc
}

// boundStatements gives every statement gorm runs a deadline of d, counted
// from its start and covering the wait for a pooled connection, unless the
// caller's context ends sooner. A statement whose connection hangs (a
// network that drops packets rather than refusing) then fails after d with
// context.DeadlineExceeded, which Unavailable reports, instead of holding
// its request and its connection for minutes.
//
// Row and Rows are left alone: their rows are read after the callback
// returns, so a deadline cancelled there would cut them off.
func boundStatements(g *gorm.DB, d time.Duration) error {
	before := func(tx *gorm.DB) {
		ctx := tx.Statement.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
			return
		}
		bounded, cancel := context.WithTimeout(ctx, d)
		tx.Statement.Context = bounded
		tx.InstanceSet(statementTimeoutKey, statementDeadline{parent: ctx, cancel: cancel})
	}
	after := func(tx *gorm.DB) {
		v, _ := tx.InstanceGet(statementTimeoutKey)
		sd, ok := v.(statementDeadline)
		if !ok {
			return
		}
		sd.cancel()
		// A statement kept and run again must start from the caller's
		// context, not from this run's spent deadline.
		tx.Statement.Context = sd.parent
		tx.InstanceSet(statementTimeoutKey, nil)
	}
	cb := g.Callback()
	type processor interface {
		Register(string, func(*gorm.DB)) error
	}
	for _, reg := range []struct {
		name   string
		before processor
		after  processor
	}{
		{"create", cb.Create().Before("*"), cb.Create().After("*")},
		{"query", cb.Query().Before("*"), cb.Query().After("*")},
		{"update", cb.Update().Before("*"), cb.Update().After("*")},
		{"delete", cb.Delete().Before("*"), cb.Delete().After("*")},
		{"raw", cb.Raw().Before("*"), cb.Raw().After("*")},
	} {
		if err := reg.before.Register("storage:deadline_"+reg.name, before); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
		if err := reg.after.Register("storage:deadline_done_"+reg.name, after); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
	}
	return nil
}
