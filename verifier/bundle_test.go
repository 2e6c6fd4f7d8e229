package verifier_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

// bundleVerifier verifies from bundle alone: no client, no URL, and a's
// server is closed first, so nothing could be fetched if anything tried.
func (e *env) bundleVerifier(bundle []byte) (*verifier.Verifier, *verifier.Bundle) {
	e.t.Helper()
	e.a.srv.Close()
	b, err := verifier.ParseBundle(context.Background(), bundle, verifier.BundleOptions{Issuer: e.a.iss, Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: b.Keys(), Status: b, Now: e.clock.Now, Leeway: time.Minute})
	if err != nil {
		e.t.Fatal(err)
	}
	return v, b
}

// With no network at all, a trust bundle answers like the issuer would.
func TestBundleVerifiesWithNoNetwork(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		bundle func(e *env) []byte
		row
	}{
		{name: "bundle-valid-document-valid", bundle: func(e *env) []byte { return e.a.bundle() },
			row: row{check: verifier.CheckStatus, outcome: verifier.Pass, status: verifier.StatusValid}},
		{name: "bundle-revoked-document-invalid", bundle: func(e *env) []byte {
			_ = e.a.list.Set(e.claim.Status.StatusList.Index, edoc.StatusInvalid)
			return e.a.bundle()
		}, row: row{want: verifier.ErrRevoked, check: verifier.CheckStatus, outcome: verifier.Fail, status: verifier.StatusInvalid}},
		{name: "bundle-suspended-document-invalid", bundle: func(e *env) []byte {
			_ = e.a.list.Set(e.claim.Status.StatusList.Index, edoc.StatusSuspended)
			return e.a.bundle()
		}, row: row{want: verifier.ErrSuspended, check: verifier.CheckStatus, outcome: verifier.Fail, status: verifier.StatusInvalid}},
		{name: "bundle-expired-document-not-valid", bundle: func(e *env) []byte {
			b := e.a.bundle()
			e.clock.Set(e.clock.Now().Add(25 * time.Hour))
			return b
		}, row: row{want: verifier.ErrBundleExpired, check: verifier.CheckStatus, outcome: verifier.Fail, status: verifier.StatusInvalid}},
		{name: "bundle-list-past-exp-not-valid", bundle: func(e *env) []byte {
			// A bundle still in force carrying a list that is not.
			list := sign(e.t, e.a.signer(), edoc.StatusListType, nil, mustJSON(edoc.StatusListClaims{
				Subject: e.a.statusURI(), Issuer: e.a.iss, IssuedAt: e.clock.Now().Add(-2 * time.Hour).Unix(),
				Expiry: e.clock.Now().Add(-time.Hour).Unix(), TTL: 60,
				StatusList: edoc.StatusBits{Bits: 2, Lst: e.a.list.Encode()},
			}))
			return e.signBundle(func(c *edoc.BundleClaims) { c.StatusLists[e.a.statusURI()] = list })
		}, row: row{want: verifier.ErrStatusListExpired, check: verifier.CheckStatus, outcome: verifier.Fail, status: verifier.StatusInvalid}},
		{name: "bundle-without-the-documents-list-unknown", bundle: func(e *env) []byte {
			return e.signBundle(func(c *edoc.BundleClaims) { delete(c.StatusLists, e.a.statusURI()) })
		}, row: row{want: verifier.ErrStatusUnavailable, check: verifier.CheckStatus, outcome: verifier.Skip, status: verifier.StatusUnknown}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			v, _ := e.bundleVerifier(tc.bundle(e))
			if tc.status == verifier.StatusValid {
				res, err := v.Verify(context.Background(), e.doc)
				if err != nil || !res.Valid || res.Check(verifier.CheckStatus).Result != verifier.Pass {
					t.Fatalf("valid document refused: %v %+v", err, res.Checks)
				}
				return
			}
			assertResult(t, v, e.doc, tc.row)
		})
	}
}

// signBundle signs a bundle of a's JWKS and status list as the issuer
// would, changed by mutate.
func (e *env) signBundle(mutate func(c *edoc.BundleClaims)) []byte {
	now := e.clock.Now()
	c := edoc.BundleClaims{Issuer: e.a.iss, IssuedAt: now.Unix(), Expiry: now.Add(12 * time.Hour).Unix(),
		JWKS: e.a.jwks(), StatusLists: map[string]string{e.a.statusURI(): e.a.statusToken()}}
	mutate(&c)
	return []byte(sign(e.t, e.a.signer(), edoc.BundleType, nil, mustJSON(c)))
}

func TestParseBundleRejections(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		bundle func(e *env) []byte
		opts   func(e *env) verifier.BundleOptions // nil: trust a, by the bundle's own keys
		want   error
	}{
		{name: "fail-oversize", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return []byte(strings.Repeat("A", verifier.MaxBundleBytes+1))
		}},
		{name: "fail-not-a-jws", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte { return []byte("hello") }},
		{name: "fail-alg-none", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			p := strings.Split(string(e.a.bundle()), ".")
			return []byte(b64([]byte(`{"alg":"none","typ":"fprl-bundle+jwt"}`)) + "." + p[1] + ".")
		}},
		{name: "fail-wrong-typ", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return []byte(e.a.statusToken())
		}},
		{name: "fail-tampered-payload", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			p := strings.Split(string(e.a.bundle()), ".")
			forged := strings.Split(string(e.signBundle(func(c *edoc.BundleClaims) { c.Expiry += 86400 * 365 })), ".")
			return []byte(p[0] + "." + forged[1] + "." + p[2])
		}},
		{name: "fail-signed-by-a-key-outside-its-jwks", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			now := e.clock.Now()
			return []byte(sign(e.t, e.b.signer(), edoc.BundleType, nil, mustJSON(edoc.BundleClaims{
				Issuer: e.a.iss, IssuedAt: now.Unix(), Expiry: now.Add(time.Hour).Unix(), JWKS: e.a.jwks(),
			})))
		}},
		{name: "fail-another-issuers-bundle", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte { return e.b.bundle() }},
		{name: "fail-trusted-keys-do-not-hold-the-signer", want: verifier.ErrBundleInvalid,
			bundle: func(e *env) []byte { return e.a.bundle() },
			opts: func(e *env) verifier.BundleOptions {
				ks, _ := verifier.NewStaticKeys(e.a.iss, e.b.jwks())
				return verifier.BundleOptions{Issuer: e.a.iss, Keys: ks, Now: e.clock.Now}
			}},
		{name: "fail-made-in-the-future", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return e.signBundle(func(c *edoc.BundleClaims) { c.IssuedAt += 3600; c.Expiry += 3600 })
		}},
		{name: "fail-exp-not-after-iat", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return e.signBundle(func(c *edoc.BundleClaims) { c.Expiry = c.IssuedAt })
		}},
		{name: "fail-signer-not-valid-when-made", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return e.signBundle(func(c *edoc.BundleClaims) { c.IssuedAt -= 86400 })
		}},
		{name: "fail-jwks-not-json", want: verifier.ErrBundleInvalid, bundle: func(e *env) []byte {
			return []byte(sign(e.t, e.a.signer(), edoc.BundleType, nil, []byte(`{"iss":"`+e.a.iss+`","jwks":7}`)))
		}},
		{name: "fail-no-issuer-configured", want: verifier.ErrConfig, bundle: func(e *env) []byte { return e.a.bundle() },
			opts: func(e *env) verifier.BundleOptions { return verifier.BundleOptions{Now: e.clock.Now} }},
		{name: "fail-no-clock", want: verifier.ErrConfig, bundle: func(e *env) []byte { return e.a.bundle() },
			opts: func(e *env) verifier.BundleOptions { return verifier.BundleOptions{Issuer: e.a.iss} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			opts := verifier.BundleOptions{Issuer: e.a.iss, Now: e.clock.Now}
			if tc.opts != nil {
				opts = tc.opts(e)
			}
			b, err := verifier.ParseBundle(context.Background(), tc.bundle(e), opts)
			if !errors.Is(err, tc.want) || b != nil {
				t.Fatalf("ParseBundle = %v, %v; want %v", b, err, tc.want)
			}
		})
	}
}

// A relying party that kept the keys it trusts checks the bundle's
// signer against them, and learns how old the bundle is.
func TestBundleSignedByTrustedKeysAndItsAge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bundle := e.a.bundle()
	e.clock.Set(e.clock.Now().Add(90 * time.Minute))
	b, err := verifier.ParseBundle(context.Background(), bundle, verifier.BundleOptions{Issuer: e.a.iss, Keys: e.a.staticKeys(), Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if b.Age() != 90*time.Minute || b.Issuer != e.a.iss || !b.Expiry.After(b.IssuedAt) {
		t.Fatalf("age %v, issuer %s, %v–%v", b.Age(), b.Issuer, b.IssuedAt, b.Expiry)
	}
	if uris := b.StatusListURIs(); len(uris) != 1 || uris[0] != e.a.statusURI() {
		t.Fatalf("lists %v", uris)
	}
	if _, err := verifier.NewStaticKeys(e.a.iss, b.JWKS()); err != nil {
		t.Fatalf("the bundle's JWKS does not serve as the next trusted keys: %v", err)
	}
}
