package storage_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// inRecovery reports whether g's query ran on a standby.
func inRecovery(t *testing.T, g *gorm.DB) bool {
	t.Helper()
	b, err := recovering(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func recovering(g *gorm.DB) (bool, error) {
	var b bool
	err := g.Raw("SELECT pg_is_in_recovery()").Scan(&b).Error
	return b, err
}

func replicaRead(t *testing.T, db *storage.DB, fn func(g *gorm.DB) error) {
	t.Helper()
	if err := db.ReadReplica(context.Background(), fn); err != nil {
		t.Fatalf("ReadReplica: %v", err)
	}
}

func servedByReplica(t *testing.T, db *storage.DB) bool {
	t.Helper()
	var on bool
	replicaRead(t, db, func(g *gorm.DB) (err error) { on, err = recovering(g); return err })
	return on
}

func TestReadReplicaServesOnlyTheReadsThatAskForIt(t *testing.T) {
	db, _ := dbtest.Replicated(t)
	if !servedByReplica(t, db) {
		t.Fatal("ReadReplica ran on the primary while the replica is caught up")
	}
	if inRecovery(t, db.Gorm) {
		t.Fatal("a plain query went to the replica: only ReadReplica may send it there")
	}
	if err := db.Gorm.Exec("CREATE TABLE plain_write (v int)").Error; err != nil {
		t.Fatalf("a write must go to the primary: %v", err)
	}
	st := db.ReplicaStatus()
	if !st.Configured || !st.InUse || st.Lag != 0 || st.ReplicaReads != 1 || st.PrimaryReads != 0 {
		t.Fatalf("status %+v", st)
	}
}

func TestReadReplicaServesItsOwnStateWhileThePrimaryHasMoved(t *testing.T) {
	db, rep := dbtest.Replicated(t)
	if err := db.Gorm.Exec("CREATE TABLE fact (v int); INSERT INTO fact VALUES (1)").Error; err != nil {
		t.Fatal(err)
	}
	rep.WaitCaughtUp(t, db)
	rep.Pause(t)
	if err := db.Gorm.Exec("UPDATE fact SET v = 2").Error; err != nil {
		t.Fatal(err)
	}
	read := func(g *gorm.DB, v *int) error { return g.Raw("SELECT v FROM fact").Scan(v).Error }
	var onReplica, onPrimary int
	replicaRead(t, db, func(g *gorm.DB) error { return read(g, &onReplica) })
	if onReplica != 1 {
		t.Fatalf("paused replica read %d, want the value before the update", onReplica)
	}
	if err := read(db.Gorm, &onPrimary); err != nil || onPrimary != 2 {
		t.Fatalf("the primary read %d (%v), want the written value", onPrimary, err)
	}
	if st := db.ReplicaStatus(); st.ReplicaReads != 1 {
		t.Fatalf("the old value was not read on the replica: %+v", st)
	}
	rep.Resume(t)
	rep.WaitCaughtUp(t, db)
	replicaRead(t, db, func(g *gorm.DB) error { return read(g, &onReplica) })
	if onReplica != 2 {
		t.Fatalf("resumed replica read %d", onReplica)
	}
}

func TestReadReplicaFallsBackWhenLagExceedsTheBound(t *testing.T) {
	const maxLag = 300 * time.Millisecond
	db, rep := dbtest.Replicated(t, dbtest.WithReplicaMaxLag(maxLag))
	rep.Pause(t)
	if err := db.Gorm.Exec("CREATE TABLE moving (v int); INSERT INTO moving VALUES (1)").Error; err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * maxLag)
	if err := db.CheckReplica(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := db.ReplicaStatus()
	if st.InUse || st.Lag <= maxLag || st.MaxLag != maxLag {
		t.Fatalf("a replica %v behind must not serve with a bound of %v: %+v", st.Lag, maxLag, st)
	}
	if servedByReplica(t, db) {
		t.Fatal("a read went to a replica past its lag bound")
	}
	if st := db.ReplicaStatus(); st.PrimaryReads != 1 {
		t.Fatalf("the fallback read is not counted on the primary: %+v", st)
	}
	rep.Resume(t)
	rep.WaitCaughtUp(t, db)
	if !servedByReplica(t, db) {
		t.Fatal("the caught-up replica does not serve again")
	}
}

func TestReadReplicaFallsBackWhenTheReplicaIsDown(t *testing.T) {
	target, err := url.Parse(os.Getenv(dbtest.EnvReplicaURL))
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{target: target.Host}
	p.start(t)
	defer p.cut()
	db, _ := dbtest.Replicated(t, func(o *storage.Options) {
		u, _ := url.Parse(o.ReplicaURL)
		u.Host = p.addr
		o.ReplicaURL = u.String()
	})
	if !servedByReplica(t, db) {
		t.Fatal("the replica behind the proxy does not serve")
	}
	p.cut()
	// The read in flight when the replica goes is answered by the primary,
	// with no error.
	if servedByReplica(t, db) {
		t.Fatal("a read was answered by a replica that is down")
	}
	if err := db.CheckReplica(context.Background()); err == nil {
		t.Fatal("the check of a replica that is down succeeded")
	}
	if st := db.ReplicaStatus(); st.InUse || st.Lag != -time.Second {
		t.Fatalf("a replica that is down is in use: %+v", st)
	}
	if servedByReplica(t, db) {
		t.Fatal("a read went to a replica that is down")
	}
	p.start(t)
	if err := db.CheckReplica(context.Background()); err != nil {
		t.Fatalf("the replica is back but its check fails: %v", err)
	}
	if !servedByReplica(t, db) {
		t.Fatal("the replica does not serve once it is back")
	}
}

func TestReadReplicaWithoutReplicaReadsThePrimary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		var one int
		replicaRead(t, db, func(g *gorm.DB) error { return g.Raw("SELECT 1").Scan(&one).Error })
		if one != 1 {
			t.Fatalf("read %d", one)
		}
		if st := db.ReplicaStatus(); st != (storage.ReplicaStatus{}) {
			t.Fatalf("status without a replica: %+v", st)
		}
	})
}

func TestOpenRefusesReplicaBesideSQLite(t *testing.T) {
	dir := t.TempDir()
	_, err := storage.Open(context.Background(), storage.Options{URL: "sqlite:" + filepath.Join(dir, "x.db"),
		ReplicaURL: "postgres://postgres@127.0.0.1:5432/test"})
	if !errors.Is(err, storage.ErrReplicaNeedsPostgres) {
		t.Fatalf("got %v", err)
	}
}

func TestOpenRefusesReplicaURLThatIsNotPostgres(t *testing.T) {
	base := os.Getenv(dbtest.EnvURL)
	if base == "" {
		base = "postgres://postgres@127.0.0.1:1/none" // refused before connecting
	}
	_, err := storage.Open(context.Background(), storage.Options{URL: base, ReplicaURL: "sqlite:replica.db"})
	if !errors.Is(err, storage.ErrReplicaNeedsPostgres) {
		t.Fatalf("got %v", err)
	}
}

// proxy forwards a local port to the replica and can be cut and restored,
// to play a replica outage without touching the server.
type proxy struct {
	target string
	mu     sync.Mutex
	ln     net.Listener
	addr   string
	conns  []net.Conn
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old port may linger briefly after a cut
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
