package storage_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestUnavailableTellsOutagesFromBugs(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"sentinel", fmt.Errorf("x: %w", storage.ErrUnavailable), true},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{"closed-pool", errors.New("sql: database is closed"), true},
		{"dial-refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"conn-closed", fmt.Errorf("exec: %w", pgconn.ErrConnClosed), true},
		{"admin-shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"starting-up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection-exception", &pgconn.PgError{Code: "08006"}, true},
		{"statement-timeout", &pgconn.PgError{Code: "57014"}, true},
		{"fail-unique-violation", &pgconn.PgError{Code: "23505"}, false},
		{"fail-undefined-column", &pgconn.PgError{Code: "42703"}, false},
		{"fail-not-found", gorm.ErrRecordNotFound, false},
		{"fail-client-gone", fmt.Errorf("query: %w", context.Canceled), false},
		{"fail-plain", errors.New("bad hours row"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := storage.Unavailable(tc.err); got != tc.want {
				t.Fatalf("Unavailable(%v) = %v", tc.err, got)
			}
		})
	}
}

// A server that is not there is reported as unavailable, quickly: the
// connect attempt is bounded.
func TestOpenOnRefusedPortIsUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	_, err = storage.Open(context.Background(), storage.Options{URL: "postgres://nobody@" + addr + "/x?sslmode=disable"})
	if !storage.Unavailable(err) || time.Since(start) > 2*time.Second {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
}

// A server that accepts connections but never answers (a dropped network)
// costs at most the connect timeout.
func TestConnectToSilentServerIsBounded(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	start := time.Now()
	_, err = storage.Open(context.Background(), storage.Options{
		URL: "postgres://nobody@" + ln.Addr().String() + "/x?sslmode=disable", ConnectTimeout: 300 * time.Millisecond})
	if !storage.Unavailable(err) || time.Since(start) > 2*time.Second {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
}

func TestClosedPoolIsUnavailable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		_ = db.Close()
		var n int
		err := db.Gorm.Raw("SELECT 1").Scan(&n).Error
		if !storage.Unavailable(err) {
			t.Fatalf("closed pool: %v", err)
		}
	})
}

// A statement that runs past the statement timeout is cut off and reported
// as unavailable; the handle stays usable for the next statement.
func TestStatementTimeoutCutsOffASlowStatement(t *testing.T) {
	db := dbtest.Postgres(t, func(o *storage.Options) { o.StatementTimeout = 200 * time.Millisecond })
	start := time.Now()
	err := db.Gorm.Exec("SELECT pg_sleep(3)").Error
	if !storage.Unavailable(err) || time.Since(start) > 2*time.Second {
		t.Fatalf("after %s: %v", time.Since(start), err)
	}
	h := db.Gorm.WithContext(context.Background())
	for i := 0; i < 2; i++ { // a kept handle must not reuse a spent deadline
		var n int
		if err := h.Raw("SELECT 1").Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("run %d after the timeout: %d, %v", i, n, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
