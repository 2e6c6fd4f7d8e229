// Command fprlink-load drives the verify API with concurrent clients for a
// fixed time and reports throughput, latency percentiles and errors. It
// only talks to loopback addresses and caps clients and duration, so it
// cannot be turned on someone else's service. With -database-url it also
// checks that every answered call left its verification row.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/storage"
)

// Bounds on a run.
const (
	maxClients  = 256
	maxDuration = 5 * time.Minute
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("fprlink-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "http://127.0.0.1:8080", "base URL of the service (loopback only)")
	input := fs.String("input", "", "file holding the QR texts or compact JWSs to verify, one per line")
	clients := fs.Int("clients", 32, "concurrent clients")
	dur := fs.Duration("duration", 10*time.Second, "how long to run")
	dbURL := fs.String("database-url", getenv("FPRLINK_DATABASE_URL"), "database to count verification rows in (optional)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	key := strings.TrimSpace(getenv("FPRLINK_LOAD_API_KEY"))
	cfg, err := configure(*target, *input, key, *clients, *dur)
	if err != nil {
		fmt.Fprintln(stderr, "fprlink-load:", err)
		return 2
	}
	if err := execute(ctx, cfg, *dbURL, stdout); err != nil {
		fmt.Fprintln(stderr, "fprlink-load:", err)
		return 1
	}
	return 0
}

func configure(target, input, key string, clients int, dur time.Duration) (Config, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return Config{}, errors.New("-url must be an http(s) URL")
	}
	if !isLoopback(u.Hostname()) {
		return Config{}, errors.New("-url must point at a loopback address")
	}
	if key == "" || input == "" {
		return Config{}, errors.New("set FPRLINK_LOAD_API_KEY and -input")
	}
	if clients < 1 || clients > maxClients || dur <= 0 || dur > maxDuration {
		return Config{}, fmt.Errorf("1 ≤ -clients ≤ %d and 0 < -duration ≤ %v", maxClients, maxDuration)
	}
	b, err := os.ReadFile(input)
	if err != nil {
		return Config{}, err
	}
	var inputs []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			inputs = append(inputs, line)
		}
	}
	if len(inputs) == 0 {
		return Config{}, errors.New("-input holds no document")
	}
	return Config{URL: strings.TrimRight(target, "/") + "/api/v1/verify", APIKey: key,
		Inputs: inputs, Clients: clients, Duration: dur}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func execute(ctx context.Context, cfg Config, dbURL string, stdout io.Writer) error {
	var db *storage.DB
	var before int64
	if dbURL != "" {
		var err error
		if db, err = storage.Open(ctx, storage.Options{URL: dbURL}); err != nil {
			return err
		}
		defer db.Close()
		if before, err = countVerifications(ctx, db); err != nil {
			return err
		}
	}
	rep := Run(ctx, cfg)
	rep.Print(stdout)
	if err := rep.failed(); err != nil {
		return err
	}
	if db == nil {
		return nil
	}
	after, err := countVerifications(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "verification rows added: %d, answered calls: %d\n", after-before, rep.Answered)
	if after-before != rep.Answered {
		return errors.New("verification rows do not match answered calls")
	}
	return nil
}

func countVerifications(ctx context.Context, db *storage.DB) (int64, error) {
	var n int64
	err := db.SQL.QueryRowContext(ctx, "SELECT COUNT(*) FROM verifications").Scan(&n)
	return n, err
}
