package dbtest

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"
)

// Proxy forwards a local port to a database server and can be cut and
// restored, so a test plays an outage of the database (or of a replica)
// without touching the server other tests share.
type Proxy struct {
	// Target is the host:port connections are forwarded to.
	Target string

	mu    sync.Mutex
	ln    net.Listener
	addr  string
	conns []net.Conn
}

// Addr is the proxy's host:port, the same after a Cut and Start again.
func (p *Proxy) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.addr
}

// Start listens (on the port of an earlier Start, if any) and forwards
// every connection to Target until Cut.
func (p *Proxy) Start(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	addr := p.addr
	p.mu.Unlock()
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
			up, err := net.Dial("tcp", p.Target)
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

// Cut closes every forwarded connection and refuses new ones, as a
// stopped server or a dropped link would.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
