package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/fprlink/fprlink/internal/demo"
)

// freePort returns a loopback port nothing listens on now. The derived
// issuer URL names the port, so a test that must know its issuer picks it
// before serve starts rather than letting serve take port 0.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// call sends a JSON request and decodes a JSON answer into out (if not
// nil), failing unless the status is want.
func call(t *testing.T, method, url, bearer string, body, out any, want int) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, url, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
}

// demoDoc is an e-document issued on a running demo.
type demoDoc struct {
	ID     string `json:"id"`
	QRText string `json:"qr_text"`
}

// readDemo reads a demo logins file.
func readDemo(t *testing.T, dir, name string) demo.Result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	var r demo.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// bankKey is the demo bank's API key in a demo file.
func bankKey(t *testing.T, r demo.Result) string {
	t.Helper()
	var parties []struct {
		Sector string `json:"sector"`
		APIKey string `json:"api_key"`
	}
	if err := json.Unmarshal(r.Extra["relying_parties"], &parties); err != nil {
		t.Fatal(err)
	}
	for _, p := range parties {
		if p.Sector == "bank" {
			return p.APIKey
		}
	}
	t.Fatal("no demo bank")
	return ""
}

// issueAs signs in as username with the demo file's password and issues
// an e-document.
func issueAs(t *testing.T, base string, r demo.Result, username string) (demoDoc, string) {
	t.Helper()
	var login struct {
		Token string `json:"token"`
	}
	call(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": username, "password": r.Password(username)}, &login, 200)
	var doc demoDoc
	call(t, "POST", base+"/api/v1/me/attestations", login.Token, map[string]string{"purpose": "bank"}, &doc, 201)
	return doc, login.Token
}

// verifyAsBank asks the verify API as the demo bank and returns its status.
func verifyAsBank(t *testing.T, base, key, qr string) string {
	t.Helper()
	var v struct {
		Status string `json:"status"`
	}
	call(t, "POST", base+"/api/v1/verify", key, map[string]string{"qr": qr}, &v, 200)
	return v.Status
}

// download saves the body of GET url to path.
func download(t *testing.T, url, path string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
