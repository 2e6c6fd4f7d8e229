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

const formerURL = "https://fprlink-old.example.gov.cn"

// moved is a's service after it moved from formerURL to its current URL:
// a document signed under the old one, and the JWKS naming both.
func moved(t *testing.T) (*env, string) {
	e := newEnv(t)
	old, err := e.a.formerIssuer(formerURL).Issue(context.Background(), sampleInput())
	if err != nil {
		t.Fatal(err)
	}
	e.a.mu.Lock()
	e.a.issuers = []string{e.a.iss, formerURL}
	e.a.mu.Unlock()
	return e, old.JWS
}

// Documents signed before the issuer moved keep verifying, through a
// saved JWKS, the published one and a trust bundle; their status is read
// from the list under the current URL, never from the old host.
func TestDocumentsSignedUnderAnEarlierIssuerURL(t *testing.T) {
	t.Parallel()
	for name, build := range map[string]func(e *env) *verifier.Verifier{
		"static-jwks": func(e *env) *verifier.Verifier { return e.a.staticVerifier() },
		"http-jwks":   func(e *env) *verifier.Verifier { return e.a.httpVerifier() },
		"bundle": func(e *env) *verifier.Verifier {
			v, _ := e.bundleVerifier(e.a.bundle())
			return v
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, old := moved(t)
			res, err := build(e).Verify(context.Background(), old)
			if err != nil || !res.Valid {
				t.Fatalf("document of %s refused: %v %+v", formerURL, err, res.Checks)
			}
			if d := res.Check(verifier.CheckStatus).Detail; !strings.Contains(d, e.a.statusURI()) {
				t.Fatalf("status read from %q, want the current list %s", d, e.a.statusURI())
			}
		})
	}
}

// A revocation recorded in the current list reaches the old document.
func TestRevokedUnderTheCurrentURLFailsTheOldDocument(t *testing.T) {
	t.Parallel()
	e, old := moved(t)
	c, _ := verifier.StatusListURIs(old)
	res, _ := e.a.staticVerifier().Verify(context.Background(), old)
	claims, _ := res.SignedClaims()
	_ = e.a.list.Set(claims.Status.StatusList.Index, edoc.StatusInvalid)
	assertResult(t, e.a.staticVerifier(), old, row{want: verifier.ErrRevoked,
		check: verifier.CheckStatus, outcome: verifier.Fail, status: verifier.StatusInvalid})
	if len(c) != 1 || !strings.HasPrefix(c[0], formerURL) {
		t.Fatalf("the document points at %v", c)
	}
}

// Earlier URLs count only when the issuer's own JWKS names them next to
// the issuer the relying party trusts.
func TestEarlierIssuerURLsNeedTheJWKSToNameThem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		issuers func(e *env) []string
		trusted func(e *env) string
	}{
		{"fail-jwks-names-no-earlier-url", func(e *env) []string { return nil }, func(e *env) string { return e.a.iss }},
		{"fail-jwks-does-not-name-the-trusted-issuer", func(e *env) []string { return []string{"https://elsewhere.example", formerURL} },
			func(e *env) string { return e.a.iss }},
		{"fail-earlier-url-not-https", func(e *env) []string { return []string{e.a.iss, strings.Replace(formerURL, "https", "http", 1)} },
			func(e *env) string { return e.a.iss }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, old := moved(t)
			e.a.mu.Lock()
			e.a.issuers = tc.issuers(e)
			e.a.mu.Unlock()
			ks, err := verifier.NewStaticKeys(tc.trusted(e), e.a.jwks())
			if err != nil {
				t.Fatal(err)
			}
			v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: e.clock.Now})
			assertResult(t, v, old, row{want: verifier.ErrUnknownIssuer,
				check: verifier.CheckKey, outcome: verifier.Fail, status: verifier.StatusInvalid})
		})
	}
}

// An issuer the fetched JWKS does not name is refused without a second
// fetch within the cache's life.
func TestHTTPKeysRefuseUnnamedIssuerFromCache(t *testing.T) {
	t.Parallel()
	e, _ := moved(t)
	ctx := context.Background()
	ks, _ := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: e.a.iss + verifier.JWKSPath, Client: e.a.srv.Client(), Now: e.clock.Now})
	kid := e.a.signer().KID()
	if _, err := ks.Keys(ctx, formerURL, kid); err != nil {
		t.Fatalf("earlier URL: %v", err)
	}
	for range 3 {
		if _, err := ks.Keys(ctx, "https://elsewhere.example", kid); !errors.Is(err, verifier.ErrUnknownIssuer) {
			t.Fatalf("unnamed issuer: %v", err)
		}
	}
	if cur, ok := ks.CurrentIssuer(formerURL); !ok || cur != e.a.iss {
		t.Fatalf("current issuer of %s = %q, %v", formerURL, cur, ok)
	}
	e.clock.Set(e.clock.Now().Add(time.Minute))
	if got := e.a.jwksHits.Load(); got != 1 {
		t.Fatalf("JWKS fetched %d times, want 1", got)
	}
}
