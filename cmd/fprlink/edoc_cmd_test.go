package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb, envFrom(env))
	return code, out.String(), errb.String()
}

func TestKeysCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FPRLINK_DATA_DIR": dir}
	if code, out, errs := runCmd(t, env, "keys", "generate"); code != 0 || !strings.HasPrefix(out, "active ") {
		t.Fatalf("generate: %d %q %q", code, out, errs)
	}
	if fi, err := os.Stat(filepath.Join(dir, "kek")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("kek file: %v %v", fi, err)
	}
	if code, _, _ := runCmd(t, env, "keys", "generate"); code == 0 {
		t.Fatal("second generate succeeded")
	}
	if code, _, _ := runCmd(t, env, "keys", "rotate"); code != 0 {
		t.Fatal("rotate failed")
	}
	_, out, _ := runCmd(t, env, "keys", "jwks")
	var set struct{ Keys []struct{ Kid string } }
	// The retired key signed nothing, so it has no documents to keep valid
	// and leaves the JWKS at once.
	if err := json.Unmarshal([]byte(out), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks after rotate: %v %s", err, out)
	}
	if code, out, errs := runCmd(t, env, "keys", "revoke", set.Keys[0].Kid); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: %d %s %s", code, out, errs)
	}
	_, out, _ = runCmd(t, env, "keys", "list")
	if strings.Count(out, " revoked ") != 1 || strings.Count(out, " retired ") != 1 || strings.Count(out, " active ") != 1 {
		t.Fatalf("list:\n%s", out)
	}
	// Another KEK cannot use the stored keys.
	env["FPRLINK_KEK"] = strings.Repeat("ab", 32)
	if code, _, _ := runCmd(t, env, "keys", "rotate"); code != 1 {
		t.Fatalf("rotate with a wrong KEK: exit %d", code)
	}
	for name, args := range map[string][]string{
		"fail-no-subcommand":   {"keys"},
		"fail-unknown":         {"keys", "shred"},
		"fail-revoke-no-kid":   {"keys", "revoke"},
		"fail-extra-argument":  {"keys", "list", "x"},
		"fail-verify-no-input": {"verify", "--jwks", "x.json", "--issuer", "https://a.example"},
		"fail-verify-no-keys":  {"verify", "fprl:/00"},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, _ := runCmd(t, env, args...); code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
		})
	}
}

func TestVerifyCommandReportsInvalid(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FPRLINK_DATA_DIR": dir}
	runCmd(t, env, "keys", "generate")
	_, jwks, _ := runCmd(t, env, "keys", "jwks")
	path := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(path, []byte(jwks), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, env, "verify", "--jwks", path, "--issuer", "https://fprlink.example.gov.cn", "fprl:/5")
	if code != 1 || !strings.Contains(out, "format") || !strings.Contains(strings.ToLower(out), "invalid") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}
