package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/demo"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// The bounds docs/OPERATIONS.md promises for a change on one node to be
// honoured by another, with the slack a loaded test machine needs.
const (
	nodeSnapshotTTL = 2 * time.Second // -snapshot-ttl of the test nodes
	keyCacheBound   = 2 * time.Second // attestations.KeyCacheTTL
	boundSlack      = 1500 * time.Millisecond
)

// buildBinary compiles fprlink once for the test, as it is deployed.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fprlink")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// node is one fprlink process.
type node struct {
	base string
	dir  string
	cmd  *exec.Cmd
	logs *syncBuffer
}

// startNode runs `fprlink serve` with env and waits until it listens.
func startNode(t *testing.T, bin string, env map[string]string, args ...string) *node {
	t.Helper()
	n := &node{dir: env["FPRLINK_DATA_DIR"], logs: &syncBuffer{}}
	n.cmd = exec.Command(bin, append([]string{"serve", "-listen", "127.0.0.1:0"}, args...)...)
	n.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + n.dir}
	for k, v := range env {
		n.cmd.Env = append(n.cmd.Env, k+"="+v)
	}
	n.cmd.Stderr = n.logs
	stdout, err := n.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = n.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = n.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = n.cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("node %s log:\n%s", n.base, n.logs.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case n.base = <-found:
	case <-time.After(60 * time.Second):
		t.Fatalf("node did not start: %s", n.logs.String())
	}
	return n
}

// nodesFixture is two fprlink processes behind no balancer, on one
// PostgreSQL schema: what a load balancer spreads requests over.
type nodesFixture struct {
	db   *storage.DB
	a, b *node
	demo demo.Result
	bank string
}

func startTwoNodes(t *testing.T) *nodesFixture {
	t.Helper()
	db := dbtest.Postgres(t)
	var schema string
	if err := db.Gorm.Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	// Both nodes: one database, one KEK, one public issuer URL, as behind
	// a load balancer; each its own data directory and message file.
	env := func() map[string]string {
		return map[string]string{
			"FPRLINK_DATABASE_URL": withSearchPath(t, schema), "FPRLINK_DATA_DIR": t.TempDir(),
			"FPRLINK_KEK": strings.Repeat("ef", 32), "FPRLINK_ISSUER_URL": "https://fprlink.example.gov.cn",
			"FPRLINK_VERIFY_RATE": "0", "FPRLINK_SNAPSHOT_TTL": nodeSnapshotTTL.String(), "FPRLINK_LOG_LEVEL": "warn",
		}
	}
	// Started together on an empty schema: migrations and the reference
	// data run once, under their locks.
	var a, b *node
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a = startNode(t, bin, env(), "-demo") }()
	go func() { defer wg.Done(); b = startNode(t, bin, env()) }()
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	d := readDemo(t, a.dir, "demo-postgres.json")
	return &nodesFixture{db: db, a: a, b: b, demo: d, bank: bankKey(t, d)}
}

func (f *nodesFixture) login(t *testing.T, n *node, username string) string {
	t.Helper()
	var login struct {
		Token string `json:"token"`
	}
	call(t, "POST", n.base+"/api/v1/auth/login", "", map[string]string{"username": username, "password": f.demo.Password(username)}, &login, 200)
	return login.Token
}

func (f *nodesFixture) issue(t *testing.T, n *node, token string) demoDoc {
	t.Helper()
	var doc demoDoc
	call(t, "POST", n.base+"/api/v1/me/attestations", token, map[string]string{"purpose": "bank"}, &doc, 201)
	return doc
}

func personOf(t *testing.T, d demo.Result, username string) string {
	t.Helper()
	for _, a := range d.Accounts {
		if a.Username == username {
			return a.PersonID
		}
	}
	t.Fatalf("no demo account %s", username)
	return ""
}

// within polls cond until it holds, failing when that takes longer than
// bound; it returns how long it took.
func within(t *testing.T, bound time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > bound {
			t.Fatalf("%s: not within %s", what, bound)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start)
}

var reason = map[string]map[string]string{"reason": {"en": "Drill.", "zh-CN": "演练。"}}

func TestTwoNodesHonourEachOthersChanges(t *testing.T) {
	f := startTwoNodes(t)
	a, b := f.a, f.b
	erikA := f.login(t, a, "erik")
	var me struct {
		Username string `json:"username"`
	}
	call(t, "GET", b.base+"/api/v1/me", erikA, nil, &me, 200) // sessions live in the database
	officer := f.login(t, b, "demo-officer")

	t.Run("revocation", func(t *testing.T) {
		doc := f.issue(t, a, erikA)
		if s := verifyAsBank(t, b.base, f.bank, doc.QRText); s != "valid" {
			t.Fatalf("before: %s", s)
		}
		call(t, "POST", a.base+"/api/v1/me/attestations/"+doc.ID+"/revoke", erikA, map[string]string{}, nil, 200)
		if s := verifyAsBank(t, b.base, f.bank, doc.QRText); s != "invalid" {
			t.Fatalf("the other node must refuse a revoked document at once: %s", s)
		}
	})
	t.Run("suspension", func(t *testing.T) {
		doc := f.issue(t, a, erikA)
		verifyAsBank(t, a.base, f.bank, doc.QRText)
		call(t, "POST", b.base+"/api/v1/admin/attestations/"+doc.ID+"/suspend", officer, reason, nil, 200)
		if s := verifyAsBank(t, a.base, f.bank, doc.QRText); s != "invalid" {
			t.Fatalf("the other node must refuse a suspended document at once: %s", s)
		}
	})
	t.Run("registry-event", func(t *testing.T) {
		aigerim := f.login(t, b, "aigerim")
		doc := f.issue(t, b, aigerim)
		verifyAsBank(t, b.base, f.bank, doc.QRText)
		var passport string
		if err := f.db.Gorm.Raw("SELECT id FROM passports WHERE person_id = ? AND status = 'valid'", personOf(t, f.demo, "aigerim")).Scan(&passport).Error; err != nil || passport == "" {
			t.Fatalf("passport: %q %v", passport, err)
		}
		call(t, "POST", a.base+"/api/v1/admin/passports/"+passport+"/status", f.login(t, a, "demo-officer"), map[string]string{"status": "lost"}, nil, 200)
		if s := verifyAsBank(t, b.base, f.bank, doc.QRText); s != "invalid" {
			t.Fatalf("the other node must refuse a document whose passport was reported lost: %s", s)
		}
	})
	t.Run("signing-key-revocation", func(t *testing.T) {
		doc := f.issue(t, a, erikA)
		if s := verifyAsBank(t, b.base, f.bank, doc.QRText); s != "valid" { // b's key cache holds the key
			t.Fatalf("before: %s", s)
		}
		var jwks struct {
			Keys []struct {
				KID string `json:"kid"`
			} `json:"keys"`
		}
		call(t, "GET", b.base+"/.well-known/jwks.json", "", nil, &jwks, 200)
		if len(jwks.Keys) != 1 {
			t.Fatalf("jwks: %+v", jwks)
		}
		kid := jwks.Keys[0].KID
		call(t, "POST", a.base+"/api/v1/admin/signing-keys/"+kid+"/revoke", f.login(t, a, "demo-admin"), nil, nil, 200)
		if s := verifyAsBank(t, a.base, f.bank, doc.QRText); s != "invalid" {
			t.Fatalf("the revoking node must refuse at once: %s", s)
		}
		call(t, "GET", b.base+"/.well-known/jwks.json", "", nil, &jwks, 200)
		for _, k := range jwks.Keys {
			if k.KID == kid {
				t.Fatal("the other node still publishes the revoked key")
			}
		}
		took := within(t, keyCacheBound+boundSlack, "the other node refusing the revoked key's documents", func() bool {
			return verifyAsBank(t, b.base, f.bank, doc.QRText) == "invalid"
		})
		t.Logf("honoured by the other node after %s", took.Round(10*time.Millisecond))
		again := f.issue(t, b, erikA) // signed with the new key, on the other node
		if s := verifyAsBank(t, a.base, f.bank, again.QRText); s != "valid" {
			t.Fatalf("a document issued again: %s", s)
		}
	})
	t.Run("directory-change", func(t *testing.T) {
		var centers struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		call(t, "GET", b.base+"/api/v1/service-centers?limit=1", "", nil, &centers, 200)
		id := centers.Items[0].ID
		day := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
		call(t, "POST", a.base+"/api/v1/admin/service-centers/"+id+"/closures", officer,
			map[string]any{"date": day, "reason": map[string]string{"en": "Drill closure.", "zh-CN": "演练闭馆。"}}, nil, 201)
		took := within(t, nodeSnapshotTTL+boundSlack, "the closure showing on the other node", func() bool {
			var c struct {
				Closures []struct {
					Date string `json:"date"`
				} `json:"closures"`
			}
			call(t, "GET", b.base+"/api/v1/service-centers/"+id, "", nil, &c, 200)
			for _, cl := range c.Closures {
				if cl.Date == day {
					return true
				}
			}
			return false
		})
		t.Logf("shown by the other node after %s", took.Round(10*time.Millisecond))
	})
}

// A slot's last seats are raced for by residents booking through both
// nodes at once: exactly the capacity is booked, the others refused.
func TestTwoNodesNeverOverbook(t *testing.T) {
	f := startTwoNodes(t)
	officer := f.login(t, f.a, "demo-officer")
	center, slot := firstFreeSlot(t, f.a.base)
	var cfg map[string]any
	call(t, "GET", f.a.base+"/api/v1/admin/service-centers/"+center+"/slot-config", officer, nil, &cfg, 200)
	for _, g := range cfg["groups"].([]any) {
		g.(map[string]any)["capacity"] = 1
	}
	delete(cfg, "effective_window")
	delete(cfg, "default_window")
	call(t, "PUT", f.a.base+"/api/v1/admin/service-centers/"+center+"/slot-config", officer, cfg, nil, 200)
	center, slot = firstFreeSlotWithin(t, f.b.base, center)

	residents := []string{"erik", "aigerim", "haruto", "sofia"}
	tokens := make([]string, len(residents))
	for i, r := range residents {
		tokens[i] = f.login(t, []*node{f.a, f.b}[i%2], r)
	}
	codes := make([]int, len(residents))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			n := []*node{f.a, f.b}[i%2]
			body, _ := json.Marshal(map[string]string{"business": "visa_extension", "center_id": center, "slot_start": slot})
			req, _ := http.NewRequestWithContext(context.Background(), "POST", n.base+"/api/v1/appointments", strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tokens[i])
			if resp, err := http.DefaultClient.Do(req); err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
			}
		}()
	}
	close(start)
	wg.Wait()
	booked := 0
	for i, c := range codes {
		switch c {
		case 201:
			booked++
		case 409:
		default:
			t.Errorf("%s: %d", residents[i], c)
		}
	}
	var rows, counter int64
	f.db.Gorm.Raw("SELECT count(*) FROM appointments WHERE status = 'booked'").Scan(&rows)
	f.db.Gorm.Raw("SELECT coalesce(sum(booked), 0) FROM slot_bookings").Scan(&counter)
	if booked != 1 || rows != 1 || counter != 1 {
		t.Fatalf("capacity 1: %d answered booked (%v), %d rows, counter %d", booked, codes, rows, counter)
	}
}

// firstFreeSlotWithin is firstFreeSlot at a given centre.
func firstFreeSlotWithin(t *testing.T, base, center string) (string, string) {
	t.Helper()
	for d := 1; d < 30; d++ {
		day := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, d).Format(time.DateOnly)
		var slots struct {
			Slots []struct {
				Start     string `json:"start"`
				Remaining int    `json:"remaining"`
			} `json:"slots"`
		}
		call(t, "GET", base+"/api/v1/service-centers/"+center+"/slots?business=visa_extension&date="+day, "", nil, &slots, 200)
		for _, s := range slots.Slots {
			if s.Remaining == 1 {
				return center, s.Start
			}
		}
	}
	t.Fatal("no slot of capacity 1")
	return "", ""
}

var enrolCode = regexp.MustCompile(`[0-9A-Z]{4}(-[0-9A-Z]{4}){3}`)

// A message queued on one node is sent once, by one of the two
// dispatchers: the claim is a conditional update only one node wins.
func TestTwoNodesSendAMessageOnce(t *testing.T) {
	f := startTwoNodes(t)
	call(t, "POST", f.a.base+"/api/v1/auth/enrolment-codes", "", map[string]string{
		"passport_number": "A09182736", "nationality": "NGA", "birth_date": "1941-02-09", "fpr_card_number": "NGA440141020966"}, nil, 202)
	sent := func() int {
		n := 0
		for _, nd := range []*node{f.a, f.b} {
			b, _ := os.ReadFile(filepath.Join(nd.dir, "messages.ndjson"))
			for _, line := range strings.Split(string(b), "\n") {
				if strings.Contains(line, "+447700900106") && enrolCode.MatchString(line) {
					n++
				}
			}
		}
		return n
	}
	within(t, 15*time.Second, "the enrolment code being sent", func() bool { return sent() > 0 })
	time.Sleep(5 * time.Second) // both dispatchers run every 2 s
	if n := sent(); n != 1 {
		t.Fatalf("sent %d times by the two nodes", n)
	}
}
