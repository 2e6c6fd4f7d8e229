package keys

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func newTestManager(t *testing.T) (*Manager, *fakeClock, *MemoryStore) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	store := &MemoryStore{}
	m, err := NewManager(Config{Store: store, KEK: make([]byte, KEKSize), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return m, clock, store
}

type jwksDoc struct {
	Keys []map[string]any `json:"keys"`
}

func jwksKids(t *testing.T, m *Manager) []string {
	t.Helper()
	raw, err := m.JWKS(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var doc jwksDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range doc.Keys {
		if _, ok := k["d"]; ok {
			t.Fatal("JWKS leaks a private key")
		}
		if k["use"] != "sig" || k["alg"] != "ES256" {
			t.Fatalf("JWKS entry lacks use/alg: %v", k)
		}
		kids = append(kids, k["kid"].(string))
	}
	return kids
}

// rfc7638 computes the thumbprint by hand from the canonical member order.
func rfc7638(pub *ecdsa.PublicKey) string {
	b := func(n []byte) string { return base64.RawURLEncoding.EncodeToString(n) }
	x, y := make([]byte, 32), make([]byte, 32)
	pub.X.FillBytes(x)
	pub.Y.FillBytes(y)
	canon := fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, b(x), b(y))
	sum := sha256.Sum256([]byte(canon))
	return b(sum[:])
}

func TestKIDIsRFC7638Thumbprint(t *testing.T) {
	m, _, _ := newTestManager(t)
	rec, err := m.Generate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(rec.PublicJWK); err != nil {
		t.Fatal(err)
	}
	if want := rfc7638(jwk.Key.(*ecdsa.PublicKey)); rec.KID != want {
		t.Fatalf("kid %s, want %s", rec.KID, want)
	}
	if kids := jwksKids(t, m); len(kids) != 1 || kids[0] != rec.KID {
		t.Fatalf("JWKS kids %v", kids)
	}
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	m, clock, _ := newTestManager(t)
	if _, err := m.Rotate(ctx); !errors.Is(err, ErrNoActiveKey) {
		t.Fatalf("rotate without key: %v", err)
	}
	first, err := m.Generate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Generate(ctx); !errors.Is(err, ErrActiveKeyExists) {
		t.Fatalf("second generate: %v", err)
	}
	docExp := clock.t.Add(30 * 24 * time.Hour)
	if err := m.RecordIssued(ctx, first.KID, docExp); err != nil {
		t.Fatal(err)
	}
	second, err := m.Rotate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if kids := jwksKids(t, m); len(kids) != 2 {
		t.Fatalf("after rotation JWKS has %v, want both keys", kids)
	}
	s, err := m.ActiveSigner(ctx)
	if err != nil || s.KID() != second.KID {
		t.Fatalf("active signer %v, %v", s, err)
	}
	clock.t = docExp.Add(time.Second)
	if kids := jwksKids(t, m); len(kids) != 1 || kids[0] != second.KID {
		t.Fatalf("retired key not dropped after its last document expired: %v", kids)
	}
	assertOneActive(t, m)
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	m, clock, _ := newTestManager(t)
	first, _ := m.Generate(ctx)
	_ = m.RecordIssued(ctx, first.KID, clock.t.Add(time.Hour))
	second, _ := m.Rotate(ctx)
	if _, err := m.Revoke(ctx, first.KID); err != nil {
		t.Fatal(err)
	}
	if kids := jwksKids(t, m); len(kids) != 1 || kids[0] != second.KID {
		t.Fatalf("revoked key still published: %v", kids)
	}
	if rev, _ := m.IsRevoked(ctx, first.KID); !rev {
		t.Fatal("IsRevoked false for revoked key")
	}
	if rev, _ := m.IsRevoked(ctx, second.KID); rev {
		t.Fatal("IsRevoked true for active key")
	}
	repl, err := m.Revoke(ctx, second.KID)
	if err != nil || repl.KID == "" || repl.State != StateActive {
		t.Fatalf("revoking the active key must activate a replacement: %+v %v", repl, err)
	}
	if _, err := m.Revoke(ctx, "nope"); !errors.Is(err, ErrKeyNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	assertOneActive(t, m)
}

func assertOneActive(t *testing.T, m *Manager) {
	t.Helper()
	recs, _ := m.List(context.Background())
	n := 0
	for _, r := range recs {
		if r.State == StateActive {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d active keys", n)
	}
}

func TestConcurrentRotationKeepsOneActive(t *testing.T) {
	ctx := context.Background()
	m, _, _ := newTestManager(t)
	if _, err := m.Generate(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := m.Rotate(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	assertOneActive(t, m)
}

func TestPrivateKeyEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	m, clock, store := newTestManager(t)
	rec, _ := m.Generate(ctx)
	if strings.Contains(string(rec.PublicJWK), `"d"`) {
		t.Fatal("public JWK holds private part")
	}
	other, _ := NewManager(Config{Store: store, KEK: []byte(strings.Repeat("k", 32)), Now: clock.Now})
	if _, err := other.ActiveSigner(ctx); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("wrong KEK: %v", err)
	}
	// A ciphertext moved to another kid must not decrypt: the kid is bound as AAD.
	_ = store.Update(ctx, func(cur []Record) ([]Record, error) {
		cur[0].KID = "moved"
		return cur, nil
	})
	moved := Record{KID: "moved", EncryptedPrivateKey: rec.EncryptedPrivateKey}
	if _, err := m.decrypt(moved); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("moved ciphertext: %v", err)
	}
}

func TestSignerSeamVerifiesWithGoJose(t *testing.T) {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, err := NewSigner(priv) // stands in for an HSM's crypto.Signer
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: s}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, _ := signer.Sign([]byte("hello"))
	compact, _ := jws.CompactSerialize()
	parsed, err := jose.ParseSigned(compact, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Signatures[0].Header.KeyID != s.KID() {
		t.Fatal("kid header missing")
	}
	if _, err := parsed.Verify(&priv.PublicKey); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignPayload([]byte("x"), jose.RS256); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Fatalf("RS256: %v", err)
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if _, err := NewSigner(p384); !errors.Is(err, ErrUnsupportedKey) {
		t.Fatalf("P-384: %v", err)
	}
}

func TestKEK(t *testing.T) {
	raw := make([]byte, 32)
	raw[0] = 7
	for _, s := range []string{
		base64.StdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw),
		fmt.Sprintf("%x", raw), " " + base64.StdEncoding.EncodeToString(raw) + "\n",
	} {
		if got, err := ParseKEK(s); err != nil || got[0] != 7 {
			t.Errorf("ParseKEK(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseKEK("c2hvcnQ="); !errors.Is(err, ErrKEKInvalid) {
		t.Errorf("short KEK: %v", err)
	}
	path := filepath.Join(t.TempDir(), "kek")
	a, err := LoadOrCreateKEKFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	b, err := LoadOrCreateKEKFile(path)
	if err != nil || string(a) != string(b) {
		t.Fatalf("reload differs: %v", err)
	}
	_ = os.Chmod(path, 0o644)
	if _, err := LoadOrCreateKEKFile(path); !errors.Is(err, ErrKEKFilePermissions) {
		t.Fatalf("world-readable KEK file: %v", err)
	}
}

func TestDataKeyIsPerPurposeAndStable(t *testing.T) {
	kek := bytes.Repeat([]byte{7}, KEKSize)
	m1, err := NewManager(Config{Store: &MemoryStore{}, KEK: kek, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := NewManager(Config{Store: &MemoryStore{}, KEK: kek, Now: time.Now})
	other, _ := NewManager(Config{Store: &MemoryStore{}, KEK: bytes.Repeat([]byte{8}, KEKSize), Now: time.Now})
	a, err := m1.DataKey("attestation files")
	if err != nil || len(a) != 32 {
		t.Fatalf("key %x, %v", a, err)
	}
	b, _ := m2.DataKey("attestation files")
	c, _ := m1.DataKey("something else")
	d, _ := other.DataKey("attestation files")
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(a, d) || bytes.Equal(a, kek) {
		t.Fatal("a data key must depend on the KEK and the purpose, and only on them")
	}
	if _, err := m1.DataKey(""); !errors.Is(err, ErrConfig) {
		t.Fatalf("empty purpose: %v", err)
	}
}
