package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// TestSignerSignsLowS: about half of raw ECDSA signatures are high-S; every
// one of 64 from the Signer is low-S and still verifies.
func TestSignerSignsLowS(t *testing.T) {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, err := NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	half := new(big.Int).Rsh(elliptic.P256().Params().N, 1)
	for i := range 64 {
		msg := []byte{byte(i)}
		sig, err := s.SignPayload(msg, jose.ES256)
		if err != nil {
			t.Fatal(err)
		}
		r, sv := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if sv.Cmp(half) > 0 {
			t.Fatalf("signature %d is high-S", i)
		}
		h := sha256.Sum256(msg)
		if !ecdsa.Verify(&priv.PublicKey, h[:], r, sv) {
			t.Fatalf("signature %d does not verify", i)
		}
	}
}

// TestLowSFlipsHighS: LowS turns S into n−S above n/2 and keeps R.
func TestLowSFlipsHighS(t *testing.T) {
	n := elliptic.P256().Params().N
	sig := make([]byte, 64)
	sig[0] = 7
	new(big.Int).Sub(n, big.NewInt(5)).FillBytes(sig[32:])
	out := LowS(sig)
	if new(big.Int).SetBytes(out[32:]).Cmp(big.NewInt(5)) != 0 || out[0] != 7 {
		t.Fatalf("LowS gave %x", out)
	}
	if sig[63] == out[63] {
		t.Fatal("LowS changed its input instead of copying")
	}
	low := LowS(out)
	if string(low) != string(out) {
		t.Fatal("a low-S signature was changed")
	}
}
