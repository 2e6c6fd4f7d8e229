package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe writer for the running server's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

// startServe runs "fprlink serve" in the background and returns its base URL
// and a function that stops it and returns the exit code.
func startServe(t *testing.T, args []string, env map[string]string) (string, func() int) {
	t.Helper()
	return startServeWith(t, args, env, &syncBuffer{})
}

// startServeWith is startServe keeping the server's log in stderr.
func startServeWith(t *testing.T, args []string, env map[string]string, stderr *syncBuffer) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), stdout, stderr, envFrom(env))
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], func() int { cancel(); return <-done }
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d early: %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s", stderr.String())
	return "", nil
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeWithNoConfigurationUsesEmbeddedSQLite(t *testing.T) {
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, nil)
	for _, p := range []string{"/healthz", "/readyz"} {
		if code := get(t, base+p); code != 200 {
			t.Fatalf("%s: %d", p, code)
		}
	}
	if _, err := os.Stat(filepath.Join("data", "fprlink.db")); err != nil {
		t.Fatalf("default database not created: %v", err)
	}
	if code := stop(); code != 0 {
		t.Fatalf("graceful stop exited %d", code)
	}
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, nil)
	// A request being handled when the signal arrives must still get its
	// answer. The sign-in below sends its headers, then holds its body back
	// until shutdown has begun, so its handler is certainly running (waiting
	// for the body) when the server is told to stop, however busy the
	// machine is.
	body := `{"username":"nobody","password":"not-the-password"}`
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST /api/v1/auth/login HTTP/1.1\r\nHost: fprlink\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the handler starts and waits for the body
	exit := make(chan int, 1)
	go func() { exit <- stop() }()
	time.Sleep(200 * time.Millisecond) // shutdown has begun and waits for the handler
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatalf("finishing the in-flight request: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request failed: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("in-flight sign-in answered %d, want 401 (wrong password)", resp.StatusCode)
	}
	if code := <-exit; code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no command", nil, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, ""},
		{"help", []string{"help"}, 0, "fprlink serve"},
		{"version", []string{"version"}, 0, "fprlink "},
		{"migrate needs a verb", []string{"migrate"}, 2, ""},
		{"bad log level", []string{"serve", "-log-level", "loud"}, 2, ""},
		{"bad trusted proxy", []string{"serve", "-trusted-proxies", "10.0.0.0/8,proxy.example"}, 2, ""},
		{"JWKS cached for more than a day", []string{"serve", "-jwks-max-age", "25h"}, 2, ""},
		{"JWKS max-age of zero", []string{"serve", "-jwks-max-age", "0s"}, 2, ""},
		{"status list ttl past its lifetime", []string{"serve", "-status-list-ttl", "48h"}, 2, ""},
		{"no document validity", []string{"serve", "-document-validity", "0s"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb, envFrom(nil))
			if code != tt.code || !strings.Contains(out.String(), tt.out) {
				t.Fatalf("exit %d out %q err %q", code, out.String(), errb.String())
			}
		})
	}
}

// The demo service must be usable at once: a resident can see free slots
// at a seeded centre without any officer set-up.
func TestEmbeddedDefaultDemoHasBookableSlots(t *testing.T) {
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, nil)
	defer stop()
	var centers struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	getJSON(t, base+"/api/v1/service-centers", &centers)
	if len(centers.Items) == 0 {
		t.Fatal("no service centres seeded")
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 3)
	for day.Weekday() == time.Sunday || day.Weekday() == time.Saturday {
		day = day.AddDate(0, 0, 1)
	}
	var slots struct {
		Slots []json.RawMessage `json:"slots"`
	}
	getJSON(t, base+"/api/v1/service-centers/"+centers.Items[0].ID+"/slots?business=visa_extension&date="+day.Format("2006-01-02"), &slots)
	if len(slots.Slots) == 0 {
		t.Fatalf("no demo slots on %s", day.Format("2006-01-02"))
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", url, err, b)
	}
}

// TestJWKSMaxAgeIsConfigurable: how long verifiers cache the keys, and so
// how long an offline verifier may trust a revoked key, is the operator's.
func TestJWKSMaxAgeIsConfigurable(t *testing.T) {
	t.Chdir(t.TempDir())
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0", "-jwks-max-age", "90s"}, nil)
	defer stop()
	resp, err := http.Get(base + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || got != "public, max-age=90" {
		t.Fatalf("%d, Cache-Control %q; want public, max-age=90", resp.StatusCode, got)
	}
}
