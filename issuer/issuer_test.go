package issuer

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-jose/go-jose/v4"
)

func TestIssueHeaderIsExact(t *testing.T) {
	fx := newFixture(t)
	doc, err := fx.issuer.Issue(context.Background(), sampleInput())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(doc.JWS, ".")[0])
	want := `{"alg":"ES256","kid":"` + doc.KID + `","typ":"fprl+jwt","zip":"DEF"}`
	if string(raw) != want {
		t.Fatalf("header\n got %s\nwant %s", raw, want)
	}
}

// A relying party with only a standard JOSE library and our JWKS must be able
// to verify: plain go-jose ParseSigned + Verify, then raw inflate.
func TestTokenVerifiesWithPlainGoJose(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	doc, err := fx.issuer.Issue(ctx, sampleInput())
	if err != nil {
		t.Fatal(err)
	}
	jwksJSON, _ := fx.keys.JWKS(ctx)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwksJSON, &set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(doc.JWS, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid not in JWKS")
	}
	compressed, err := jws.Verify(keys[0])
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(flate.NewReader(bytes.NewReader(compressed)))
	if err != nil {
		t.Fatal(err)
	}
	var claims edoc.Claims
	if err := json.Unmarshal(plain, &claims); err != nil {
		t.Fatal(err)
	}
	if claims.ID != "FPRL-2025-000001" || claims.Issuer != testIssuer {
		t.Fatalf("claims %+v", claims)
	}
	if !strings.HasPrefix(claims.Status.StatusList.URI, testIssuer+"/api/v1/status-lists/") {
		t.Fatalf("status uri %s", claims.Status.StatusList.URI)
	}
	// The slot handed back is the one the signed claims point to.
	if ref := claims.Status.StatusList; ref.URI != fx.issuer.StatusListURI(doc.Slot.ListID) || ref.Index != doc.Slot.Index {
		t.Fatalf("slot %+v, claims %+v", doc.Slot, ref)
	}
	if strings.Contains(string(plain), " ") && !strings.Contains(string(plain), "CLAIRE ANNE") {
		t.Fatal("payload is not minified JSON")
	}
}

func TestValidityIsShortest(t *testing.T) {
	fx := newFixture(t)
	now := fx.clock.t
	cases := []struct {
		name    string
		mutate  func(*Input)
		wantExp time.Time
	}{
		{"configured maximum", func(*Input) {}, now.Add(365 * 24 * time.Hour)},
		{"passport expiry", func(in *Input) { in.Passport.ExpiryDate = day(2025, 6, 30) },
			time.Date(2025, 7, 1, 0, 0, 0, 0, chinaTime)},
		{"card expiry", func(in *Input) { in.Card.ExpiryDate = day(2025, 5, 1) },
			time.Date(2025, 5, 2, 0, 0, 0, 0, chinaTime)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := sampleInput()
			tc.mutate(&in)
			doc, err := fx.issuer.Issue(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if got := time.Unix(doc.Claims.Expiry, 0); !got.Equal(tc.wantExp) {
				t.Fatalf("exp %v, want %v", got, tc.wantExp)
			}
			if doc.Claims.NotBefore != now.Unix() || doc.Claims.IssuedAt != now.Unix() {
				t.Fatal("nbf/iat not now")
			}
		})
	}
	in := sampleInput()
	in.Passport.ExpiryDate = day(2025, 2, 1)
	if _, err := fx.issuer.Issue(context.Background(), in); !errors.Is(err, ErrCredentialExpired) {
		t.Fatalf("expired passport: %v", err)
	}
}

func TestInputRejections(t *testing.T) {
	cases := map[string]func(*Input){
		"lowercase surname":   func(in *Input) { in.Passport.Surname = "Martin" },
		"names too long":      func(in *Input) { in.Passport.GivenNames = strings.Repeat("A", 35) },
		"bad sex":             func(in *Input) { in.Passport.Sex = "Q" },
		"card shape 2023":     func(in *Input) { in.Card.Number = "ABC123" },
		"card version":        func(in *Input) { in.Card.Version = "2020" },
		"passport number":     func(in *Input) { in.Passport.Number = "C01X00T47Z" },
		"document number":     func(in *Input) { in.DocumentNumber = "../x" },
		"card expiry ≤ issue": func(in *Input) { in.Card.ExpiryDate = in.Card.IssueDate },
		"missing birth date":  func(in *Input) { in.Passport.BirthDate = time.Time{} },
		"no purpose":          func(in *Input) { in.Purpose = "" },
		"unknown purpose":     func(in *Input) { in.Purpose = "casino" },
		"chinese name long":   func(in *Input) { in.ChineseName = strings.Repeat("马", 31) },
		"chinese name ctrl":   func(in *Input) { in.ChineseName = "马\n丁" },
		"previous passport":   func(in *Input) { in.Passport.PreviousNumber = "c01" },
		"previous card":       func(in *Input) { in.Card.PreviousNumber = "FRA1" },
	}
	fx := newFixture(t)
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			in := sampleInput()
			mutate(&in)
			if _, err := fx.issuer.Issue(context.Background(), in); !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestValidateIssuerURL(t *testing.T) {
	good := []string{"https://fprlink.example.gov.cn", "https://example.org:8443/fprl"}
	bad := []string{"http://example.org", "https://example.org/", "https://example.org?x=1",
		"https://example.org#f", "https://user@example.org", "example.org", "https://", ""}
	for _, s := range good {
		if err := ValidateIssuerURL(s); err != nil {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range bad {
		if err := ValidateIssuerURL(s); !errors.Is(err, ErrIssuerURL) {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestStatusListToken(t *testing.T) {
	ctx := context.Background()
	fx := newFixture(t)
	list := edoc.NewStatusList(1 << 12)
	_ = list.Set(7, edoc.StatusInvalid)
	_ = list.Set(9, edoc.StatusSuspended)
	tok, err := fx.issuer.StatusListToken(ctx, "3", list)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatal(err)
	}
	if typ := jws.Signatures[0].Header.ExtraHeaders["typ"]; typ != "statuslist+jwt" {
		t.Fatalf("typ %v", typ)
	}
	signer, _ := fx.keys.ActiveSigner(ctx)
	payload, err := jws.Verify(signer.Public())
	if err != nil {
		t.Fatal(err)
	}
	var c edoc.StatusListClaims
	_ = json.Unmarshal(payload, &c)
	if c.Subject != testIssuer+"/api/v1/status-lists/3" || c.TTL != 3600 || c.Expiry-c.IssuedAt != 86400 {
		t.Fatalf("claims %+v", c)
	}
	got, err := edoc.DecodeStatusList(c.StatusList, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for idx, want := range map[int]uint8{7: 1, 9: 2, 8: 0} {
		if v, _ := got.Get(idx); v != want {
			t.Errorf("entry %d = %d, want %d", idx, v, want)
		}
	}
	if _, err := fx.issuer.StatusListToken(ctx, "../etc", list); !errors.Is(err, ErrStatusList) {
		t.Fatalf("bad list id: %v", err)
	}
}
