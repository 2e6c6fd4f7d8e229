package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// Defaults of the replica's bounds.
const (
	// DefaultReplicaMaxLag is how far behind the primary the replica may be
	// and still serve reads. Each read path that uses it caches for longer
	// (the directory and guideline snapshots 30 s, the JWKS 5 min, status
	// lists their ttl), so the replica adds little to what readers already
	// accept.
	DefaultReplicaMaxLag = 5 * time.Second
	// DefaultReplicaCheckEvery is how often the replica's lag is measured.
	DefaultReplicaCheckEvery = time.Second
)

// replicaResolver names the dbresolver configuration of the replica. It is
// registered under a name no table has, so no query goes to the replica
// unless it asks for it through ReadReplica.
const replicaResolver = "fprlink:replica"

// ErrReplicaNeedsPostgres is returned for a replica URL beside a SQLite
// database: an embedded file has no streaming replicas.
var ErrReplicaNeedsPostgres = errors.New("storage: a read replica needs a PostgreSQL primary and a postgres:// replica URL")

// ReplicaStatus is what the service knows of its read replica, for
// metrics and operators.
type ReplicaStatus struct {
	// Configured is whether a replica URL was given.
	Configured bool
	// InUse is whether reads that may use the replica go there now: it
	// answered its last check in time and is at most MaxLag behind.
	InUse bool
	// Lag is how far the replica's replay was behind the primary at the
	// last check; zero when it had replayed everything the primary had
	// written. Unknown (the replica did not answer, or had never replayed
	// a transaction while behind) is reported as -1s.
	Lag       time.Duration
	MaxLag    time.Duration
	CheckedAt time.Time
	// ReplicaReads and PrimaryReads count the reads offered to the replica
	// by where they were served.
	ReplicaReads uint64
	PrimaryReads uint64
}

// lagUnknown is the lag of a replica that did not answer.
const lagUnknown = -time.Second

// replica is the streaming replica behind ReadReplica and its lag monitor.
type replica struct {
	sql     *sql.DB
	primary *sql.DB
	maxLag  time.Duration
	every   time.Duration
	log     *slog.Logger

	mu        sync.Mutex
	lag       time.Duration // lagUnknown when unknown
	checkedAt time.Time     // of the last answered check
	usable    bool

	replicaReads, primaryReads atomic.Uint64

	kick     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// openReplica registers url as the replica of g, measures its lag once and
// starts the monitor. A replica that is down at start is no reason to
// refuse to start: reads go to the primary until it answers.
func openReplica(ctx context.Context, g *gorm.DB, primary *sql.DB, opts Options) (*replica, error) {
	// The same connection bounds as the primary's, so a replica that
	// vanishes costs a read seconds at most before the primary answers it.
	rsql, err := openPostgres(opts.ReplicaURL, opts.ConnectTimeout)
	if err != nil {
		return nil, fmt.Errorf("storage: open replica: %w", err)
	}
	// Half the primary's pool: the replica serves the reads that miss the
	// in-memory snapshots and caches, a small share of all queries.
	rsql.SetMaxOpenConns(10)
	rsql.SetMaxIdleConns(5)
	rsql.SetConnMaxLifetime(30 * time.Minute)
	rsql.SetConnMaxIdleTime(5 * time.Minute)
	err = g.Use(dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{postgres.New(postgres.Config{Conn: rsql})},
	}, replicaResolver))
	if err != nil {
		_ = rsql.Close()
		return nil, fmt.Errorf("storage: register replica: %w", err)
	}
	r := &replica{sql: rsql, primary: primary, maxLag: opts.ReplicaMaxLag, every: opts.ReplicaCheckEvery,
		log: opts.Logger, lag: lagUnknown, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if r.maxLag <= 0 {
		r.maxLag = DefaultReplicaMaxLag
	}
	if r.every <= 0 {
		r.every = DefaultReplicaCheckEvery
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if err := r.check(ctx); err != nil {
		r.log.Warn("the read replica does not answer; reads go to the primary until it does", slog.Any("error", err))
	}
	go r.run()
	return r, nil
}

func (r *replica) run() {
	defer close(r.done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	wasUsable := r.inUse()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		case <-r.kick:
		}
		err := r.check(context.Background())
		if now := r.inUse(); now != wasUsable {
			if now {
				r.log.Info("the read replica serves reads again")
			} else {
				r.log.Warn("reads fall back to the primary: the read replica is down or too far behind",
					slog.Any("error", err), slog.Duration("max_lag", r.maxLag))
			}
			wasUsable = now
		}
	}
}

// lagQuery measures the replica against the primary's WAL position $1
// (NULL when the primary did not answer): caught up when it has replayed
// that far, else behind by the time since the commit it replayed last.
// A server not in recovery is a promoted replica and serves current data.
const lagQuery = `SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN true
    WHEN $1::text IS NULL THEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
    ELSE pg_last_wal_replay_lsn() >= $1::pg_lsn END,
  EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8`

// check measures the lag once and decides whether the replica serves.
func (r *replica) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, max(r.every, time.Second))
	defer cancel()
	var primaryLSN sql.NullString
	if err := r.primary.QueryRowContext(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&primaryLSN); err != nil {
		primaryLSN = sql.NullString{}
	}
	var caughtUp bool
	var since sql.NullFloat64
	err := r.sql.QueryRowContext(ctx, lagQuery, primaryLSN).Scan(&caughtUp, &since)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.usable, r.lag = false, lagUnknown
		return err
	}
	switch {
	case caughtUp:
		r.lag = 0
	case since.Valid:
		r.lag = time.Duration(max(since.Float64, 0) * float64(time.Second))
	default:
		r.lag = lagUnknown
	}
	r.checkedAt = time.Now()
	r.usable = r.lag >= 0 && r.lag <= r.maxLag
	return nil
}

// inUse reports whether the replica may serve a read now. A check that is
// overdue (the monitor stalled, or its query hangs) counts as a failed one.
func (r *replica) inUse() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.usable && time.Since(r.checkedAt) <= r.maxLag+2*r.every
}

func (r *replica) status() ReplicaStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return ReplicaStatus{Configured: true, InUse: r.usable && time.Since(r.checkedAt) <= r.maxLag+2*r.every,
		Lag: r.lag, MaxLag: r.maxLag, CheckedAt: r.checkedAt,
		ReplicaReads: r.replicaReads.Load(), PrimaryReads: r.primaryReads.Load()}
}

// suspect asks for a check now, after a read on the replica failed.
func (r *replica) suspect() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

func (r *replica) close() error {
	var err error
	r.stopOnce.Do(func() {
		close(r.stop)
		<-r.done
		err = r.sql.Close()
	})
	return err
}

// ReadReplica runs fn, a read that may be served from the streaming
// replica, on the replica when one is configured, answering and at most
// the maximum lag behind, and on the primary otherwise. Only reads whose
// readers accept data that old may use it: the public directory and
// guideline snapshots, the published JWKS and status lists. Writes,
// verification and a person's reads of what they have just changed stay
// on the primary (db.Gorm) and never come here.
//
// When fn fails on the replica, it runs again on the primary and the
// replica is checked at once: a replica going down costs a read no
// error, and a row the replica has not replayed yet (a status list created
// a moment ago) is still found. fn may run twice, so it must only read.
func (db *DB) ReadReplica(ctx context.Context, fn func(g *gorm.DB) error) error {
	return db.ReadReplicaAfter(ctx, nil, fn)
}

// LastWrite is when this process last changed data that it reads back
// through ReadReplicaAfter. The zero value is "never"; it is safe for
// concurrent use.
type LastWrite struct{ at atomic.Pointer[time.Time] }

// Mark records a change committed now.
func (w *LastWrite) Mark() {
	now := time.Now()
	w.at.Store(&now)
}

// within reports whether the last change is at most d old.
func (w *LastWrite) within(d time.Duration) bool {
	if w == nil {
		return false
	}
	at := w.at.Load()
	return at != nil && time.Since(*at) <= d
}

// ReadReplicaAfter is ReadReplica for data this process changes and
// records in w: until the replica is sure to hold the last change (its
// lag bound plus the two checks a lag reading may be late by) the read
// goes to the primary, so an officer who changes the directory reads the
// change back at once.
func (db *DB) ReadReplicaAfter(ctx context.Context, w *LastWrite, fn func(g *gorm.DB) error) error {
	g := db.Gorm.WithContext(ctx)
	r := db.replica
	if r == nil {
		return fn(g)
	}
	if !r.inUse() || w.within(r.maxLag+2*r.every) {
		r.primaryReads.Add(1)
		return fn(g)
	}
	err := fn(g.Clauses(dbresolver.Use(replicaResolver), dbresolver.Read).Session(&gorm.Session{}))
	if err == nil {
		r.replicaReads.Add(1)
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	r.suspect()
	r.primaryReads.Add(1)
	return fn(g)
}

// ReplicaStatus reports the replica's lag and use; the zero value when
// none is configured.
func (db *DB) ReplicaStatus() ReplicaStatus {
	if db.replica == nil {
		return ReplicaStatus{}
	}
	return db.replica.status()
}

// CheckReplica measures the replica's lag now instead of at the next
// tick, for operators' tools and tests.
func (db *DB) CheckReplica(ctx context.Context) error {
	if db.replica == nil {
		return nil
	}
	return db.replica.check(ctx)
}
