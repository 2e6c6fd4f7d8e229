package verifier_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
	"github.com/go-jose/go-jose/v4"
)

type env struct {
	t     *testing.T
	clock *clock
	a, b  *party // a is trusted; b is another issuer
	doc   string // a valid JWS from a
	claim edoc.Claims
	own   *ecdsa.PrivateKey
}

func newEnv(t *testing.T) *env {
	c := &clock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	e := &env{t: t, clock: c, a: newParty(t, c), b: newParty(t, c)}
	d := e.a.issue()
	e.doc, e.claim = d.JWS, d.Claims
	return e
}

// resign signs modified claims with a's active key, as a valid issuer would.
func (e *env) resign(mutate func(*edoc.Claims)) string {
	c := e.claim
	mutate(&c)
	return sign(e.t, e.a.signer(), edoc.Type, zipDEF, rawDeflate(mustJSON(c)))
}

func (e *env) header(alg string) string {
	return b64([]byte(`{"alg":"` + alg + `","kid":"` + e.a.signer().KID() + `","typ":"fprl+jwt","zip":"DEF"}`))
}

func (e *env) parts() []string { return strings.Split(e.doc, ".") }

type row struct {
	name    string
	input   func(e *env) string
	prepare func(e *env) *verifier.Verifier // nil: the static verifier of a
	want    error
	check   verifier.CheckCode
	outcome verifier.Outcome
	status  verifier.Status
}

func rejectionRows() []row {
	fail := func(name string, code verifier.CheckCode, want error, in func(*env) string) row {
		return row{name: name, input: in, want: want, check: code, outcome: verifier.Fail, status: verifier.StatusInvalid}
	}
	return []row{
		fail("fail-alg-none", verifier.CheckAlgorithm, verifier.ErrAlgorithm, func(e *env) string {
			return e.header("none") + "." + e.parts()[1] + "."
		}),
		fail("fail-hs256-keyed-with-public-key", verifier.CheckAlgorithm, verifier.ErrAlgorithm, func(e *env) string {
			signing := e.header("HS256") + "." + e.parts()[1]
			mac := hmac.New(sha256.New, e.a.jwks())
			mac.Write([]byte(signing))
			return signing + "." + b64(mac.Sum(nil))
		}),
		fail("fail-rs256", verifier.CheckAlgorithm, verifier.ErrAlgorithm, func(e *env) string {
			k, _ := rsa.GenerateKey(rand.Reader, 2048)
			signing := e.header("RS256") + "." + e.parts()[1]
			h := sha256.Sum256([]byte(signing))
			sig, _ := rsa.SignPKCS1v15(rand.Reader, k, 5, h[:]) // 5 = crypto.SHA256
			return signing + "." + b64(sig)
		}),
		fail("fail-unknown-kid", verifier.CheckKey, verifier.ErrUnknownKey, func(e *env) string {
			k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			s, _ := keys.NewSigner(k)
			return sign(e.t, s, edoc.Type, zipDEF, rawDeflate(mustJSON(e.claim)))
		}),
		fail("fail-kid-of-another-issuer", verifier.CheckKey, verifier.ErrUnknownKey, func(e *env) string {
			return sign(e.t, e.b.signer(), edoc.Type, zipDEF, rawDeflate(mustJSON(e.claim)))
		}),
		fail("fail-untrusted-issuer", verifier.CheckKey, verifier.ErrUnknownIssuer, func(e *env) string {
			return e.b.issue().JWS
		}),
		fail("fail-bad-signature", verifier.CheckSignature, verifier.ErrSignature, func(e *env) string {
			p := e.parts()
			sig, _ := base64.RawURLEncoding.DecodeString(p[2])
			sig[10] ^= 0x01
			return p[0] + "." + p[1] + "." + b64(sig)
		}),
		fail("fail-tampered-payload", verifier.CheckSignature, verifier.ErrSignature, func(e *env) string {
			c := e.claim
			c.Passport.Surname = "MALLORY"
			p := e.parts()
			return p[0] + "." + b64(rawDeflate(mustJSON(c))) + "." + p[2]
		}),
		fail("fail-tampered-header", verifier.CheckSignature, verifier.ErrSignature, func(e *env) string {
			h := `{"alg":"ES256","kid":"` + e.a.signer().KID() + `","typ":"fprl+jwt","x":1,"zip":"DEF"}`
			p := e.parts()
			return b64([]byte(h)) + "." + p[1] + "." + p[2]
		}),
		{
			name: "fail-der-encoded-signature", want: verifier.ErrSignature,
			check: verifier.CheckSignature, outcome: verifier.Fail, status: verifier.StatusInvalid,
			input: func(e *env) string {
				// The ASN.1 DER form a naive signer emits instead of JWS's
				// 64-byte R‖S, by the right key.
				k, kid := e.ownKey()
				h := b64([]byte(`{"alg":"ES256","kid":"` + kid + `","typ":"fprl+jwt","zip":"DEF"}`))
				signing := h + "." + e.parts()[1]
				sum := sha256.Sum256([]byte(signing))
				der, _ := ecdsa.SignASN1(rand.Reader, k, sum[:])
				return signing + "." + b64(der)
			},
			prepare: func(e *env) *verifier.Verifier { return e.ownVerifier() },
		},
		fail("fail-expired", verifier.CheckTime, verifier.ErrExpired, func(e *env) string {
			e.clock.Set(time.Unix(e.claim.Expiry, 0).Add(2 * time.Minute))
			return e.doc
		}),
		fail("fail-not-yet-valid", verifier.CheckTime, verifier.ErrNotYetValid, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.NotBefore += 3600 })
		}),
		fail("fail-revoked", verifier.CheckStatus, verifier.ErrRevoked, func(e *env) string {
			_ = e.a.list.Set(e.claim.Status.StatusList.Index, edoc.StatusInvalid)
			return e.doc
		}),
		fail("fail-suspended", verifier.CheckStatus, verifier.ErrSuspended, func(e *env) string {
			_ = e.a.list.Set(e.claim.Status.StatusList.Index, edoc.StatusSuspended)
			return e.doc
		}),
		fail("fail-index-out-of-range", verifier.CheckStatus, verifier.ErrStatusIndex, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Status.StatusList.Index = listSize })
		}),
		fail("fail-status-uri-of-another-host", verifier.CheckStatus, verifier.ErrStatusURI, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Status.StatusList.URI = e.b.statusURI() })
		}),
		fail("fail-zlib-instead-of-raw-deflate", verifier.CheckFormat, verifier.ErrInflate, func(e *env) string {
			return sign(e.t, e.a.signer(), edoc.Type, zipDEF, zlibBytes(mustJSON(e.claim)))
		}),
		fail("fail-trailing-bytes-after-deflate", verifier.CheckFormat, verifier.ErrInflate, func(e *env) string {
			return sign(e.t, e.a.signer(), edoc.Type, zipDEF, append(rawDeflate(mustJSON(e.claim)), 0, 0, 0, 1))
		}),
		fail("fail-deflate-bomb", verifier.CheckFormat, verifier.ErrPayloadTooLarge, func(e *env) string {
			return sign(e.t, e.a.signer(), edoc.Type, zipDEF, rawDeflate(make([]byte, 1<<20)))
		}),
		fail("fail-oversize-input", verifier.CheckFormat, verifier.ErrInputTooLarge, func(e *env) string {
			return e.doc + strings.Repeat("A", verifier.MaxInputBytes)
		}),
		fail("fail-wrong-typ", verifier.CheckFormat, verifier.ErrType, func(e *env) string {
			return sign(e.t, e.a.signer(), "JWT", zipDEF, rawDeflate(mustJSON(e.claim)))
		}),
		fail("fail-missing-zip", verifier.CheckFormat, verifier.ErrCompression, func(e *env) string {
			return sign(e.t, e.a.signer(), edoc.Type, nil, rawDeflate(mustJSON(e.claim)))
		}),
		fail("fail-qr-non-digits", verifier.CheckFormat, verifier.ErrQRNonDigit, func(e *env) string {
			return edoc.QRPrefix + "5601a2"
		}),
		fail("fail-qr-odd-digit-count", verifier.CheckFormat, verifier.ErrQROddLength, func(e *env) string {
			return edoc.QRPrefix + "56012"
		}),
		fail("fail-qr-pair-above-77", verifier.CheckFormat, verifier.ErrQRPairRange, func(e *env) string {
			return edoc.QRPrefix + "5678"
		}),
		fail("fail-not-a-jws", verifier.CheckFormat, verifier.ErrMalformed, func(e *env) string {
			return "hello"
		}),
		// The genuine signature in JWS JSON serialization, with an
		// unprotected header the format has no place for.
		fail("fail-json-serialization", verifier.CheckFormat, verifier.ErrMalformed, func(e *env) string {
			p := e.parts()
			return `{"protected":"` + p[0] + `","payload":"` + p[1] + `","signature":"` + p[2] + `","header":{"note":"x"}}`
		}),
		fail("fail-bad-card-check-digit", verifier.CheckFields, verifier.ErrField, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Card.Number = "911250198504120012" })
		}),
		fail("fail-document-outlives-passport", verifier.CheckFields, verifier.ErrField, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Passport.ExpiryDate = "2025-03-10" })
		}),
	}
}

// ownKey returns a key the test holds privately, and its kid.
func (e *env) ownKey() (*ecdsa.PrivateKey, string) {
	if e.own == nil {
		e.own, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	kid, _ := keys.Thumbprint(&e.own.PublicKey)
	return e.own, kid
}

// ownVerifier trusts only ownKey for a's issuer, with a's status list.
func (e *env) ownVerifier() *verifier.Verifier {
	k, kid := e.ownKey()
	jwk := jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Use: "sig", Algorithm: "ES256"}
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwk}})
	ks, err := verifier.NewStaticKeys(e.a.iss, set)
	if err != nil {
		e.t.Fatal(err)
	}
	st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: e.a.staticKeys(), Now: e.clock.Now, Tokens: map[string]string{e.a.statusURI(): e.a.statusToken()}})
	v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: e.clock.Now})
	return v
}

func TestRejections(t *testing.T) {
	t.Parallel()
	for _, tc := range rejectionRows() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			input := tc.input(e)
			v := e.a.staticVerifier()
			if tc.prepare != nil {
				v = tc.prepare(e)
			}
			assertResult(t, v, input, tc)
		})
	}
}

func assertResult(t *testing.T, v *verifier.Verifier, input string, tc row) {
	t.Helper()
	res, err := v.Verify(context.Background(), input)
	if !errors.Is(err, tc.want) {
		t.Fatalf("error %v, want %v\nchecks: %+v", err, tc.want, res.Checks)
	}
	if res.Valid || res.Status != tc.status {
		t.Fatalf("valid=%v status=%s, want status %s", res.Valid, res.Status, tc.status)
	}
	if got := res.Check(tc.check); got.Result != tc.outcome || !errors.Is(got.Err, tc.want) {
		t.Fatalf("check %s = %+v, want %s", tc.check, got, tc.outcome)
	}
	if len(res.Checks) != 8 {
		t.Fatalf("%d checks reported, want all 8", len(res.Checks))
	}
	if _, ok := res.VerifiedClaims(); ok {
		t.Fatalf("a document that is not valid gives verified claims")
	}
}

func TestVerdictAndCheckOrder(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in     []verifier.Outcome
		status verifier.Status
		valid  bool
	}{
		{[]verifier.Outcome{verifier.Pass, verifier.Pass}, verifier.StatusValid, true},
		{[]verifier.Outcome{verifier.Pass, verifier.Skip}, verifier.StatusUnknown, false},
		{[]verifier.Outcome{verifier.Skip, verifier.Fail, verifier.Pass}, verifier.StatusInvalid, false},
		{[]verifier.Outcome{verifier.Fail, verifier.Skip}, verifier.StatusInvalid, false},
	} {
		if s, v := verifier.Verdict(slices.Values(c.in)); s != c.status || v != c.valid {
			t.Errorf("Verdict(%v) = %s %v, want %s %v", c.in, s, v, c.status, c.valid)
		}
	}
	order := verifier.CheckOrder()
	order[0] = "changed"
	if again := verifier.CheckOrder(); len(again) != 8 || again[0] != verifier.CheckFormat || again[7] != verifier.CheckFields {
		t.Fatalf("CheckOrder = %v", again)
	}
}
