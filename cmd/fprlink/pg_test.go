package main

import (
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func withSearchPath(t *testing.T, schema string) string {
	t.Helper()
	u, err := url.Parse(os.Getenv(dbtest.EnvURL))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// tcpProxy forwards a local port to PostgreSQL and can be cut and restored,
// to play a database outage without touching the real server.
type tcpProxy struct {
	target string
	mu     sync.Mutex
	ln     net.Listener
	addr   string
	conns  []net.Conn
}

func (p *tcpProxy) start(t *testing.T) {
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

func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func TestReadyzFollowsPostgresOutage(t *testing.T) {
	db := dbtest.Postgres(t)
	var schema string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(withSearchPath(t, schema))
	p := &tcpProxy{target: u.Host}
	p.start(t)
	u.Host = p.addr
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-migrate=false"},
		map[string]string{"FPRLINK_DATABASE_URL": u.String(), "FPRLINK_DATA_DIR": t.TempDir(), "FPRLINK_KEK": strings.Repeat("ab", 32)})
	defer stop()
	if code := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("before outage: %d", code)
	}
	p.cut()
	waitFor(t, func() bool { return get(t, base+"/readyz") == 503 }, "503 during outage")
	if code := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("healthz must stay 200 during a database outage: %d", code)
	}
	p.start(t)
	waitFor(t, func() bool { return get(t, base+"/readyz") == 200 }, "200 after recovery")
}

func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
