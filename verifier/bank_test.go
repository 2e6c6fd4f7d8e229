package verifier_test

import (
	"bytes"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// A bank program written from the examples alone (testdata/bank, which
// uses only what they show) builds and answers as the issuer would: from
// a trust bundle with no network, and online.
func TestBankProgramBuiltFromTheExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	dir := t.TempDir()
	bank := filepath.Join(dir, "bank")
	if out, err := exec.Command(goTool, "build", "-o", bank, "./testdata/bank").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	var svc *exampleService
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { svc.ServeHTTP(w, r) }))
	defer srv.Close()
	svc = newExampleService(srv.URL, time.Now)
	good, revoked := svc.issue(), svc.issue()
	_ = svc.list.Set(revoked.Claims.Status.StatusList.Index, edoc.StatusInvalid)
	bundleFile := filepath.Join(dir, "trust-bundle.jwt")
	caFile := filepath.Join(dir, "ca.pem")
	writeFile(t, bundleFile, svc.bundle())
	writeFile(t, caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	scans := good.QRText + "\n" + revoked.JWS + "\n" + "fprl:/5601\n"
	want := "valid " + good.Claims.ID + "\ninvalid -\ninvalid -\n"

	for name, args := range map[string][]string{
		"bundle": {"-issuer", srv.URL, "-bundle", bundleFile},
		"online": {"-issuer", srv.URL, "-online", "-ca", caFile},
	} {
		cmd := exec.Command(bank, args...)
		cmd.Stdin = strings.NewReader(scans)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 || stdout.String() != want {
			t.Fatalf("%s: %v\nstdout:\n%s\nwant:\n%s\nstderr: %s", name, err, stdout.String(), want, stderr.String())
		}
	}
	srv.Close()
	cmd := exec.Command(bank, "-issuer", srv.URL, "-bundle", bundleFile)
	cmd.Stdin = strings.NewReader(good.QRText + "\n")
	if out, err := cmd.Output(); err != nil || string(out) != "valid "+good.Claims.ID+"\n" {
		t.Fatalf("with the issuer gone, the bundle alone: %v %q", err, out)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
