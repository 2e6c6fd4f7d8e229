package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"math/big"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"
)

// Signer signs with one ES256 key. It implements go-jose's OpaqueSigner over
// any crypto.Signer, which is the seam for keys held in an HSM or cloud KMS:
// wrap the module's crypto.Signer with NewSigner and the issuer cannot tell
// the difference.
type Signer struct {
	kid    string
	public *jose.JSONWebKey
	opaque jose.OpaqueSigner
}

var _ jose.OpaqueSigner = (*Signer)(nil)

// NewSigner wraps s, which must hold an ECDSA P-256 key.
func NewSigner(s crypto.Signer) (*Signer, error) {
	pub, ok := s.Public().(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, ErrUnsupportedKey
	}
	jwk, err := publicJWK(pub)
	if err != nil {
		return nil, err
	}
	return &Signer{kid: jwk.KeyID, public: jwk, opaque: cryptosigner.Opaque(s)}, nil
}

// KID returns the key id.
func (s *Signer) KID() string { return s.kid }

// Public returns the public JWK, including its kid so go-jose writes the kid
// header.
func (s *Signer) Public() *jose.JSONWebKey {
	c := *s.public
	return &c
}

// Algs returns ES256, the only algorithm fprlink signs with.
func (s *Signer) Algs() []jose.SignatureAlgorithm { return []jose.SignatureAlgorithm{jose.ES256} }

// SignPayload signs with ES256 and returns the 64-byte R‖S signature JWS needs
// (crypto.Signer returns ASN.1 DER; cryptosigner converts). The signature is
// low-S (see LowS), whatever the underlying signer returned.
func (s *Signer) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	if alg != jose.ES256 {
		return nil, ErrUnsupportedAlgorithm
	}
	sig, err := s.opaque.SignPayload(payload, alg)
	if err != nil {
		return nil, err
	}
	if len(sig) != 2*p256Size {
		return nil, ErrUnsupportedKey
	}
	return LowS(sig), nil
}

// p256Size is the byte length of R and of S in an ES256 signature.
const p256Size = 32

// p256HalfOrder is n/2 for the P-256 group order n.
var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// LowS returns the 64-byte ES256 signature R‖S with S replaced by n−S when
// S > n/2. (R, S) and (R, n−S) verify alike, so without this rule anyone
// can turn one genuine token into a second token string that also
// verifies; fprlink issues only low-S signatures and its verifier refuses
// the other form, so each document has exactly one token string.
func LowS(sig []byte) []byte {
	out := append([]byte(nil), sig...)
	sv := new(big.Int).SetBytes(out[p256Size:])
	if sv.Cmp(p256HalfOrder) <= 0 {
		return out
	}
	sv.Sub(elliptic.P256().Params().N, sv)
	sv.FillBytes(out[p256Size:])
	return out
}

// Thumbprint returns the RFC 7638 SHA-256 thumbprint of pub, base64url
// without padding: fprlink's kid.
func Thumbprint(pub *ecdsa.PublicKey) (string, error) {
	tp, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

func publicJWK(pub *ecdsa.PublicKey) (*jose.JSONWebKey, error) {
	kid, err := Thumbprint(pub)
	if err != nil {
		return nil, err
	}
	return &jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(jose.ES256), Use: "sig"}, nil
}
