package dbtest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage"
)

// Variables naming the PostgreSQL pair of the read-replica tests: a
// primary and a streaming replica of it (.ci/replica.sh starts one).
const (
	EnvReplicaPrimaryURL = "FPRLINK_TEST_REPLICA_PRIMARY_URL"
	EnvReplicaURL        = "FPRLINK_TEST_REPLICA_URL"
)

// replicaTestsLock is the advisory lock every replica test holds on the
// primary while it runs: a test that pauses the replica's replay would
// otherwise hold back the replica of a test running in another package.
const replicaTestsLock = 0x66_70_72_6c_72_65_70 // "fprlrep"

// Replica is a fresh schema on the primary of the test pair, with its
// replica, and the means to hold the replica back.
type Replica struct {
	// PrimaryURL and ReplicaURL reach the schema on each server.
	PrimaryURL, ReplicaURL string
	// Schema is the test's own schema on both.
	Schema           string
	primary, standby *sql.DB
}

// WithReplicaMaxLag sets the lag above which reads leave the replica.
func WithReplicaMaxLag(d time.Duration) Option {
	return func(o *storage.Options) { o.ReplicaMaxLag = d }
}

// WithReplicaCheckEvery sets how often the replica's lag is measured: a
// short interval shortens the time after a change during which its
// writer reads the primary.
func WithReplicaCheckEvery(d time.Duration) Option {
	return func(o *storage.Options) { o.ReplicaCheckEvery = d }
}

// Heartbeat commits a change on the primary and waits until the replica
// and db have it: the lag of a replica paused afterwards counts from this
// commit, the last it replayed.
func (r *Replica) Heartbeat(t testing.TB, db *storage.DB) {
	t.Helper()
	_, err := r.primary.ExecContext(context.Background(),
		"CREATE TABLE IF NOT EXISTS "+r.Schema+".heartbeat (at timestamptz); INSERT INTO "+r.Schema+".heartbeat VALUES (now())")
	if err != nil {
		t.Fatalf("dbtest: heartbeat: %v", err)
	}
	r.WaitCaughtUp(t, db)
}

// Replicated opens a fresh migrated schema on the primary of the replica
// test pair, with the replica configured, once the replica has it too.
// Without the two variables the test is skipped locally and fails under
// CI=true; when they are set, a server that cannot be reached fails it.
// Replica tests of all packages run one at a time.
func Replicated(t testing.TB, opts ...Option) (*storage.DB, *Replica) {
	t.Helper()
	p, r := os.Getenv(EnvReplicaPrimaryURL), os.Getenv(EnvReplicaURL)
	if p == "" || r == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s and %s must be set under CI (.ci/replica.sh start)", EnvReplicaPrimaryURL, EnvReplicaURL)
		}
		t.Skipf("%s and %s not set; replica test skipped (start a pair with .ci/replica.sh start)", EnvReplicaPrimaryURL, EnvReplicaURL)
	}
	ctx := context.Background()
	primary := sqlOpen(t, p, "primary")
	standby := sqlOpen(t, r, "replica")
	lock, err := primary.Conn(ctx)
	if err != nil {
		t.Fatalf("dbtest: replica primary: %v", err)
	}
	if _, err := lock.ExecContext(ctx, "SELECT pg_advisory_lock($1)", replicaTestsLock); err != nil {
		t.Fatalf("dbtest: replica tests lock: %v", err)
	}
	schema := "t_" + randomHex(t, 8)
	rep := &Replica{Schema: schema, primary: primary, standby: standby}
	if _, err := primary.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		bg := context.Background()
		_, _ = standby.ExecContext(bg, "SELECT pg_wal_replay_resume()")
		_, _ = primary.ExecContext(bg, "DROP SCHEMA "+schema+" CASCADE")
		_, _ = lock.ExecContext(bg, "SELECT pg_advisory_unlock($1)", replicaTestsLock)
		_ = lock.Close()
		_ = standby.Close()
		_ = primary.Close()
	})
	// A test that failed mid-pause in an earlier run must not leave the
	// replica paused for this one.
	rep.Resume(t)
	rep.PrimaryURL, rep.ReplicaURL = withSearchPath(t, p, schema), withSearchPath(t, r, schema)
	o := storage.Options{URL: rep.PrimaryURL, ReplicaURL: rep.ReplicaURL}
	db := open(t, o, opts)
	rep.WaitCaughtUp(t, db)
	return db, rep
}

func sqlOpen(t testing.TB, u, what string) *sql.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), storage.Options{URL: u})
	if err != nil {
		t.Fatalf("dbtest: cannot reach the replica pair's %s: %v", what, err)
	}
	return db.SQL
}

func withSearchPath(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: bad URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Pause stops the replica replaying the primary's changes: it keeps
// answering with what it had.
func (r *Replica) Pause(t testing.TB) {
	t.Helper()
	if _, err := r.standby.ExecContext(context.Background(), "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatalf("dbtest: pause replay: %v", err)
	}
}

// Resume lets the replica replay again.
func (r *Replica) Resume(t testing.TB) {
	t.Helper()
	if _, err := r.standby.ExecContext(context.Background(), "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatalf("dbtest: resume replay: %v", err)
	}
}

// WaitCaughtUp waits until the replica has replayed everything the
// primary wrote and db has measured so.
func (r *Replica) WaitCaughtUp(t testing.TB, db *storage.DB) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var lsn string
		if err := r.primary.QueryRowContext(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&lsn); err != nil {
			t.Fatalf("dbtest: primary WAL position: %v", err)
		}
		var done bool
		if err := r.standby.QueryRowContext(ctx, "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", lsn).Scan(&done); err != nil {
			t.Fatalf("dbtest: replica replay position: %v", err)
		}
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("dbtest: the replica did not catch up within 15s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := db.CheckReplica(ctx); err != nil {
		t.Fatalf("dbtest: check replica: %v", err)
	}
	if st := db.ReplicaStatus(); !st.InUse {
		t.Fatalf("dbtest: the caught-up replica is not in use: %+v", st)
	}
}

// Primary is a pool on the primary outside the service, for changes made
// behind its back (as another node would make them); name tables with
// Schema.
func (r *Replica) Primary() *sql.DB { return r.primary }
