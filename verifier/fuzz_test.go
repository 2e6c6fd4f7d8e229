package verifier_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

// FuzzDecodeQRText: decoding never panics, and whatever decodes re-encodes
// to the same text.
func FuzzDecodeQRText(f *testing.F) {
	for _, s := range []string{"fprl:/", "fprl:/5601", "fprl:/56012", "fprl:/5678", "fprl:/0a", "fprl:/7777"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		jws, err := edoc.DecodeQRText(s)
		if err != nil {
			return
		}
		back, err := edoc.EncodeQRText(jws)
		if err != nil || back != s {
			t.Fatalf("round trip %q -> %q -> %q (%v)", s, jws, back, err)
		}
	})
}

// FuzzVerify: arbitrary input never panics, never verifies, and always
// yields all seven checks.
func FuzzVerify(f *testing.F) {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, jwks, _, _ := exampleIssuer(now)
	jws, _ := edoc.DecodeQRText(qrText)
	for _, s := range []string{qrText, jws, "eyJhbGciOiJub25lIn0.e30.", "a.b.c", strings.Repeat("9", 80)} {
		f.Add(s)
	}
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now})
	f.Fuzz(func(t *testing.T, s string) {
		res, err := v.Verify(context.Background(), s)
		if err == nil || res.Valid || len(res.Checks) != 8 {
			t.Fatalf("input %q: valid=%v err=%v checks=%d", s, res.Valid, err, len(res.Checks))
		}
	})
}

// FuzzStatusList: hostile status_list members never panic.
func FuzzStatusList(f *testing.F) {
	l := edoc.NewStatusList(64)
	_ = l.Set(3, 1)
	f.Add(2, l.Encode(), 3)
	f.Add(2, "eJwDAAAAAAE", 0)
	f.Fuzz(func(t *testing.T, bits int, lst string, idx int) {
		list, err := edoc.DecodeStatusList(edoc.StatusBits{Bits: bits, Lst: lst}, 1<<16)
		if err != nil {
			return
		}
		_, _ = list.Get(idx)
	})
}

// FuzzParseBundle: a hostile trust bundle never panics and never parses
// unless signed by the trusted issuer's key.
func FuzzParseBundle(f *testing.F) {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	svc := newExampleService("https://fprlink.example.gov.cn", now)
	good := svc.bundle()
	f.Add(good)
	f.Add([]byte("eyJhbGciOiJub25lIn0.e30."))
	f.Add([]byte(`{"payload":"e30","signatures":[]}`))
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", svc.jwks())
	opts := verifier.BundleOptions{Issuer: "https://fprlink.example.gov.cn", Keys: ks, Now: now}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := verifier.ParseBundle(context.Background(), data, opts)
		if err != nil {
			return
		}
		if !bytes.Equal(bytes.TrimSpace(data), good) {
			t.Fatalf("a bundle the issuer did not sign parsed: %q", data)
		}
		_, _ = b.StatusList(context.Background(), "https://fprlink.example.gov.cn/api/v1/status-lists/1")
	})
}

// FuzzStatusListURIs: arbitrary documents never panic the helper.
func FuzzStatusListURIs(f *testing.F) {
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, _, _, _ := exampleIssuer(now)
	f.Add(qrText)
	f.Add("fprl:/5601")
	f.Fuzz(func(t *testing.T, s string) {
		uris, err := verifier.StatusListURIs(s)
		if err == nil && len(uris) > 1 {
			t.Fatalf("%q: %v", s, uris)
		}
	})
}

// FuzzNewStaticKeys: a hostile JWKS never panics, and its issuers member
// vouches for other URLs only beside the configured issuer.
func FuzzNewStaticKeys(f *testing.F) {
	f.Add([]byte(`{"keys":[],"issuers":["https://fprlink.example.gov.cn","https://old.example"]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","kid":"k"}],"issuers":["https://old.example"]}`))
	f.Add([]byte(`{"issuers":7}`))
	f.Fuzz(func(t *testing.T, jwks []byte) {
		ks, err := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
		if err != nil {
			return
		}
		var set struct {
			Issuers []string `json:"issuers"`
		}
		_ = json.Unmarshal(jwks, &set)
		named := slices.Contains(set.Issuers, "https://fprlink.example.gov.cn")
		if _, ok := ks.CurrentIssuer("https://old.example"); ok && !named {
			t.Fatalf("%s: an earlier URL trusted without the configured issuer beside it", jwks)
		}
	})
}
