//go:build unix

package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecondSignalEndsShutdown runs the real main in a child process: the
// first SIGINT starts a graceful shutdown that waits for a request still
// sending its body, and a second SIGINT must end the process at once.
func TestSecondSignalEndsShutdown(t *testing.T) {
	if os.Getenv("FPRLINK_TEST_SIGNAL_CHILD") == "1" {
		os.Args = []string{"fprlink", "serve", "-listen", "127.0.0.1:0", "-read-timeout", "2m", "-shutdown-timeout", "2m"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalEndsShutdown$")
	cmd.Env = append(os.Environ(), "FPRLINK_TEST_SIGNAL_CHILD=1", "FPRLINK_DATA_DIR="+t.TempDir(), "FPRLINK_DATABASE_URL=")
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	waitOutput := func(b *syncBuffer, what string) string {
		t.Helper()
		deadline := time.After(60 * time.Second)
		for {
			if s := b.String(); strings.Contains(s, what) {
				return s
			}
			select {
			case err := <-exited:
				t.Fatalf("child exited (%v) before %q: %s%s", err, what, stdout.String(), stderr.String())
			case <-deadline:
				t.Fatalf("no %q: %s%s", what, stdout.String(), stderr.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	m := listenLine.FindStringSubmatch(waitOutput(stdout, "listening on"))
	if m == nil {
		t.Fatalf("no address: %s", stdout.String())
	}
	// A request whose body never comes keeps the shutdown waiting.
	conn, err := net.Dial("tcp", strings.TrimPrefix(m[1], "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitOutput(stderr, "shutting down")
	select {
	case err := <-exited:
		t.Fatalf("the first signal did not wait for the request in flight: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("child ended with %v", err)
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
			t.Fatalf("child ended with %v, want killed by SIGINT", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second SIGINT did not end the process")
	}
}
