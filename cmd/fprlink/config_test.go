package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// runWithin runs the command with a deadline, so a command that wrongly
// starts serving ends the test instead of hanging it.
func runWithin(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	code := run(ctx, args, strings.NewReader(""), stdout, stderr, envFrom(env))
	return code, stdout.String(), stderr.String()
}

func TestBadEnvironmentValueIsUsageError(t *testing.T) {
	for name, value := range map[string]string{
		"FPRLINK_AUTO_MIGRATE":            "off",
		"FPRLINK_JWKS_MAX_AGE":            "1d",
		"FPRLINK_BODY_LIMIT":              "1MB",
		"FPRLINK_IMPORT_LIMIT":            "lots",
		"FPRLINK_INQUIRY_INTERVAL":        "6",
		"FPRLINK_INQUIRY_BURST":           "0",
		"FPRLINK_DOCUMENT_VALIDITY":       "1y",
		"FPRLINK_STATUS_LIST_TTL":         "-5m",
		"FPRLINK_STATUS_LIST_LIFETIME":    "day",
		"FPRLINK_STATUS_LIST_SIZE":        "2",
		"FPRLINK_VERIFY_RATE":             "fast",
		"FPRLINK_VERIFY_BURST":            "1.5",
		"FPRLINK_LOG_LEVEL":               "loud",
		"FPRLINK_LISTEN":                  "8080",
		"FPRLINK_TRUSTED_PROXIES":         "proxy.example",
		"FPRLINK_ISSUER_URL":              "http://fprlink.example.gov.cn",
		"FPRLINK_KEK":                     "not-a-key",
		"FPRLINK_ATTESTATION_CAP":         "0",
		"FPRLINK_ENROLMENT_CODE_TTL":      "30s",
		"FPRLINK_ATTESTATION_DAILY_LIMIT": "many",
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "d")
			for _, args := range [][]string{{"migrate", "status"}, {"serve", "-listen", "127.0.0.1:0"}} {
				env := map[string]string{"FPRLINK_DATA_DIR": dir, name: value}
				if name == "FPRLINK_LISTEN" {
					args = args[:1]
				}
				code, _, stderr := runWithin(t, env, args...)
				if code != 2 || !strings.Contains(stderr, name) {
					t.Fatalf("%v with %s=%s: exit %d, stderr %q; want 2 naming the variable", args, name, value, code, stderr)
				}
				if name == "FPRLINK_KEK" && strings.Contains(stderr, value) {
					t.Fatalf("the KEK is shown: %q", stderr)
				}
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("the data dir was touched: %v", err)
			}
		})
	}
}

func TestEveryVariableIsReadAndFlagsWin(t *testing.T) {
	env := map[string]string{
		"FPRLINK_LISTEN":                   "10.0.0.5:9090",
		"FPRLINK_DATABASE_URL":             "postgres://db.internal/fprlink",
		"FPRLINK_DATABASE_REPLICA_URL":     "postgres://replica.internal/fprlink",
		"FPRLINK_DATABASE_REPLICA_MAX_LAG": "2s",
		"FPRLINK_DATA_DIR":                 "/var/lib/fprlink",
		"FPRLINK_ISSUER_URL":               "https://fprlink.example.gov.cn/",
		"FPRLINK_LOG_LEVEL":                "warn",
		"FPRLINK_AUTO_MIGRATE":             "false",
		"FPRLINK_BODY_LIMIT":               "2048",
		"FPRLINK_IMPORT_LIMIT":             "4096",
		"FPRLINK_TRUSTED_PROXIES":          "10.0.0.0/8, 192.168.1.1",
		"FPRLINK_INQUIRY_INTERVAL":         "2s",
		"FPRLINK_INQUIRY_BURST":            "3",
		"FPRLINK_KEK":                      strings.Repeat("ab", 32),
		"FPRLINK_KEK_FILE":                 "/run/secrets/kek",
		"FPRLINK_DOCUMENT_VALIDITY":        "720h",
		"FPRLINK_STATUS_LIST_TTL":          "1m",
		"FPRLINK_STATUS_LIST_LIFETIME":     "12h",
		"FPRLINK_STATUS_LIST_SIZE":         "1024",
		"FPRLINK_JWKS_MAX_AGE":             "90s",
		"FPRLINK_VERIFY_RATE":              "0",
		"FPRLINK_VERIFY_BURST":             "7",
		"FPRLINK_ATTESTATION_CAP":          "2",
		"FPRLINK_ENROLMENT_CODE_TTL":       "10m",
		"FPRLINK_MESSAGE_FILE":             "/var/spool/fprlink/messages.ndjson",
		"FPRLINK_ATTESTATION_DAILY_LIMIT":  "5",
		"FPRLINK_METRICS_LISTEN":           "127.0.0.1:9100",
		"FPRLINK_SNAPSHOT_TTL":             "5s",
	}
	fs := newFlagSet("serve", "serve", &strings.Builder{})
	cfg, err := bindConfig(fs, envFrom(env))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseArgs(fs, []string{"-jwks-max-age", "2m", "-migrate", "-listen", ":8443"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	want := config{
		Listen: ":8443", DatabaseURL: "postgres://db.internal/fprlink", DataDir: "/var/lib/fprlink",
		ReplicaURL: "postgres://replica.internal/fprlink", ReplicaMaxLag: 2 * time.Second,
		IssuerURL: "https://fprlink.example.gov.cn", LogLevel: "warn", AutoMigrate: true, BodyLimit: 2048, ImportLimit: 4096,
		ReadTimeout: 15 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second, ShutdownWait: 30 * time.Second,
		TrustedProxies: []string{"10.0.0.0/8", "192.168.1.1"}, InquiryInterval: 2 * time.Second, InquiryBurst: 3,
		EnrolCodeTTL: 10 * time.Minute, MessageFile: "/var/spool/fprlink/messages.ndjson",
		MetricsListen: "127.0.0.1:9100", SnapshotTTL: 5 * time.Second,
		EDoc: &edocConfig{KEK: strings.Repeat("ab", 32), KEKFile: "/run/secrets/kek", DocValidity: 720 * time.Hour,
			StatusTTL: time.Minute, StatusLifetime: 12 * time.Hour, StatusListSize: 1024, JWKSMaxAge: 2 * time.Minute, VerifyRate: 0, VerifyBurst: 7,
			IssueCap: 2, IssueDaily: 5},
	}
	if !reflect.DeepEqual(*cfg.EDoc, *want.EDoc) {
		t.Fatalf("e-document settings:\n got %+v\nwant %+v", *cfg.EDoc, *want.EDoc)
	}
	got := *cfg
	got.EDoc, want.EDoc = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("settings:\n got %+v\nwant %+v", got, want)
	}
}

func TestFlagMistakesExitTwo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		{[]string{"serve", "-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"serve", "-body-limit", "big"}, `invalid value "big" for flag -body-limit`},
		{[]string{"serve", "-migrate=off"}, `"off" for -migrate`},
		{[]string{"serve", "extra"}, `"extra"`},
		{[]string{"migrate", "up", "-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"migrate", "up", "down"}, "fprlink migrate up|status"},
		{[]string{"keys", "-bogus", "list"}, "flag provided but not defined: -bogus"},
		{[]string{"admin", "create", "--username", "root", "-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"verify", "-bogus", "fprl:/00"}, "flag provided but not defined: -bogus"},
	} {
		code, _, stderr := runWithin(t, map[string]string{"FPRLINK_DATA_DIR": dir}, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 with %q", tt.args, code, stderr, tt.msg)
		}
		if strings.Count(stderr, tt.msg) > 1 {
			t.Errorf("%v: the mistake is printed twice: %q", tt.args, stderr)
		}
	}
}

func TestSharedFlagsBeforeOrAfterTheVerb(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	steps := []struct {
		args []string
		out  string
	}{
		{[]string{"migrate", "up", "-data-dir", dir}, "applied"},
		{[]string{"migrate", "status", "-data-dir", dir}, "applied"},
		{[]string{"migrate", "-data-dir", dir, "status"}, "applied"},
		{[]string{"keys", "generate", "-data-dir", dir}, "active "},
		{[]string{"keys", "list", "-data-dir", dir}, " active "},
		{[]string{"keys", "-data-dir", dir, "jwks"}, `"keys"`},
		{[]string{"admin", "-data-dir", dir, "create", "--username", "root1"}, "created admin root1"},
		{[]string{"admin", "create", "--username", "root2", "-data-dir", dir}, "created admin root2"},
	}
	for _, s := range steps {
		env := map[string]string{"FPRLINK_ADMIN_PASSWORD": "a long admin password"}
		code, out, stderr := runWithin(t, env, s.args...)
		if code != 0 || !strings.Contains(out, s.out) {
			t.Fatalf("%v: exit %d, out %q, err %q", s.args, code, out, stderr)
		}
	}
	// Everything went to the data dir named after the verb.
	if _, err := os.Stat(filepath.Join(dir, "fprlink.db")); err != nil {
		t.Fatal(err)
	}
}

func TestValuesCheckedBeforeTheDatabase(t *testing.T) {
	for _, args := range [][]string{
		{"-status-list-size", "2"},
		{"-status-list-size", "5000000"},
		{"-issuer-url", "http://fprlink.example.gov.cn"},
		{"-issuer-url", "https://:443"},
		{"-issuer-url", "fprlink.example.gov.cn"},
		{"-listen", "8080"},
		{"-metrics-listen", "9090"},
		{"-snapshot-ttl", "0s"},
		{"-snapshot-ttl", "1h"},
		{"-body-limit", "100"},
		{"-body-limit", "4096", "-import-limit", "2048"},
		{"-status-list-ttl", "48h"},
		{"-verify-rate", "-1"},
		{"-verify-burst", "0"},
		{"-read-timeout", "0s"},
		{"-shutdown-timeout", "-1s"},
		{"-data-dir", ""},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Chdir(t.TempDir())
			code, _, stderr := runWithin(t, nil, append([]string{"serve"}, args...)...)
			if code != 2 || !strings.Contains(stderr, args[len(args)-2]) {
				t.Fatalf("exit %d, stderr %q; want 2 naming %s", code, stderr, args[len(args)-2])
			}
			if _, err := os.Stat("data"); !os.IsNotExist(err) {
				t.Fatalf("the database was opened: %v", err)
			}
		})
	}
}

func TestIssuerURLIsHTTPSDerivedFromListen(t *testing.T) {
	for listen, want := range map[string]string{
		":18080":                "https://127.0.0.1:18080",
		"0.0.0.0:8080":          "https://127.0.0.1:8080",
		"[::]:8443":             "https://127.0.0.1:8443",
		"127.0.0.1:8080":        "https://127.0.0.1:8080",
		"[::1]:8080":            "https://[::1]:8080",
		"fprlink.internal:8080": "https://fprlink.internal:8080",
	} {
		fs := newFlagSet("serve", "serve", &strings.Builder{})
		cfg, err := bindConfig(fs, envFrom(map[string]string{"FPRLINK_LISTEN": listen}))
		if err != nil {
			t.Fatal(err)
		}
		if err := cfg.validate(); err != nil {
			t.Fatalf("%s: %v", listen, err)
		}
		if cfg.IssuerURL != want || !cfg.issuerDerived {
			t.Errorf("listen %s: issuer %q (derived %v), want %q", listen, cfg.IssuerURL, cfg.issuerDerived, want)
		}
	}
	fs := newFlagSet("serve", "serve", &strings.Builder{})
	cfg, err := bindConfig(fs, envFrom(map[string]string{"FPRLINK_ISSUER_URL": "https://fprlink.example.gov.cn/"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil || cfg.IssuerURL != "https://fprlink.example.gov.cn" || cfg.issuerDerived {
		t.Fatalf("explicit issuer: %q %v %v", cfg.IssuerURL, cfg.issuerDerived, err)
	}
}

// With a configured database the KEK is never created: a new one could not
// open the keys already there. Errors name the file, never the key.
func TestKEKNotCreatedForConfiguredDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		dir := filepath.Join(t.TempDir(), "d")
		env := map[string]string{"FPRLINK_DATA_DIR": dir, "FPRLINK_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "configured.db")}
		if db.Dialect == storage.Postgres {
			env["FPRLINK_DATABASE_URL"] = schemaURL(t, db)
		}
		missing := filepath.Join(dir, "kek")
		code, _, stderr := runWithin(t, env, "keys", "list")
		if code != 1 || !strings.Contains(stderr, missing) || !strings.Contains(stderr, "FPRLINK_KEK") {
			t.Fatalf("without a KEK: exit %d, stderr %q; want 1 naming %s", code, stderr, missing)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Fatalf("a KEK file was created: %v", err)
		}
		code, _, stderr = runWithin(t, env, "serve", "-listen", "127.0.0.1:0")
		if code != 1 || !strings.Contains(stderr, missing) {
			t.Fatalf("serve without a KEK: exit %d, stderr %q", code, stderr)
		}

		good, wrong := filepath.Join(t.TempDir(), "good.kek"), filepath.Join(t.TempDir(), "wrong.kek")
		goodKey, wrongKey := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
		for p, k := range map[string]string{good: goodKey, wrong: wrongKey} {
			if err := os.WriteFile(p, []byte(k+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if code, _, stderr := runWithin(t, env, "keys", "generate", "-kek-file", good); code != 0 {
			t.Fatalf("generate with a KEK file: %d %s", code, stderr)
		}
		code, _, stderr = runWithin(t, env, "keys", "list", "-kek-file", wrong)
		if code != 1 || !strings.Contains(stderr, wrong) || strings.Contains(stderr, wrongKey) || strings.Contains(stderr, goodKey) {
			t.Fatalf("wrong KEK file: exit %d, stderr %q; want 1 naming the file, not the key", code, stderr)
		}
		env["FPRLINK_KEK"] = wrongKey
		code, _, stderr = runWithin(t, env, "keys", "list")
		if code != 1 || !strings.Contains(stderr, "FPRLINK_KEK") || strings.Contains(stderr, wrongKey) {
			t.Fatalf("wrong FPRLINK_KEK: exit %d, stderr %q", code, stderr)
		}
		env["FPRLINK_KEK"] = goodKey
		if code, out, stderr := runWithin(t, env, "keys", "list"); code != 0 || !strings.Contains(out, " active ") {
			t.Fatalf("FPRLINK_KEK: %d %q %s", code, out, stderr)
		}
	})
}

func TestServeRefusesUnmigratedDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		env := map[string]string{"FPRLINK_DATA_DIR": filepath.Join(t.TempDir(), "d"), "FPRLINK_KEK": strings.Repeat("ab", 32)}
		if db.Dialect == storage.Postgres {
			schema := "empty_" + strings.ReplaceAll(time.Now().Format("150405.000000000"), ".", "")
			if _, err := db.SQL.Exec("CREATE SCHEMA " + schema); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = db.SQL.Exec("DROP SCHEMA " + schema + " CASCADE") })
			env["FPRLINK_DATABASE_URL"] = withSearchPath(t, schema)
		}
		code, _, stderr := runWithin(t, env, "serve", "-migrate=false", "-listen", "127.0.0.1:0")
		if code != 1 || !strings.Contains(stderr, `fprlink migrate up`) || strings.Contains(stderr, "no such table") {
			t.Fatalf("exit %d, stderr %q; want 1 saying to run fprlink migrate up", code, stderr)
		}
		if code, _, stderr := runWithin(t, env, "migrate", "up"); code != 0 {
			t.Fatalf("migrate up: %d %s", code, stderr)
		}
		base, stop := startServe(t, []string{"-migrate=false", "-listen", "127.0.0.1:0"}, env)
		if code := get(t, base+"/readyz"); code != 200 {
			t.Fatalf("readyz after migrate up: %d", code)
		}
		if code := stop(); code != 0 {
			t.Fatalf("stop: %d", code)
		}
	})
}
