// Package storage opens fprlink's database through gorm — embedded SQLite by
// default, PostgreSQL in production — and applies the embedded goose
// migrations. It owns connection settings (pool limits, pragmas, error
// translation, the injected clock) so no other package has to know which
// dialect it runs on.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/fprlink/fprlink/internal/clock"
)

// Dialect names a supported database engine.
type Dialect string

// Supported dialects; the values are also the migration folder names.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options configures Open.
type Options struct {
	// URL is a postgres:// URL, a sqlite: URL or file path, or empty for
	// the embedded default <DataDir>/fprlink.db.
	URL     string
	DataDir string
	Clock   clock.Clock
	Logger  *slog.Logger
	// ReplicaURL is a postgres:// URL of a streaming replica of URL, or
	// empty for none; see DB.ReadReplica.
	ReplicaURL string
	// ReplicaMaxLag bounds how far behind the replica may be and still
	// serve reads (DefaultReplicaMaxLag when 0); ReplicaCheckEvery is how
	// often that is measured (DefaultReplicaCheckEvery when 0).
	ReplicaMaxLag     time.Duration
	ReplicaCheckEvery time.Duration
	// ConnectTimeout bounds one attempt to open a PostgreSQL connection
	// (DefaultConnectTimeout when 0; a connect_timeout in the URL wins).
	ConnectTimeout time.Duration
	// StatementTimeout bounds each statement, including its wait for a free
	// connection, unless the caller's context ends sooner
	// (DefaultStatementTimeout when 0).
	StatementTimeout time.Duration
}

// The bounds of a database that does not answer. A dropped network or a
// stopped server must turn into an error a request can answer with (503)
// quickly, never into requests piling up behind connections that wait for
// the kernel's TCP timeouts, which are minutes.
const (
	DefaultConnectTimeout   = 2 * time.Second
	DefaultStatementTimeout = 5 * time.Second
)

// DB is an open database with its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect

	replica *replica // nil without a replica URL
}

// ErrUnsupportedURL is returned for a database URL of an unknown scheme.
var ErrUnsupportedURL = errors.New("storage: database URL must start with postgres://, postgresql:// or sqlite:")

// Open connects to the database described by opts. It does not migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	dialect, dsn, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	if opts.ReplicaURL != "" && (dialect != Postgres || !isPostgresURL(opts.ReplicaURL)) {
		return nil, ErrReplicaNeedsPostgres
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.StatementTimeout <= 0 {
		opts.StatementTimeout = DefaultStatementTimeout
	}
	var dialector gorm.Dialector
	if dialect == Postgres {
		pool, err := openPostgres(dsn, opts.ConnectTimeout)
		if err != nil {
			return nil, err
		}
		dialector = postgres.New(postgres.Config{Conn: pool})
	} else {
		dialector = sqlite.Open(dsn)
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		TranslateError:         true,
		NowFunc:                func() time.Time { return opts.Clock.Now().UTC() },
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // writes that need one open it explicitly
	})
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", dialect, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	if err := boundStatements(g, opts.StatementTimeout); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	configurePool(sqlDB, dialect)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("storage: connect %s: %w", dialect, err)
	}
	db := &DB{Gorm: g, SQL: sqlDB, Dialect: dialect}
	if opts.ReplicaURL != "" {
		if db.replica, err = openReplica(ctx, g, sqlDB, opts); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	}
	return db, nil
}

func isPostgresURL(u string) bool {
	u = strings.TrimSpace(u)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// configurePool sets connection limits.
//
// PostgreSQL: 20 open connections per process is well under the server's
// default max_connections of 100, so a few instances plus migrations and an
// operator's psql still fit; idle connections are kept warm for the
// verify API's latency and recycled every 30 minutes so a failover or a
// PgBouncer restart is picked up.
//
// SQLite: every transaction begins IMMEDIATE (see the DSN), so a writer
// takes the write lock up front and never deadlocks upgrading a read lock;
// WAL lets readers proceed while one writer works. A handful of connections
// is enough for one embedded process; more only queue on the file lock.
func configurePool(db *sql.DB, d Dialect) {
	if d == Postgres {
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxLifetime(30 * time.Minute)
		db.SetConnMaxIdleTime(5 * time.Minute)
		return
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxLifetime(0)
}

func resolve(opts Options) (Dialect, string, error) {
	u := strings.TrimSpace(opts.URL)
	switch {
	case isPostgresURL(u):
		return Postgres, u, nil
	case u == "":
		dir := opts.DataDir
		if dir == "" {
			dir = "data"
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", "", fmt.Errorf("storage: create data dir: %w", err)
		}
		return SQLite, sqliteDSN(filepath.Join(dir, "fprlink.db")), nil
	case strings.HasPrefix(u, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
		if path == "" {
			return "", "", ErrUnsupportedURL
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return "", "", fmt.Errorf("storage: create data dir: %w", err)
		}
		return SQLite, sqliteDSN(path), nil
	}
	return "", "", ErrUnsupportedURL
}

func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL: in WAL mode NORMAL can lose the last commits on power loss,
	// and an answered verification must not lose its audit row.
	q.Add("_pragma", "synchronous(FULL)")
	// No _time_format: the driver stops reading parameters after it, which
	// would silently drop _txlock. Times are always UTC, so the default
	// text form still sorts correctly.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.SQL.PingContext(ctx)
}

// Close stops the replica's monitor and releases the pools.
func (db *DB) Close() error {
	var rerr error
	if db.replica != nil {
		rerr = db.replica.close()
	}
	return errors.Join(db.SQL.Close(), rerr)
}
