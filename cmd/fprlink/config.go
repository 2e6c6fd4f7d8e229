package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/fprlink/fprlink/api"
)

// config is every setting of the service. It is read only here, in cmd,
// from flags and FPRLINK_* variables (a flag beats its variable, the
// variable beats the default), and handed to constructors from here on.
type config struct {
	Listen       string
	DatabaseURL  string
	DataDir      string
	IssuerURL    string
	LogLevel     string
	AutoMigrate  bool
	BodyLimit    int64
	ImportLimit  int64
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	ShutdownWait time.Duration
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string

	// Anonymous application inquiries per client address (issue 8).
	InquiryInterval time.Duration
	InquiryBurst    int

	// Demo seeds the fictional demo registry (serve --demo), on any database.
	Demo bool

	// EDoc holds the e-document settings (edocconfig.go).
	EDoc *edocConfig
}

// envOr reads variables from getenv: name's trimmed value, or def when
// it is unset or blank.
func envOr(getenv func(string) string) func(name, def string) string {
	return func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
}

// bindConfig registers the flags on fs with defaults taken from getenv.
func bindConfig(fs *flag.FlagSet, getenv func(string) string) *config {
	c := &config{}
	env := envOr(getenv)
	fs.StringVar(&c.Listen, "listen", env("FPRLINK_LISTEN", "127.0.0.1:8080"), "address to listen on (FPRLINK_LISTEN)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("FPRLINK_DATABASE_URL", ""), "postgres:// URL; empty means SQLite in the data dir (FPRLINK_DATABASE_URL)")
	fs.StringVar(&c.DataDir, "data-dir", env("FPRLINK_DATA_DIR", "data"), "directory for the SQLite database and local key files (FPRLINK_DATA_DIR)")
	fs.StringVar(&c.IssuerURL, "issuer-url", env("FPRLINK_ISSUER_URL", ""), "public base URL of this service, used as the attestation issuer (FPRLINK_ISSUER_URL; default http://<listen>)")
	fs.StringVar(&c.LogLevel, "log-level", env("FPRLINK_LOG_LEVEL", "info"), "debug, info, warn or error (FPRLINK_LOG_LEVEL)")
	fs.BoolVar(&c.AutoMigrate, "migrate", envBool(env("FPRLINK_AUTO_MIGRATE", "true")), "apply pending migrations at start (FPRLINK_AUTO_MIGRATE)")
	fs.Int64Var(&c.BodyLimit, "body-limit", envInt(env("FPRLINK_BODY_LIMIT", ""), 1<<20), "largest request body in bytes (FPRLINK_BODY_LIMIT)")
	fs.Int64Var(&c.ImportLimit, "import-limit", envInt(env("FPRLINK_IMPORT_LIMIT", ""), api.DefaultImportLimit), "largest registry import (NDJSON) over HTTP in bytes (FPRLINK_IMPORT_LIMIT)")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", 15*time.Second, "HTTP read timeout")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", 30*time.Second, "HTTP write timeout")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", 120*time.Second, "HTTP keep-alive idle timeout")
	fs.DurationVar(&c.ShutdownWait, "shutdown-timeout", 30*time.Second, "how long in-flight requests may finish on shutdown")
	// Anonymous application inquiries (issue 8).
	fs.DurationVar(&c.InquiryInterval, "inquiry-interval", envDuration(env("FPRLINK_INQUIRY_INTERVAL", ""), 6*time.Second),
		"one anonymous application inquiry per client address per this interval on average (FPRLINK_INQUIRY_INTERVAL)")
	fs.IntVar(&c.InquiryBurst, "inquiry-burst", int(envInt(env("FPRLINK_INQUIRY_BURST", ""), 5)),
		"anonymous application inquiries a client address may make at once (FPRLINK_INQUIRY_BURST)")

	fs.Func("trusted-proxies", "comma-separated IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (FPRLINK_TRUSTED_PROXIES; default none)",
		func(v string) error { c.TrustedProxies = splitList(v); return nil })
	c.TrustedProxies = splitList(env("FPRLINK_TRUSTED_PROXIES", ""))
	c.EDoc = bindEDocConfig(fs, getenv)
	return c
}

func (c *config) validate() error {
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.BodyLimit < 1024 || c.ImportLimit < c.BodyLimit {
		return fmt.Errorf("%w: -body-limit must be at least 1024 bytes and -import-limit at least -body-limit", errUsage)
	}
	if c.InquiryInterval <= 0 || c.InquiryBurst < 1 {
		return fmt.Errorf("%w: -inquiry-interval must be positive and -inquiry-burst at least 1", errUsage)
	}
	if err := c.EDoc.validate(); err != nil {
		return err
	}
	if err := api.CheckTrustedProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("%w: -trusted-proxies: %w", errUsage, err)
	}
	if c.IssuerURL == "" {
		c.IssuerURL = "http://" + c.Listen
	}
	c.IssuerURL = trimURL(c.IssuerURL)
	return nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func envBool(s string) bool {
	b, err := strconv.ParseBool(s)
	return err != nil || b // anything unparsable keeps the safe default: true
}

func envInt(s string, def int64) int64 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return def
}

func envDuration(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil {
		return d
	}
	return def
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("%w: -log-level %q: want debug, info, warn or error", errUsage, s)
	}
	return l, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := parseLevel(level)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fprlink "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
