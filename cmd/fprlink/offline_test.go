package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const validLine = "fprlink e-document: VALID (status: valid)"

// The demo's documents verify as a relying party would, without the
// verify API: over loopback http when asked to, and from a trust bundle
// with no network at all.
func TestVerifyTheDemoOffline(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:" + port, "-data-dir", dir}, nil)
	defer stop()
	iss := "https://127.0.0.1:" + port
	doc, token := issueAs(t, base, readDemo(t, dir, "demo.json"), "erik")

	if code, out, errs := runCmd(t, nil, "verify", "--sector", "bank", "--issuer", iss, "--loopback-http", doc.QRText); code != 0 || !strings.Contains(out, validLine) {
		t.Fatalf("loopback: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCmd(t, nil, "verify", "--sector", "bank", "--loopback-http", "--jwks", "http://127.0.0.1:"+port+"/.well-known/jwks.json", doc.QRText); code != 0 || !strings.Contains(out, validLine) {
		t.Fatalf("loopback with an http JWKS URL: exit %d\n%s", code, out)
	}
	if code, _, errs := runCmd(t, nil, "verify", "--sector", "bank", "--jwks", "http://127.0.0.1:"+port+"/.well-known/jwks.json", doc.QRText); code != 2 || !strings.Contains(errs, "--loopback-http") {
		t.Fatalf("http JWKS URL without --loopback-http: exit %d, %q", code, errs)
	}

	served, made := filepath.Join(dir, "served.jwt"), filepath.Join(dir, "made.jwt")
	download(t, base+"/api/v1/trust-bundle", served)
	if code, out, errs := runCmd(t, map[string]string{"FPRLINK_DATA_DIR": dir, "FPRLINK_LISTEN": "127.0.0.1:" + port}, "bundle", "-o", made); code != 0 {
		t.Fatalf("fprlink bundle: exit %d %s %s", code, out, errs)
	}
	for _, b := range []string{served, made} {
		code, out, errs := runCmd(t, nil, "verify", "--sector", "bank", "--bundle", b, "--issuer", iss, doc.QRText)
		if code != 0 || !strings.Contains(out, validLine) || !strings.Contains(out, "trust bundle of "+iss+" made ") {
			t.Fatalf("bundle %s: exit %d\n%s%s", filepath.Base(b), code, out, errs)
		}
	}
	// Keys the relying party saved earlier must have signed the bundle.
	saved, other := filepath.Join(dir, "jwks.json"), filepath.Join(dir, "other-jwks.json")
	download(t, base+"/.well-known/jwks.json", saved)
	otherEnv := map[string]string{"FPRLINK_DATA_DIR": t.TempDir()}
	runCmd(t, otherEnv, "keys", "generate")
	_, otherJWKS, _ := runCmd(t, otherEnv, "keys", "jwks")
	writeTestFile(t, other, otherJWKS)
	if code, out, errs := runCmd(t, nil, "verify", "--sector", "bank", "--bundle", served, "--jwks", saved, "--issuer", iss, doc.QRText); code != 0 || !strings.Contains(out, validLine) {
		t.Fatalf("bundle signed by saved keys: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, nil, "verify", "--sector", "bank", "--bundle", served, "--jwks", other, "--issuer", iss, doc.QRText); code != 1 || !strings.Contains(errs, "trust bundle invalid") {
		t.Fatalf("bundle not signed by the saved keys: exit %d, %q", code, errs)
	}
	call(t, "POST", base+"/api/v1/me/attestations/"+doc.ID+"/revoke", token, nil, nil, 200)
	download(t, base+"/api/v1/trust-bundle", served)
	if code, out, _ := runCmd(t, nil, "verify", "--sector", "bank", "--bundle", served, "--issuer", iss, doc.QRText); code != 1 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoked, from the bundle: exit %d\n%s", code, out)
	}
}

func TestVerifyBundleUsage(t *testing.T) {
	for name, args := range map[string][]string{
		"fail-bundle-without-issuer":       {"verify", "--bundle", "b.jwt", "fprl:/00"},
		"fail-bundle-with-a-jwks-url":      {"verify", "--bundle", "b.jwt", "--issuer", "https://a.example", "--jwks", "https://a.example/.well-known/jwks.json", "fprl:/00"},
		"fail-bundle-with-loopback-http":   {"verify", "--bundle", "b.jwt", "--issuer", "https://a.example", "--loopback-http", "fprl:/00"},
		"fail-http-jwks-of-another-host":   {"verify", "--loopback-http", "--jwks", "http://fprlink.example.gov.cn/.well-known/jwks.json", "fprl:/00"},
		"fail-kek-takes-no-argument":       {"kek", "now"},
		"fail-bundle-command-no-arguments": {"bundle", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, errs := runCmd(t, nil, args...); code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, errs)
			}
		})
	}
	if code, _, errs := runCmd(t, map[string]string{"FPRLINK_DATA_DIR": t.TempDir()}, "bundle"); code != 1 || !strings.Contains(errs, "run fprlink serve once") {
		t.Fatalf("bundle before any start: exit %d, %q", code, errs)
	}
}

// After the issuer URL changes, documents issued under the old one still
// verify through the verify API, the published JWKS and the trust bundle,
// and start-up says what changed.
func TestIssuerURLChangeKeepsEarlierDocuments(t *testing.T) {
	dir := t.TempDir()
	oldPort := freePort(t)
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:" + oldPort, "-data-dir", dir}, nil)
	files := readDemo(t, dir, "demo.json")
	old, _ := issueAs(t, base, files, "erik")
	stop()

	newPort := freePort(t)
	env := map[string]string{"FPRLINK_DATA_DIR": dir, "FPRLINK_LISTEN": "127.0.0.1:" + newPort}
	stderr := &syncBuffer{}
	base = startServeLogging(t, env, stderr)
	oldIss, newIss := "https://127.0.0.1:"+oldPort, "https://127.0.0.1:"+newPort
	if !strings.Contains(stderr.String(), "the issuer URL changed from "+oldIss+" to "+newIss) {
		t.Fatalf("no warning at start: %s", stderr.String())
	}
	if got := verifyAsBank(t, base, bankKey(t, files), old.QRText); got != "valid" {
		t.Fatalf("verify API: %s", got)
	}
	var jwks struct {
		Issuers []string `json:"issuers"`
	}
	call(t, "GET", base+"/.well-known/jwks.json", "", nil, &jwks, 200)
	if !slices.Equal(jwks.Issuers, []string{newIss, oldIss}) {
		t.Fatalf("JWKS issuers %v", jwks.Issuers)
	}
	if code, out, errs := runCmd(t, nil, "verify", "--sector", "bank", "--issuer", newIss, "--loopback-http", old.QRText); code != 0 || !strings.Contains(out, validLine) {
		t.Fatalf("through the JWKS: exit %d\n%s%s", code, out, errs)
	}
	bundle := filepath.Join(dir, "trust-bundle.jwt")
	download(t, base+"/api/v1/trust-bundle", bundle)
	for _, trusted := range []string{newIss, oldIss} {
		if code, out, errs := runCmd(t, nil, "verify", "--sector", "bank", "--bundle", bundle, "--issuer", trusted, old.QRText); code != 0 || !strings.Contains(out, validLine) {
			t.Fatalf("through the bundle, trusting %s: exit %d\n%s%s", trusted, code, out, errs)
		}
	}
}

// startServeLogging starts serve with env and keeps its log in stderr.
func startServeLogging(t *testing.T, env map[string]string, stderr *syncBuffer) string {
	t.Helper()
	base, stop := startServeWith(t, nil, env, stderr)
	t.Cleanup(func() { stop() })
	return base
}

func writeTestFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
