package verifier_test

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

// A document that was not proved valid yields no claims through
// VerifiedClaims, whichever check stopped it; the other accessors say how
// far what they give was proved.
func TestFailedVerificationGivesNoVerifiedClaims(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name            string
		input           func(e *env) string
		verifier        func(e *env) *verifier.Verifier // nil: a's static verifier
		signed, decoded bool
		stoppedBy       verifier.CheckCode
	}{
		{name: "malformed", input: func(e *env) string { return "hello" }, stoppedBy: verifier.CheckFormat},
		{name: "bad-signature", decoded: true, stoppedBy: verifier.CheckSignature, input: func(e *env) string {
			c := e.claim
			c.Passport.Surname = "MALLORY"
			p := e.parts()
			return p[0] + "." + b64(rawDeflate(mustJSON(c))) + "." + p[2]
		}},
		{name: "untrusted-issuer", decoded: true, stoppedBy: verifier.CheckKey,
			input: func(e *env) string { return e.b.issue().JWS }},
		{name: "expired", decoded: true, signed: true, stoppedBy: verifier.CheckTime, input: func(e *env) string {
			e.clock.Set(e.clock.Now().AddDate(2, 0, 0))
			return e.doc
		}},
		{name: "revoked", decoded: true, signed: true, stoppedBy: verifier.CheckStatus, input: func(e *env) string {
			_ = e.a.list.Set(e.claim.Status.StatusList.Index, edoc.StatusInvalid)
			return e.doc
		}},
		{name: "status-unknown", decoded: true, signed: true, stoppedBy: verifier.CheckStatus,
			input: func(e *env) string { return e.doc },
			verifier: func(e *env) *verifier.Verifier {
				v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: e.a.staticKeys(), Now: e.clock.Now})
				return v
			}},
		{name: "bad-fields", decoded: true, signed: true, stoppedBy: verifier.CheckFields, input: func(e *env) string {
			return e.resign(func(c *edoc.Claims) { c.Card.Number = "911250198504120012" })
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			input := tc.input(e)
			v := e.a.staticVerifier()
			if tc.verifier != nil {
				v = tc.verifier(e)
			}
			res, err := v.Verify(context.Background(), input)
			if err == nil || res.Check(tc.stoppedBy).Result == verifier.Pass {
				t.Fatalf("want %s to stop the document; err %v, checks %+v", tc.stoppedBy, err, res.Checks)
			}
			// Setting the exported verdict does not unlock the claims.
			res.Valid, res.Status = true, verifier.StatusValid
			if c, ok := res.VerifiedClaims(); ok || c.ID != "" {
				t.Fatalf("VerifiedClaims = %+v, %v on a document that failed", c, ok)
			}
			if _, ok := res.SignedClaims(); ok != tc.signed {
				t.Fatalf("SignedClaims ok = %v, want %v", ok, tc.signed)
			}
			if _, ok := res.UnverifiedClaims(); ok != tc.decoded {
				t.Fatalf("UnverifiedClaims ok = %v, want %v", ok, tc.decoded)
			}
		})
	}
}

func TestValidDocumentGivesVerifiedClaims(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, err := e.a.staticVerifier().Verify(context.Background(), e.doc)
	if err != nil {
		t.Fatal(err)
	}
	for name, get := range map[string]func() (edoc.Claims, bool){
		"verified": res.VerifiedClaims, "signed": res.SignedClaims, "unverified": res.UnverifiedClaims,
	} {
		if c, ok := get(); !ok || c.ID != e.claim.ID || c.Passport.Surname != e.claim.Passport.Surname {
			t.Fatalf("%s claims = %+v, %v", name, c, ok)
		}
	}
	var none *verifier.Result
	if _, ok := none.VerifiedClaims(); ok {
		t.Fatal("a nil result has verified claims")
	}
}
