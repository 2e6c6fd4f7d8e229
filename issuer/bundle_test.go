package issuer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

func bundleClaims(t *testing.T, tok string) edoc.BundleClaims {
	t.Helper()
	parts := strings.Split(tok, ".")
	head, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if string(head) != `{"alg":"ES256","kid":"`+mustKID(t, tok)+`","typ":"fprl-bundle+jwt"}` {
		t.Fatalf("header %s", head)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c edoc.BundleClaims
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func mustKID(t *testing.T, tok string) string {
	head, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	var h struct{ Kid string }
	_ = json.Unmarshal(head, &h)
	return h.Kid
}

// The bundle holds what it was given, is made now, and expires with the
// earliest of its lists.
func TestTrustBundleExpiresWithItsEarliestList(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	older, _ := f.issuer.StatusListToken(ctx, "1", edoc.NewStatusList(64))
	made := f.clock.t
	f.clock.t = made.Add(2 * time.Hour)
	newer, _ := f.issuer.StatusListToken(ctx, "2", edoc.NewStatusList(64))
	jwks, _ := f.keys.JWKS(ctx)
	tok, err := f.issuer.TrustBundle(ctx, jwks, map[string]string{f.issuer.StatusListURI("1"): older, f.issuer.StatusListURI("2"): newer})
	if err != nil {
		t.Fatal(err)
	}
	c := bundleClaims(t, tok)
	if c.Issuer != testIssuer || c.IssuedAt != f.clock.t.Unix() || c.Expiry != made.Add(24*time.Hour).Unix() ||
		len(c.StatusLists) != 2 || string(c.JWKS) != string(jwks) {
		t.Fatalf("claims %+v", c)
	}
	empty, _ := f.issuer.TrustBundle(ctx, jwks, nil)
	if c := bundleClaims(t, empty); c.Expiry != f.clock.t.Add(24*time.Hour).Unix() || c.StatusLists == nil {
		t.Fatalf("a bundle without lists expires %d", c.Expiry)
	}
}

func TestTrustBundleRejections(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		jwks  string
		lists func(f *fixture) map[string]string
	}{
		{"fail-jwks-not-json", "{", nil},
		{"fail-list-not-a-jws", `{"keys":[]}`, func(f *fixture) map[string]string { return map[string]string{"u": "x"} }},
		{"fail-list-without-exp", `{"keys":[]}`, func(f *fixture) map[string]string {
			return map[string]string{"u": "e30." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u"}`)) + ".sig"}
		}},
		{"fail-list-expired", `{"keys":[]}`, func(f *fixture) map[string]string {
			tok, _ := f.issuer.StatusListToken(context.Background(), "1", edoc.NewStatusList(64))
			f.clock.t = f.clock.t.Add(25 * time.Hour)
			return map[string]string{f.issuer.StatusListURI("1"): tok}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			var lists map[string]string
			if tc.lists != nil {
				lists = tc.lists(f)
			}
			if _, err := f.issuer.TrustBundle(context.Background(), []byte(tc.jwks), lists); !errors.Is(err, ErrTrustBundle) {
				t.Fatalf("error %v, want ErrTrustBundle", err)
			}
		})
	}
}
