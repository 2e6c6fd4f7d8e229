package verifier_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

func TestValidDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.a.issue()
	for name, v := range map[string]*verifier.Verifier{"static": e.a.staticVerifier(), "http": e.a.httpVerifier()} {
		for form, input := range map[string]string{"jws": d.JWS, "qr": d.QRText, "qr-with-newline": d.QRText + "\n"} {
			t.Run(name+"/"+form, func(t *testing.T) {
				t.Parallel()
				res, err := v.Verify(context.Background(), input)
				if err != nil || !res.Valid || res.Status != verifier.StatusValid {
					t.Fatalf("valid document refused: %v %+v", err, res.Checks)
				}
				for _, c := range res.Checks {
					if c.Result != verifier.Pass {
						t.Fatalf("check %s = %s", c.Code, c.Result)
					}
				}
				if c, ok := res.VerifiedClaims(); !ok || c.ID != d.Claims.ID || res.KID != d.KID {
					t.Fatalf("result fields differ from the issued document")
				}
			})
		}
	}
}

func TestStatusUnknownIsNeverValid(t *testing.T) {
	t.Parallel()
	rows := []row{
		{
			name: "unknown-status-list-unreachable", want: verifier.ErrStatusUnavailable,
			input: func(e *env) string {
				e.a.mu.Lock()
				e.a.statusCode = http.StatusServiceUnavailable
				e.a.mu.Unlock()
				return e.doc
			},
			prepare: func(e *env) *verifier.Verifier { return e.a.httpVerifier() },
		},
		{
			name: "unknown-status-list-signed-by-another-issuer", want: verifier.ErrStatusListInvalid,
			input: func(e *env) string { return e.doc },
			prepare: func(e *env) *verifier.Verifier {
				// b signs a list claiming to be a's.
				tok := sign(e.t, e.b.signer(), edoc.StatusListType, nil, mustJSON(edoc.StatusListClaims{
					Subject: e.a.statusURI(), IssuedAt: e.clock.Now().Unix(), Expiry: e.clock.Now().Add(time.Hour).Unix(),
					TTL: 60, StatusList: edoc.StatusBits{Bits: 2, Lst: edoc.NewStatusList(listSize).Encode()},
				}))
				ks := e.a.staticKeys()
				st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: e.clock.Now, Tokens: map[string]string{e.a.statusURI(): tok}})
				v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: e.clock.Now})
				return v
			},
		},
		{
			name: "unknown-status-list-sub-mismatch", want: verifier.ErrStatusListInvalid,
			input: func(e *env) string { return e.doc },
			prepare: func(e *env) *verifier.Verifier {
				ks := e.a.staticKeys()
				other, _ := e.a.issuer.StatusListToken(context.Background(), "2", e.a.list)
				st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: e.clock.Now, Tokens: map[string]string{e.a.statusURI(): other}})
				v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: e.clock.Now})
				return v
			},
		},
		{
			name: "unknown-status-list-in-json-serialization", want: verifier.ErrStatusListInvalid,
			input: func(e *env) string { return e.doc },
			prepare: func(e *env) *verifier.Verifier {
				p := strings.Split(e.a.statusToken(), ".")
				tok := `{"protected":"` + p[0] + `","payload":"` + p[1] + `","signature":"` + p[2] + `"}`
				ks := e.a.staticKeys()
				st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: e.clock.Now, Tokens: map[string]string{e.a.statusURI(): tok}})
				v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: st, Now: e.clock.Now})
				return v
			},
		},
		{
			name: "unknown-no-status-source", want: verifier.ErrNoStatusSource,
			input: func(e *env) string { return e.doc },
			prepare: func(e *env) *verifier.Verifier {
				v, _ := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: e.a.staticKeys(), Now: e.clock.Now})
				return v
			},
		},
	}
	for _, tc := range rows {
		tc.check, tc.outcome, tc.status = verifier.CheckStatus, verifier.Skip, verifier.StatusUnknown
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			assertResult(t, tc.prepare(e), tc.input(e), tc)
		})
	}
}

func TestKeyLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	old := e.doc
	if _, err := e.a.keys.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := e.a.issue().JWS
	v := e.a.staticVerifier()
	for name, doc := range map[string]string{"retired key": old, "new key": fresh} {
		if _, err := v.Verify(ctx, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	res, _ := v.Verify(ctx, old)
	if _, err := e.a.keys.Revoke(ctx, res.KID); err != nil {
		t.Fatal(err)
	}
	// Published JWKS: the revoked key is gone, so its documents fail.
	assertResult(t, e.a.staticVerifier(), old, row{want: verifier.ErrUnknownKey,
		check: verifier.CheckKey, outcome: verifier.Fail, status: verifier.StatusInvalid})
	// Online source that knows revoked keys: reported as revoked.
	assertResult(t, onlineVerifier(t, e), old, row{want: verifier.ErrKeyRevoked,
		check: verifier.CheckKey, outcome: verifier.Fail, status: verifier.StatusInvalid})
	if _, err := onlineVerifier(t, e).Verify(ctx, fresh); err != nil {
		t.Fatalf("online verifier refuses a good document: %v", err)
	}
}

// onlineVerifier reads keys straight from the key manager, as the issuing
// service's own verify endpoint does.
func onlineVerifier(t *testing.T, e *env) *verifier.Verifier {
	src := verifier.KeySourceFunc(func(ctx context.Context, iss, kid string) ([]verifier.Key, error) {
		if iss != e.a.iss {
			return nil, verifier.ErrUnknownIssuer
		}
		pks, err := e.a.keys.PublicKeys(ctx)
		if err != nil {
			return nil, err
		}
		var out []verifier.Key
		for _, pk := range pks {
			if pk.JWK.KeyID == kid {
				out = append(out, verifier.Key{JWK: pk.JWK, NotBefore: pk.ActivatedAt, Revoked: pk.State == keys.StateRevoked})
			}
		}
		return out, nil
	})
	st, _ := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: e.a.staticKeys(), Now: e.clock.Now, Tokens: map[string]string{e.a.statusURI(): e.a.statusToken()}})
	v, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: src, Status: st, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestKeyMustCoverIssueTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// A document claiming to predate its key's activation by a day.
	doc := e.resign(func(c *edoc.Claims) { c.IssuedAt -= 86400; c.NotBefore = c.IssuedAt })
	assertResult(t, e.a.staticVerifier(), doc, row{want: verifier.ErrKeyNotValidAtIssue,
		check: verifier.CheckKey, outcome: verifier.Fail, status: verifier.StatusInvalid})
}

func TestHTTPKeysCacheAndRefresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	v := e.a.httpVerifier()
	ks, _ := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: e.a.iss + verifier.JWKSPath, Client: e.a.srv.Client(), Now: e.clock.Now})
	for range 5 {
		if _, err := v.Verify(ctx, e.doc); err != nil {
			t.Fatal(err)
		}
		if _, err := ks.Keys(ctx, e.a.iss, "no-such-kid"); !errors.Is(err, verifier.ErrUnknownKey) {
			t.Fatalf("unknown kid: %v", err)
		}
	}
	// One fetch each for v's source and ks: cached, and unknown kids do not
	// refetch within MinRefresh.
	if got := e.a.jwksHits.Load(); got != 2 {
		t.Fatalf("JWKS fetched %d times, want 2", got)
	}
	if got := e.a.statusHits.Load(); got != 1 {
		t.Fatalf("status list fetched %d times, want 1 (cached by ttl)", got)
	}
	// A rotation is picked up on the first unknown kid after MinRefresh.
	_, _ = e.a.keys.Rotate(ctx)
	fresh := e.a.issue().JWS
	e.clock.Set(e.clock.Now().Add(2 * time.Minute))
	if _, err := v.Verify(ctx, fresh); err != nil {
		t.Fatalf("rotated key not picked up: %v", err)
	}
	if _, err := ks.Keys(ctx, "https://elsewhere.example", "x"); !errors.Is(err, verifier.ErrUnknownIssuer) {
		t.Fatalf("other issuer: %v", err)
	}
}

// TestHTTPKeysHonourTheIssuersMaxAge: a key the issuer revoked leaves its
// JWKS at once; an offline verifier stops trusting it once its copy is
// older than the JWKS's max-age, not only after its own (longer) CacheTTL.
func TestHTTPKeysHonourTheIssuersMaxAge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	e.a.mu.Lock()
	e.a.jwksCache = "public, max-age=300"
	e.a.mu.Unlock()
	v := e.a.httpVerifier()
	if res, err := v.Verify(ctx, e.doc); err != nil || !res.Valid {
		t.Fatalf("before: %+v %v", res, err)
	}
	recs, _ := e.a.keys.List(ctx)
	if _, err := e.a.keys.Revoke(ctx, recs[0].KID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(e.clock.Now().Add(4 * time.Minute))
	if got := e.a.jwksHits.Load(); got != 1 {
		t.Fatalf("JWKS fetched %d times within max-age, want 1", got)
	}
	e.clock.Set(e.clock.Now().Add(61 * time.Second))
	res, err := v.Verify(ctx, e.doc)
	if !errors.Is(err, verifier.ErrUnknownKey) || res.Valid || e.a.jwksHits.Load() != 2 {
		t.Fatalf("after max-age: valid %v, %d fetches, %v; want the revoked key gone", res.Valid, e.a.jwksHits.Load(), err)
	}
}

func TestHTTPStatusCachedByTTL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	st, _ := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: e.a.staticKeys(), Client: e.a.srv.Client(), Now: e.clock.Now})
	uri := e.a.statusURI()
	list, err := st.StatusList(ctx, uri)
	if err != nil || list.TTL != time.Hour {
		t.Fatalf("list %+v err %v", list, err)
	}
	e.a.mu.Lock()
	e.a.statusCode = http.StatusInternalServerError
	e.a.mu.Unlock()
	e.clock.Set(e.clock.Now().Add(59 * time.Minute))
	if _, err := st.StatusList(ctx, uri); err != nil {
		t.Fatalf("cached list not used within ttl: %v", err)
	}
	e.clock.Set(e.clock.Now().Add(2 * time.Minute))
	if _, err := st.StatusList(ctx, uri); !errors.Is(err, verifier.ErrStatusUnavailable) {
		t.Fatalf("list not refetched after ttl: %v", err)
	}
	if got := e.a.statusHits.Load(); got != 2 {
		t.Fatalf("status fetched %d times, want 2", got)
	}
}

func TestQRImageRoundTrip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.a.issue()
	qr, err := issuer.EncodeQR(d.QRText)
	if err != nil {
		t.Fatal(err)
	}
	png, _ := qr.PNG(4)
	text, err := verifier.DecodeQRImage(bytes.NewReader(png))
	if err != nil || text != d.QRText {
		t.Fatalf("decoded %q, %v", text, err)
	}
	if _, err := e.a.staticVerifier().Verify(context.Background(), text); err != nil {
		t.Fatal(err)
	}
	if _, err := verifier.DecodeQRImage(strings.NewReader("not an image")); !errors.Is(err, verifier.ErrQRImage) {
		t.Fatalf("garbage image: %v", err)
	}
}

func TestFormatReport(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res, _ := e.a.staticVerifier().Verify(context.Background(), e.doc)
	var buf bytes.Buffer
	if err := verifier.FormatReport(&buf, res); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"VALID (status: valid)", "signature", "pass", "MARTIN", e.claim.ID} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
