package verifier_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
	"github.com/go-jose/go-jose/v4"
)

// benchSetup returns a compact JWS, a verifier with keys and status already
// cached, and the bare go-jose key for the same token.
func benchSetup(b *testing.B) (string, *verifier.Verifier, jose.JSONWebKey) {
	b.Helper()
	now := func() time.Time { return time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC) }
	qrText, jwks, uri, tok := exampleIssuer(now)
	jws, _ := edoc.DecodeQRText(qrText)
	ks, _ := verifier.NewStaticKeys("https://fprlink.example.gov.cn", jwks)
	st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: now, Tokens: map[string]string{uri: tok}})
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: now, Leeway: time.Minute})
	if _, err := v.Verify(context.Background(), jws); err != nil { // warm the status cache
		b.Fatal(err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		b.Fatal(err)
	}
	return jws, v, set.Keys[0]
}

// BenchmarkVerify is the full verification of a JWS with keys and status
// cached. Compare with BenchmarkBareGoJose: the budget is ≤ 1.15×.
func BenchmarkVerify(b *testing.B) {
	jws, v, _ := benchSetup(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, jws); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel verifies QR text from every core at once: ns/op
// is wall time per verification across all goroutines, so 1e9/ns/op is the
// whole machine's rate, the ceiling the verify API is compared with
// (docs/PERFORMANCE.md).
func BenchmarkVerifyParallel(b *testing.B) {
	jws, v, _ := benchSetup(b)
	text, _ := edoc.EncodeQRText(jws)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, text); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyQRText is the same starting from QR text.
func BenchmarkVerifyQRText(b *testing.B) {
	jws, v, _ := benchSetup(b)
	text, _ := edoc.EncodeQRText(jws)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareGoJose is the floor: go-jose ParseSigned + Verify of the same
// token with the key in hand, nothing else.
func BenchmarkBareGoJose(b *testing.B) {
	jws, _, key := benchSetup(b)
	algs := []jose.SignatureAlgorithm{jose.ES256}
	b.ReportAllocs()
	for b.Loop() {
		obj, err := jose.ParseSigned(jws, algs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := obj.Verify(key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyOverBare runs Verify and the bare go-jose pair alternately
// in one loop, so machine noise hits both alike, and reports each one's
// ns/op and their ratio (the budget is ≤ 1.15).
func BenchmarkVerifyOverBare(b *testing.B) {
	jws, v, key := benchSetup(b)
	ctx := context.Background()
	algs := []jose.SignatureAlgorithm{jose.ES256}
	var verifyNs, bareNs time.Duration
	for b.Loop() {
		t0 := time.Now()
		obj, err := jose.ParseSigned(jws, algs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := obj.Verify(key); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := v.Verify(ctx, jws); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		bareNs += t1.Sub(t0)
		verifyNs += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(verifyNs)/n, "verify-ns/op")
	b.ReportMetric(float64(bareNs)/n, "bare-ns/op")
	b.ReportMetric(float64(verifyNs)/float64(bareNs), "ratio")
}
