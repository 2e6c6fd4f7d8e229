package attestations_test

import (
	"context"
	"encoding/json"
	"github.com/fprlink/fprlink/internal/audit"
	"slices"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/verifier"
)

const formerIssuer = "https://fprlink-old.example.gov.cn"

func TestPublishedJWKSNamesEveryIssuerURL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		jwks, err := attestations.NewPublishedJWKS(e.Keys, attestationstest.Issuer, formerIssuer, attestationstest.Issuer).JWKS(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var set struct {
			Keys    []json.RawMessage `json:"keys"`
			Issuers []string          `json:"issuers"`
		}
		if err := json.Unmarshal(jwks, &set); err != nil || len(set.Keys) != 1 ||
			!slices.Equal(set.Issuers, []string{attestationstest.Issuer, formerIssuer}) {
			t.Fatalf("JWKS %s: %v", jwks, err)
		}
		ks, _ := verifier.NewStaticKeys(attestationstest.Issuer, jwks)
		if cur, ok := ks.CurrentIssuer(formerIssuer); !ok || cur != attestationstest.Issuer {
			t.Fatalf("a verifier reads %s as %q, %v", formerIssuer, cur, ok)
		}
	})
}

// The online verifier trusts documents of the URLs signed under before
// and reads their status from the current lists.
func TestOnlineKeysTrustFormerIssuerURLs(t *testing.T) {
	t.Parallel()
	online := attestations.NewOnlineKeys(nil, nil, attestationstest.Issuer, time.Second, formerIssuer)
	for iss, want := range map[string]bool{attestationstest.Issuer: true, formerIssuer: true, "https://elsewhere.example": false} {
		if cur, ok := online.CurrentIssuer(iss); ok != want || (ok && cur != attestationstest.Issuer) {
			t.Errorf("CurrentIssuer(%s) = %q, %v", iss, cur, ok)
		}
	}
	if _, err := online.Keys(context.Background(), "https://elsewhere.example", "kid"); err != verifier.ErrUnknownIssuer {
		t.Errorf("another issuer: %v", err)
	}
}

// The bundle holds every list and follows revocations at once, but is not
// signed again for every caller.
func TestTrustBundleFollowsChangesAndIsNotResignedForEveryCaller(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := aliceIssued(t, db)
		is, err := issuer.New(issuer.Config{Issuer: attestationstest.Issuer, MaxValidity: time.Hour,
			StatusListTTL: attestationstest.StatusTTL, StatusListLifetime: 24 * time.Hour, Keys: a.Keys, Allocator: a.Lists, Now: a.Clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		jwks := attestations.NewPublishedJWKS(a.Keys, attestationstest.Issuer)
		tb, err := attestations.NewTrustBundles(a.Clock, a.Lists, a.Tokens, jwks, is, attestationstest.StatusTTL)
		if err != nil {
			t.Fatal(err)
		}
		status := func() verifier.Status {
			t.Helper()
			b, err := tb.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			bundle, err := verifier.ParseBundle(ctx, []byte(b.Token), verifier.BundleOptions{Issuer: attestationstest.Issuer, Now: a.Clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			v, _ := verifier.New(verifier.Options{Sector: "bank", Keys: bundle.Keys(), Status: bundle, Now: a.Clock.Now})
			res, _ := v.Verify(ctx, a.doc.QRText)
			return res.Status
		}
		first, _ := tb.Current(ctx)
		if again, _ := tb.Current(ctx); again != first {
			t.Fatal("signed again with nothing changed")
		}
		if got := status(); got != verifier.StatusValid {
			t.Fatalf("before revocation: %s", got)
		}
		if _, err := a.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", a.doc.ID); err != nil {
			t.Fatal(err)
		}
		if got := status(); got != verifier.StatusInvalid {
			t.Fatalf("after revocation: %s", got)
		}
		changed, _ := tb.Current(ctx)
		a.Clock.Advance(attestationstest.StatusTTL / 2)
		if old, _ := tb.Current(ctx); old == changed || !old.MadeAt.Equal(a.Clock.Now()) {
			t.Fatalf("not made again after half a ttl: %v", old.MadeAt)
		}
	})
}

func TestNewTrustBundlesNeedsEveryDependency(t *testing.T) {
	t.Parallel()
	if _, err := attestations.NewTrustBundles(nil, nil, nil, nil, nil, 0); err == nil {
		t.Fatal("built without dependencies")
	}
}
