package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestReplicaServesPublicationWhilePrimaryServesVerificationAndOwnData
// runs the service on the replica test pair and holds the replica back:
// the JWKS and the status lists come from the replica, while the
// resident's revocation, the resident's own view of it and the verify API
// are on the primary at once. Then the replica goes down and the same
// published reads fall back to the primary.
func TestReplicaServesPublicationWhilePrimaryServesVerificationAndOwnData(t *testing.T) {
	db, rep := dbtest.Replicated(t)
	target, err := url.Parse(rep.ReplicaURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{target: target.Host}
	p.start(t)
	defer p.cut()
	replicaURL := *target
	replicaURL.Host = p.addr
	dir, port := t.TempDir(), freePort(t)
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:" + port, "-data-dir", dir, "--demo", "-migrate=false"},
		map[string]string{"FPRLINK_DATABASE_URL": rep.PrimaryURL, "FPRLINK_DATABASE_REPLICA_URL": replicaURL.String(),
			"FPRLINK_DATABASE_REPLICA_MAX_LAG": "30s", "FPRLINK_KEK": strings.Repeat("cd", 32)})
	defer stop()
	demoFile := readDemo(t, dir, "demo-postgres.json")
	doc, token := issueAs(t, base, demoFile, "erik")
	bank := bankKey(t, demoFile)
	if st := verifyAsBank(t, base, bank, doc.QRText); st != "valid" {
		t.Fatalf("before: %s", st)
	}
	var listID string
	if err := db.Gorm.Raw("SELECT id FROM status_lists").Scan(&listID).Error; err != nil || listID == "" {
		t.Fatalf("status list: %q %v", listID, err)
	}
	listURL := base + "/api/v1/status-lists/" + listID

	rep.Heartbeat(t, db)
	waitFor(t, func() bool { return metric(t, base, "fprlink_database_replica_lag_seconds") == 0 }, "the server to see the replica caught up")
	jwksBefore, listBefore := body(t, base+"/.well-known/jwks.json"), body(t, listURL)
	rep.Pause(t)

	// The resident revokes: the write, the resident's own read and every
	// verification see it at once.
	call(t, "POST", base+"/api/v1/me/attestations/"+doc.ID+"/revoke", token, nil, nil, 200)
	var own struct {
		State string `json:"state"`
	}
	call(t, "GET", base+"/api/v1/me/attestations/"+doc.ID, token, nil, &own, 200)
	if own.State != "revoked" {
		t.Fatalf("the resident's own read after revoking: %q", own.State)
	}
	if st := verifyAsBank(t, base, bank, doc.QRText); st != "invalid" {
		t.Fatalf("verification after the revocation: %s, want invalid at once", st)
	}
	// A key rotation by another process.
	if code, out, errs := runCmd(t, map[string]string{"FPRLINK_DATABASE_URL": rep.PrimaryURL, "FPRLINK_KEK": strings.Repeat("cd", 32)},
		"keys", "rotate"); code != 0 {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	var primaryKeys int
	if err := db.Gorm.Raw("SELECT count(*) FROM signing_keys").Scan(&primaryKeys).Error; err != nil || primaryKeys != 2 {
		t.Fatalf("keys on the primary: %d %v", primaryKeys, err)
	}
	// The published keys and list are the paused replica's.
	if got := body(t, base+"/.well-known/jwks.json"); got != jwksBefore {
		t.Fatalf("the JWKS changed while the replica was paused: it was not read there\nbefore %s\nafter  %s", jwksBefore, got)
	}
	if got := body(t, listURL); got != listBefore {
		t.Fatal("the status list changed while the replica was paused: it was not read there")
	}
	if m := metric(t, base, `fprlink_database_replica_in_use`); m != 1 {
		t.Fatalf("replica in use: %v", m)
	}
	if m := metric(t, base, `fprlink_database_replica_reads_total{served_by="replica"}`); m < 2 {
		t.Fatalf("reads served by the replica: %v", m)
	}
	waitFor(t, func() bool { return metric(t, base, "fprlink_database_replica_lag_seconds") > 0 }, "the lag metric to show the paused replica behind")

	rep.Resume(t)
	waitFor(t, func() bool { return body(t, base+"/.well-known/jwks.json") != jwksBefore }, "the new key on the JWKS once the replica replays")
	waitFor(t, func() bool { return body(t, listURL) != listBefore }, "the revocation on the published list once the replica replays")

	// The replica goes down: the published reads are answered by the
	// primary, and the metrics say so.
	p.cut()
	primaryBefore := metric(t, base, `fprlink_database_replica_reads_total{served_by="primary"}`)
	if code := get(t, base+"/.well-known/jwks.json"); code != 200 {
		t.Fatalf("JWKS with the replica down: %d", code)
	}
	if code := get(t, listURL); code != 200 {
		t.Fatalf("status list with the replica down: %d", code)
	}
	waitFor(t, func() bool { return metric(t, base, "fprlink_database_replica_in_use") == 0 }, "the replica out of use")
	if m := metric(t, base, "fprlink_database_replica_lag_seconds"); m != -1 {
		t.Fatalf("lag of a replica that is down: %v, want -1", m)
	}
	if m := metric(t, base, `fprlink_database_replica_reads_total{served_by="primary"}`); m < primaryBefore+2 {
		t.Fatalf("reads served by the primary: %v, before %v", m, primaryBefore)
	}
}

func TestReplicaURLNeedsPostgresDatabase(t *testing.T) {
	code, _, errs := runCmd(t, map[string]string{"FPRLINK_DATA_DIR": t.TempDir(),
		"FPRLINK_DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5437/test"}, "serve", "-listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "-database-replica-url (FPRLINK_DATABASE_REPLICA_URL) needs a PostgreSQL -database-url") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestReplicaURLMustBePostgres(t *testing.T) {
	code, _, errs := runCmd(t, map[string]string{"FPRLINK_DATA_DIR": t.TempDir()},
		"serve", "-listen", "127.0.0.1:0", "-database-replica-url", "sqlite:replica.db")
	if code != 2 || !strings.Contains(errs, "want a postgres:// URL of a streaming replica") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func TestReplicaMaxLagOutOfRange(t *testing.T) {
	code, _, errs := runCmd(t, map[string]string{"FPRLINK_DATA_DIR": t.TempDir(), "FPRLINK_DATABASE_REPLICA_MAX_LAG": "2m"},
		"serve", "-listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "FPRLINK_DATABASE_REPLICA_MAX_LAG") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

func body(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// metric reads one sample of /metrics by its name and labels as printed.
func metric(t *testing.T, base, series string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindStringSubmatch(body(t, base+"/metrics"))
	if m == nil {
		t.Fatalf("no %s on /metrics", series)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
