package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/fprlink/fprlink/api"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
)

// config is every setting of the service. It is read only here, in cmd,
// from flags and FPRLINK_* variables (a flag beats its variable, the
// variable beats the default), and handed to constructors from here on.
type config struct {
	Listen      string
	DatabaseURL string
	// ReplicaURL is a streaming replica of DatabaseURL for the read-heavy
	// public reads, trusted while at most ReplicaMaxLag behind.
	ReplicaURL    string
	ReplicaMaxLag time.Duration
	DataDir       string
	IssuerURL     string
	LogLevel      string
	AutoMigrate   bool
	BodyLimit     int64
	ImportLimit   int64
	ReadTimeout   time.Duration
	WriteTimeout  time.Duration
	IdleTimeout   time.Duration
	ShutdownWait  time.Duration
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	// MetricsListen, when set, is the only address /metrics is served on.
	MetricsListen string
	// SnapshotTTL bounds how stale the directory and guideline snapshots
	// may be: how long another node's change takes to show here.
	SnapshotTTL time.Duration
	// SecureCookies marks the web pages' cookies Secure on plain HTTP too,
	// for a service behind a proxy that ends TLS.
	SecureCookies bool

	// Anonymous application inquiries per client address: they need no
	// account, so the client address is all there is to limit them by.
	InquiryInterval time.Duration
	InquiryBurst    int

	// Enrolment codes: their lifetime, and the file the development
	// sender writes messages to (empty: <data dir>/messages.ndjson).
	EnrolCodeTTL time.Duration
	MessageFile  string

	// Demo seeds the fictional demo registry (serve --demo), on any database.
	Demo bool

	// EDoc holds the e-document settings (edocconfig.go).
	EDoc *edocConfig

	// issuerDerived is set by validate when IssuerURL was not given and
	// comes from the listen address.
	issuerDerived bool
}

// binder defines flags and remembers which FPRLINK_* variable feeds each.
type binder struct {
	fs   *flag.FlagSet
	vars [][2]string // flag name, variable name, in definition order
}

// bind defines the flag name with value v, fed by the variable env when
// env is not empty.
func (b *binder) bind(v flag.Value, name, env, usage string) {
	if env != "" {
		usage += " (" + env + ")"
		b.vars = append(b.vars, [2]string{name, env})
	}
	b.fs.Var(v, name, usage)
}

// applyEnv sets every flag whose variable is set, through the flag's own
// parser, so a value refused on the command line is refused here too.
// Flags on the command line, parsed afterwards, still win.
func (b *binder) applyEnv(getenv func(string) string) error {
	for _, fv := range b.vars {
		v := strings.TrimSpace(getenv(fv[1]))
		if v == "" {
			continue
		}
		if err := b.fs.Set(fv[0], v); err != nil {
			return fmt.Errorf("%w: invalid value %q for %s (flag -%s): %v", errUsage, v, fv[1], fv[0], err)
		}
	}
	return nil
}

// bindConfig registers the shared flags on fs with their built-in
// defaults, then applies the FPRLINK_* variables that are set. A variable
// that does not parse is a usage error naming it.
func bindConfig(fs *flag.FlagSet, getenv func(string) string) (*config, error) {
	c := &config{
		Listen: "127.0.0.1:8080", DataDir: "data", LogLevel: "info", AutoMigrate: true,
		BodyLimit: 1 << 20, ImportLimit: api.DefaultImportLimit,
		ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, ShutdownWait: 30 * time.Second,
		InquiryInterval: 6 * time.Second, InquiryBurst: 5, EnrolCodeTTL: 15 * time.Minute,
		ReplicaMaxLag: storage.DefaultReplicaMaxLag,
		SnapshotTTL:   directory.DefaultTTL,
	}
	b := &binder{fs: fs}
	b.bind(stringFlag{&c.Listen, checkListen}, "listen", "FPRLINK_LISTEN", "address to listen on, host:port")
	b.bind(stringFlag{&c.DatabaseURL, nil}, "database-url", "FPRLINK_DATABASE_URL", "postgres:// URL; empty means SQLite in the data dir")
	b.bind(stringFlag{&c.ReplicaURL, checkReplicaURL}, "database-replica-url", "FPRLINK_DATABASE_REPLICA_URL",
		"postgres:// URL of a streaming replica of -database-url; the public directory, guideline, JWKS and status-list reads use it while it is within -database-replica-max-lag; empty means none")
	b.bind(durationFlag{&c.ReplicaMaxLag, 100 * time.Millisecond, time.Minute}, "database-replica-max-lag", "FPRLINK_DATABASE_REPLICA_MAX_LAG",
		"how far behind the primary the replica may be and still serve reads; beyond it they go to the primary; 100ms to 1m")
	b.bind(stringFlag{&c.DataDir, notEmpty}, "data-dir", "FPRLINK_DATA_DIR", "directory for the SQLite database, local key files and demo.json")
	b.bind(stringFlag{&c.IssuerURL, checkIssuerURL}, "issuer-url", "FPRLINK_ISSUER_URL",
		"public https base URL of this service, the attestation issuer (iss); default https://<listen host>:<port>, with 127.0.0.1 for an empty or unspecified (0.0.0.0, ::) host")
	b.bind(stringFlag{&c.LogLevel, checkLevel}, "log-level", "FPRLINK_LOG_LEVEL", "debug, info, warn or error")
	b.bind(boolFlag{&c.AutoMigrate}, "migrate", "FPRLINK_AUTO_MIGRATE", "apply pending migrations at start; with false, start only on a migrated database")
	b.bind(intFlag[int64]{&c.BodyLimit, 1024, 0}, "body-limit", "FPRLINK_BODY_LIMIT", "largest request body in bytes")
	b.bind(intFlag[int64]{&c.ImportLimit, 1024, 0}, "import-limit", "FPRLINK_IMPORT_LIMIT", "largest registry import (NDJSON) over HTTP in bytes, at least -body-limit")
	b.bind(durationFlag{&c.ReadTimeout, 1, 0}, "read-timeout", "", "HTTP read timeout")
	b.bind(durationFlag{&c.WriteTimeout, 1, 0}, "write-timeout", "", "HTTP write timeout")
	b.bind(durationFlag{&c.IdleTimeout, 1, 0}, "idle-timeout", "", "HTTP keep-alive idle timeout")
	b.bind(durationFlag{&c.ShutdownWait, 1, 0}, "shutdown-timeout", "", "how long in-flight requests may finish on SIGINT/SIGTERM; a second signal stops at once")
	// Anonymous application inquiries.
	b.bind(durationFlag{&c.InquiryInterval, 1, 0}, "inquiry-interval", "FPRLINK_INQUIRY_INTERVAL",
		"one anonymous application inquiry per client address per this interval on average")
	b.bind(intFlag[int]{&c.InquiryBurst, 1, 0}, "inquiry-burst", "FPRLINK_INQUIRY_BURST",
		"anonymous application inquiries a client address may make at once")
	b.bind(durationFlag{&c.EnrolCodeTTL, time.Minute, 24 * time.Hour}, "enrolment-code-ttl", "FPRLINK_ENROLMENT_CODE_TTL",
		"how long a one-time enrolment code stays valid, 1m to 24h")
	b.bind(stringFlag{&c.MessageFile, nil}, "message-file", "FPRLINK_MESSAGE_FILE",
		"file (mode 0600) the development message sender appends enrolment codes and other messages to; default <data dir>/messages.ndjson")
	b.bind(listFlag{&c.TrustedProxies, api.CheckTrustedProxies}, "trusted-proxies", "FPRLINK_TRUSTED_PROXIES",
		"comma-separated IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client; default none")
	b.bind(stringFlag{&c.MetricsListen, checkOptionalListen}, "metrics-listen", "FPRLINK_METRICS_LISTEN",
		"address (host:port) to serve /metrics on for operators, instead of on -listen; default empty: /metrics on -listen")
	b.bind(durationFlag{&c.SnapshotTTL, time.Second, 10 * time.Minute}, "snapshot-ttl", "FPRLINK_SNAPSHOT_TTL",
		"how long the in-memory directory and guidelines are served before they are read again: how long another node's change takes to show here, 1s to 10m")
	b.bind(boolFlag{&c.SecureCookies}, "secure-cookies", "FPRLINK_SECURE_COOKIES",
		"mark the web pages' cookies Secure although requests arrive over plain HTTP (set it behind a proxy that ends TLS)")
	c.EDoc = bindEDocConfig(b, getenv)
	if err := b.applyEnv(getenv); err != nil {
		return nil, err
	}
	return c, nil
}

// validate checks what depends on more than one setting and derives the
// issuer URL when none was given. It needs no database, so a mistake stops
// the command before anything is migrated or seeded.
func (c *config) validate() error {
	if c.ImportLimit < c.BodyLimit {
		return fmt.Errorf("%w: -import-limit (FPRLINK_IMPORT_LIMIT) must be at least -body-limit (FPRLINK_BODY_LIMIT)", errUsage)
	}
	if err := c.EDoc.validate(); err != nil {
		return err
	}
	if c.ReplicaURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("%w: -database-replica-url (FPRLINK_DATABASE_REPLICA_URL) needs a PostgreSQL -database-url (FPRLINK_DATABASE_URL): the embedded database has no replicas", errUsage)
	}
	c.issuerDerived = c.IssuerURL == ""
	if c.issuerDerived {
		c.IssuerURL = derivedIssuerURL(c.Listen)
		if _, err := checkIssuerURL(c.IssuerURL); err != nil {
			return fmt.Errorf("%w: -listen %q gives no usable issuer URL; set -issuer-url (FPRLINK_ISSUER_URL)", errUsage, c.Listen)
		}
	}
	return nil
}

// derivedIssuerURL is the issuer when none is configured: https and the
// listen address, with 127.0.0.1 for an empty or unspecified host.
func derivedIssuerURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "https://" + net.JoinHostPort(host, port)
}

// checkReplicaURL accepts a postgres:// URL or empty.
func checkReplicaURL(s string) (string, error) {
	if s != "" && !strings.HasPrefix(s, "postgres://") && !strings.HasPrefix(s, "postgresql://") {
		return "", errors.New("want a postgres:// URL of a streaming replica")
	}
	return s, nil
}

func checkListen(s string) (string, error) {
	if _, _, err := net.SplitHostPort(s); err != nil {
		return "", errors.New("want host:port, such as 127.0.0.1:8080 or :8080")
	}
	return s, nil
}

// checkOptionalListen is checkListen allowing empty (not configured).
func checkOptionalListen(s string) (string, error) {
	if s == "" {
		return s, nil
	}
	return checkListen(s)
}

// checkIssuerURL accepts an https URL with a host, without trailing slash
// (dropped), query or fragment. Empty means derive it from -listen.
func checkIssuerURL(s string) (string, error) {
	s = trimURL(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || issuer.ValidateIssuerURL(s) != nil {
		return "", errors.New("want an https URL with a host and no query or fragment, such as https://fprlink.example.gov.cn")
	}
	return s, nil
}

func checkLevel(s string) (string, error) {
	if _, err := parseLevel(s); err != nil {
		return "", err
	}
	return s, nil
}

func notEmpty(s string) (string, error) {
	if s == "" {
		return "", errors.New("must not be empty")
	}
	return s, nil
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

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, errors.New("want debug, info, warn or error")
	}
	return l, nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	l, _ := parseLevel(level)
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// newFlagSet makes the flag set of one command; synopsis follows "fprlink"
// in its -h text.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fprlink "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: fprlink %s\n\nFlags may come before or after the other arguments.", synopsis)
		vars := false
		fs.VisitAll(func(f *flag.Flag) { vars = vars || strings.Contains(f.Usage, "(FPRLINK_") })
		if vars {
			fmt.Fprint(out, " A flag beats its FPRLINK_* variable, the variable beats the default.")
		}
		fmt.Fprint(out, "\n\n")
		fs.VisitAll(func(f *flag.Flag) {
			kind, usage := flag.UnquoteUsage(f)
			if k, ok := f.Value.(interface{ kind() string }); ok {
				kind = k.kind()
			}
			if kind != "" {
				kind = " " + kind
			}
			fmt.Fprintf(out, "  -%s%s\n    \t%s", f.Name, kind, usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(out, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(out)
		})
	}
	return fs
}

// flagError is a mistake the flag package found and already printed,
// with the usage.
type flagError struct{ err error }

func (e flagError) Error() string        { return e.err.Error() }
func (e flagError) Is(target error) bool { return target == errUsage }

// parseArgs parses flags placed anywhere among args and returns the other
// arguments in order; everything after "--" is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, flagError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
