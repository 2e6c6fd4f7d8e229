package verifier_test

import (
	"context"
	"crypto/elliptic"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

func (p *party) issueFor(purpose string) string {
	in := sampleInput()
	in.Purpose = purpose
	doc, err := p.issuer.Issue(context.Background(), in)
	if err != nil {
		p.t.Fatal(err)
	}
	return doc.JWS
}

// verifierFor is a's static verifier for another sector (or none).
func (e *env) verifierFor(sector string) *verifier.Verifier {
	ks := e.a.staticKeys()
	st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: e.clock.Now,
		Tokens: map[string]string{e.a.statusURI(): e.a.statusToken()}})
	v, err := verifier.New(verifier.Options{Sector: sector, Keys: ks, Status: st, Now: e.clock.Now})
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// highSCopy replaces S with n−S in a genuine token: the same signature in
// its other form, which ECDSA alone accepts.
func highSCopy(t *testing.T, jws string) string {
	t.Helper()
	p := strings.Split(jws, ".")
	sig, err := base64.RawURLEncoding.DecodeString(p[2])
	if err != nil || len(sig) != 64 {
		t.Fatalf("signature: %v", err)
	}
	s := new(big.Int).SetBytes(sig[32:])
	s.Sub(elliptic.P256().Params().N, s)
	s.FillBytes(sig[32:])
	return p[0] + "." + p[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// legacyClaims are a first-version document: every field, no aud.
func legacyClaims(c edoc.Claims) edoc.Claims {
	c.Type, c.Audience = edoc.DocumentType, ""
	return c
}

func purposeRows() []row {
	fail := func(name string, code verifier.CheckCode, want error, in func(*env) string) row {
		return row{name: name, input: in, want: want, check: code, outcome: verifier.Fail, status: verifier.StatusInvalid}
	}
	return []row{
		fail("fail-audience-telecom-document-at-a-bank", verifier.CheckAudience, verifier.ErrAudience, func(e *env) string {
			return e.a.issueFor(edoc.PurposeTelecom)
		}),
		fail("fail-audience-missing-in-purpose-bound-document", verifier.CheckAudience, verifier.ErrAudience, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Audience = "" })
		}),
		fail("fail-audience-unknown-purpose", verifier.CheckAudience, verifier.ErrAudience, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Audience = "casino" })
		}),
		fail("fail-signature-high-s-copy", verifier.CheckSignature, verifier.ErrHighS, func(e *env) string {
			return highSCopy(e.t, e.doc)
		}),
		{name: "fail-fields-member-outside-purpose", input: func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Audience = edoc.PurposeTax })
		}, prepare: func(e *env) *verifier.Verifier { return e.verifierFor(edoc.PurposeTax) },
			want: verifier.ErrField, check: verifier.CheckFields, outcome: verifier.Fail, status: verifier.StatusInvalid},
		fail("fail-fields-member-of-purpose-missing", verifier.CheckFields, verifier.ErrField, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Passport.Sex = "" })
		}),
		fail("fail-fields-previous-card-check-digit", verifier.CheckFields, verifier.ErrField, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Card.PreviousNumber = "FRA110504120012" })
		}),
		fail("fail-fields-first-version-missing-member", verifier.CheckFields, verifier.ErrField, func(e *env) string {
			return e.resign(func(c *edoc.Claims) { *c = legacyClaims(*c); c.Passport.BirthDate = "" })
		}),
		{name: "skip-audience-verifier-without-sector", input: func(e *env) string { return e.doc },
			prepare: func(e *env) *verifier.Verifier { return e.verifierFor("") },
			want:    verifier.ErrNoSector, check: verifier.CheckAudience, outcome: verifier.Skip, status: verifier.StatusUnknown},
	}
}

func TestPurposeRejections(t *testing.T) {
	t.Parallel()
	for _, tc := range purposeRows() {
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

// TestBankVerifyingTelecomDocumentFailsAudienceOffline: the telecom
// document fails audience for a bank verifying over HTTP and from a trust
// bundle, and passes for a telecom verifier.
func TestBankVerifyingTelecomDocumentFailsAudienceOffline(t *testing.T) {
	e := newEnv(t)
	doc := e.a.issueFor(edoc.PurposeTelecom)
	b, err := verifier.ParseBundle(context.Background(), e.a.bundle(), verifier.BundleOptions{Issuer: e.a.iss, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	fromBundle, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: b.Keys(), Status: b, Now: e.clock.Now})
	for name, v := range map[string]*verifier.Verifier{"http": e.a.httpVerifier(), "bundle": fromBundle} {
		res, err := v.Verify(context.Background(), doc)
		if !errors.Is(err, verifier.ErrAudience) || res.Check(verifier.CheckAudience).Result != verifier.Fail {
			t.Fatalf("%s: %v %+v", name, err, res.Checks)
		}
		if _, ok := res.VerifiedClaims(); ok {
			t.Fatalf("%s: verified claims for another sector's document", name)
		}
	}
	res, err := e.verifierFor(edoc.PurposeTelecom).Verify(context.Background(), doc)
	if err != nil {
		t.Fatalf("telecom: %v %+v", err, res.Checks)
	}
	c, _ := res.VerifiedClaims()
	if c.Passport.Number != "" || c.Passport.BirthDate != "" || c.Card.Number == "" {
		t.Fatalf("telecom claims: %+v", c)
	}
}

// TestHighSCopyFailsSignatureOffline: a high-S copy of a genuine token
// fails the signature check over HTTP too, while the original passes.
func TestHighSCopyFailsSignatureOffline(t *testing.T) {
	e := newEnv(t)
	v := e.a.httpVerifier()
	if _, err := v.Verify(context.Background(), e.doc); err != nil {
		t.Fatalf("genuine: %v", err)
	}
	res, err := v.Verify(context.Background(), highSCopy(t, e.doc))
	if !errors.Is(err, verifier.ErrHighS) || res.Check(verifier.CheckSignature).Result != verifier.Fail {
		t.Fatalf("high-S copy: %v %+v", err, res.Checks)
	}
}

// TestFirstVersionDocumentsVerifyUntilTheyExpire: a document issued before
// purpose binding (type fpr-passport-link, every field, no aud) is valid
// for every sector until its exp, then fails time.
func TestFirstVersionDocumentsVerifyUntilTheyExpire(t *testing.T) {
	e := newEnv(t)
	full := e.claim
	full.Passport.PreviousNumber, full.Card.PreviousNumber = "", ""
	doc := e.resign(func(c *edoc.Claims) { *c = legacyClaims(full) })
	for _, sector := range edoc.Purposes() {
		res, err := e.verifierFor(sector).Verify(context.Background(), doc)
		if err != nil {
			t.Fatalf("%s: %v %+v", sector, err, res.Checks)
		}
		if c, _ := res.VerifiedClaims(); c.Audience != "" || c.Passport.Number != full.Passport.Number {
			t.Fatalf("%s: claims %+v", sector, c)
		}
	}
	e.clock.Set(time.Unix(full.Expiry, 0).Add(2 * time.Minute))
	res, err := e.verifierFor(edoc.PurposeBank).Verify(context.Background(), doc)
	if !errors.Is(err, verifier.ErrExpired) {
		t.Fatalf("after exp: %v %+v", err, res.Checks)
	}
}

func TestUnknownSectorRefused(t *testing.T) {
	e := newEnv(t)
	_, err := verifier.New(verifier.Options{Sector: "casino", Keys: e.a.staticKeys(), Now: e.clock.Now})
	if !errors.Is(err, verifier.ErrConfig) {
		t.Fatalf("got %v", err)
	}
}
