package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/verifier"
)

// withTrustBundle is the e-document server with the trust bundle wired.
func withTrustBundle(t *testing.T, db *storage.DB) *edocEnv {
	t.Helper()
	e := newEdocEnv(t, db, nil)
	is, err := issuer.New(issuer.Config{Issuer: attestationstest.Issuer, MaxValidity: time.Hour,
		StatusListTTL: attestationstest.StatusTTL, StatusListLifetime: 24 * time.Hour, Keys: e.Keys, Allocator: e.Lists, Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	jwks := attestations.NewPublishedJWKS(e.Keys, attestationstest.Issuer)
	tb, err := attestations.NewTrustBundles(e.Clock, e.Lists, e.Tokens, jwks, is, attestationstest.StatusTTL)
	if err != nil {
		t.Fatal(err)
	}
	_, e.h = newTestServer(t, Deps{Clock: e.Clock, Auth: edocAccounts,
		EDocuments:     EDocuments{Documents: e.Service, Files: e.Service},
		Verify:         Verify{Verifier: e.Service, APIKeys: e.Parties},
		RelyingParties: RelyingParties{Admin: e.Parties},
		Publication:    Publication{StatusLists: e.Tokens, JWKS: jwks, TrustBundles: tb},
	})
	return e
}

// The route's bundle is all an air-gapped verifier needs, and follows a
// revocation made through the API.
func TestTrustBundleRoute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := withTrustBundle(t, db)
		doc := e.issue(t, "alice")
		statusOf := func() verifier.Status {
			t.Helper()
			rec := e.call(t, "GET", "/api/v1/trust-bundle", "", nil)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/fprl-bundle+jwt" ||
				rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Cache-Control") != "public, max-age=300" {
				t.Fatalf("GET trust-bundle: %d %v", rec.Code, rec.Header())
			}
			b, err := verifier.ParseBundle(context.Background(), rec.Body.Bytes(),
				verifier.BundleOptions{Issuer: attestationstest.Issuer, Now: e.Clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			v, _ := verifier.New(verifier.Options{Sector: "bank", Keys: b.Keys(), Status: b, Now: e.Clock.Now})
			res, _ := v.Verify(context.Background(), doc.QRText)
			return res.Status
		}
		if got := statusOf(); got != verifier.StatusValid {
			t.Fatalf("before revocation: %s", got)
		}
		if rec := e.call(t, "POST", "/api/v1/me/attestations/"+doc.ID+"/revoke", "alice", nil); rec.Code != 200 {
			t.Fatalf("revoke: %d", rec.Code)
		}
		if got := statusOf(); got != verifier.StatusInvalid {
			t.Fatalf("after revocation: %s", got)
		}
	})
}
