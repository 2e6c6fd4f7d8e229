package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// readmeBlocks returns the shell blocks README.md marks with
// <!-- readme-test: NAME -->, by name.
func readmeBlocks(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)<!-- readme-test: ([a-z-]+) -->\n```sh\n(.*?)```")
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	for _, name := range []string{"serve-sqlite", "helper", "chinese-helper", "try", "verify-offline", "postgres-demo", "postgres-try"} {
		if out[name] == "" {
			t.Fatalf("README.md has no block marked readme-test: %s", name)
		}
	}
	return out
}

// readmeShell runs README blocks with bash in one folder, as a reader
// would type them: "go run ./cmd/fprlink" is the binary built for the
// test, and the ports are free ones instead of 8080 and 8081.
type readmeShell struct {
	t       *testing.T
	dir     string
	env     []string
	replace *strings.Replacer
}

func (r *readmeShell) script(block string) string {
	return `set -euo pipefail
go() { if [ "$1" = run ] && [ "$2" = ./cmd/fprlink ]; then shift 2; "$FPRLINK_BIN" "$@"; else echo "README runs go $*" >&2; return 1; fi; }
createdb() { :; }  # the test gives PostgreSQL a fresh schema instead
` + r.replace.Replace(block)
}

func (r *readmeShell) command(block string) *exec.Cmd {
	cmd := exec.Command("bash", "-c", r.script(block))
	cmd.Dir, cmd.Env = r.dir, r.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// run runs block to the end and returns its output.
func (r *readmeShell) run(block string) string {
	r.t.Helper()
	out, err := r.command(block).CombinedOutput()
	if err != nil {
		r.t.Fatalf("README block failed: %v\n%s\n--- output:\n%s", err, r.replace.Replace(block), out)
	}
	return string(out)
}

// serve starts a block ending in "serve" and waits until it listens; the
// returned function stops it as Ctrl-C would.
func (r *readmeShell) serve(block string, env ...string) (string, func()) {
	r.t.Helper()
	cmd := r.command(block)
	cmd.Env = append(cmd.Env, env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
			_ = cmd.Wait()
		})
	}
	r.t.Cleanup(stop)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if listenLine.MatchString(out.String()) {
			return out.String(), stop
		}
		if cmd.ProcessState != nil {
			break
		}
	}
	stop()
	r.t.Fatalf("README's serve did not start:\n%s", out.String())
	return "", nil
}

// needReadmeTools skips the test without what README's commands use,
// except under CI, which installs it.
func needReadmeTools(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs README's commands")
	}
	for _, tool := range []string{"bash", "curl", "jq", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("README's commands need %s", tool)
			}
			t.Skipf("README's commands need %s", tool)
		}
	}
}

// TestReadmeDemoSQLiteThenPostgres follows README.md from one folder: the
// SQLite demo, an e-document verified by the demo bank and offline to
// VALID, then the PostgreSQL demo beside it with its own logins and bank,
// verified the same way, and the SQLite demo still as it was.
func TestReadmeDemoSQLiteThenPostgres(t *testing.T) {
	needReadmeTools(t)
	pg := dbtest.Postgres(t)
	blocks := readmeBlocks(t)
	bin := filepath.Join(t.TempDir(), "fprlink")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sqlitePort, pgPort := freePort(t), freePort(t)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FPRLINK_") {
			env = append(env, kv)
		}
	}
	sh := &readmeShell{t: t, dir: t.TempDir(), env: append(env, "FPRLINK_BIN="+bin), replace: strings.NewReplacer(
		"127.0.0.1:8080", "127.0.0.1:"+sqlitePort, "127.0.0.1:8081", "127.0.0.1:"+pgPort,
		"postgres://postgres@127.0.0.1:5432/fprlink_demo?sslmode=disable", schemaURL(t, pg))}
	firstLine, _, _ := strings.Cut(blocks["try"], "\n")
	pgTry := strings.Replace(blocks["try"], firstLine, strings.TrimSpace(blocks["postgres-try"]), 1)
	pgVerify := strings.ReplaceAll(blocks["verify-offline"], "127.0.0.1:8080", "127.0.0.1:8081")
	checkTry := func(what, out string) {
		t.Helper()
		if !strings.Contains(out, `"status": "valid"`) || strings.Count(out, validLine) != 2 {
			t.Fatalf("%s: the demo bank and both offline checks must say valid:\n%s", what, out)
		}
	}

	printed, stop := sh.serve(blocks["serve-sqlite"], "FPRLINK_LISTEN=127.0.0.1:"+sqlitePort)
	if !strings.Contains(printed, "data/demo.json") || !strings.Contains(printed, "erik") {
		t.Fatalf("the SQLite demo's logins are not printed:\n%s", printed)
	}
	checkTry("SQLite demo", sh.run(blocks["try"]+blocks["verify-offline"]))
	if out := sh.run(blocks["helper"]); !strings.Contains(out, `"SE7710254"`) || !strings.Contains(out, `"ANDERSSON, LINNEA"`) {
		t.Fatalf("the helper step does not show the child's passport:\n%s", out)
	}
	if out := sh.run(blocks["chinese-helper"]); !strings.Contains(out, `"role": "helper"`) || !strings.Contains(out, `"0359"`) {
		t.Fatalf("the Chinese helper did not enrol:\n%s", out)
	}
	stop()
	sqliteDemo, _ := os.ReadFile(filepath.Join(sh.dir, "data", "demo.json"))

	printed, stop = sh.serve(blocks["postgres-demo"])
	if !strings.Contains(printed, "data/demo-postgres.json") || !strings.Contains(printed, "erik") {
		t.Fatalf("the PostgreSQL demo's logins are not printed:\n%s", printed)
	}
	checkTry("PostgreSQL demo", sh.run(pgTry+pgVerify))
	stop()
	if b, _ := os.ReadFile(filepath.Join(sh.dir, "data", "demo.json")); string(b) != string(sqliteDemo) {
		t.Fatal("the PostgreSQL demo changed the SQLite demo's demo.json")
	}

	_, stop = sh.serve(blocks["serve-sqlite"], "FPRLINK_LISTEN=127.0.0.1:"+sqlitePort)
	defer stop()
	checkTry("SQLite demo afterwards", sh.run(blocks["try"]+blocks["verify-offline"]))
}
