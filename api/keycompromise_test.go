package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/verifier"
)

const drillJWKSMaxAge = 5 * time.Minute

// newDrillEnv is the e-document service with the admins' key revocation
// and a JWKS max-age the drill counts on.
func newDrillEnv(t *testing.T, db *storage.DB) *edocEnv {
	t.Helper()
	e := newEdocEnv(t, db, nil)
	_, h := newTestServer(t, Deps{Clock: e.Clock, Auth: edocAccounts,
		EDocuments:     EDocuments{Documents: e.Service, Files: e.Service, Officers: e.Service, Keys: attestations.NewKeyAdmin(e.Keys)},
		Verify:         Verify{Verifier: e.Service, APIKeys: e.Parties, Limiter: relyingparties.NewLimiter(e.Clock, 0, 1)},
		RelyingParties: RelyingParties{Admin: e.Parties},
		Publication:    Publication{StatusLists: e.Tokens, JWKS: e.Keys, JWKSMaxAge: drillJWKSMaxAge},
	})
	e.h = h
	return e
}

// offlineVerifier is a relying party's own verifier: it fetches the JWKS
// and status lists over the network and caches them as their
// Cache-Control says, on the service's fixed clock.
func (e *edocEnv) offlineVerifier(t *testing.T) *verifier.Verifier {
	t.Helper()
	client := &http.Client{Transport: routeTo{e.h}}
	keys, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: attestationstest.Issuer + verifier.JWKSPath, Client: client, Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	status, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: keys, Client: client, Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Options{Sector: "bank", Keys: keys, Status: status, Now: e.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func verifyCheck(v verificationJSON, code string) string {
	for _, c := range v.Checks {
		if c.Code == code {
			return c.Result
		}
	}
	return ""
}

// The key-compromise drill: the signing key is revoked by an admin; every
// document it signed fails the verify API at once and offline verifiers
// once their JWKS is older than its max-age; residents issue new documents
// under the new key, which verify everywhere; the audit trail names the
// admin.
func TestKeyCompromiseDrill(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDrillEnv(t, db)
		ctx := context.Background()
		alice, bob := e.issue(t, "alice"), e.issue(t, "bob")
		bank := e.party(t, "bank")
		offline := e.offlineVerifier(t)
		for _, doc := range []issuedJSON{alice, bob} {
			if res, err := offline.Verify(ctx, doc.QRText); err != nil || !res.Valid {
				t.Fatalf("offline before the compromise: %v", err)
			}
		}
		recs, err := e.Keys.List(ctx)
		if err != nil || len(recs) != 1 {
			t.Fatalf("keys: %v %v", recs, err)
		}
		kid := recs[0].KID

		revoked := wantJSON[keyRevocationView](t, e.call(t, "POST", "/api/v1/admin/signing-keys/"+kid+"/revoke", "admin", nil), http.StatusOK)
		if revoked.KID != kid || revoked.ActiveKID == "" || revoked.ActiveKID == kid || revoked.RevokedAt == "" {
			t.Fatalf("revocation: %+v", revoked)
		}
		for _, doc := range []issuedJSON{alice, bob} {
			v := e.verify(t, bank.APIKey, map[string]string{"qr": doc.QRText})
			if v.Valid || verifyCheck(v, "key") != "fail" {
				t.Fatalf("the verify API must refuse a revoked key's document at once: %+v", v)
			}
		}
		if res, _ := offline.Verify(ctx, alice.QRText); !res.Valid {
			t.Fatal("an offline verifier keeps its JWKS for its max-age: the documented window")
		}
		e.Clock.Advance(drillJWKSMaxAge + time.Second)
		res, _ := offline.Verify(ctx, alice.QRText)
		if res.Valid || res.Check(verifier.CheckKey).Result != verifier.Fail {
			t.Fatalf("offline after the JWKS max-age: %+v", res.Check(verifier.CheckKey))
		}

		again := e.issue(t, "alice")
		if v := e.verify(t, bank.APIKey, map[string]string{"qr": again.QRText}); !v.Valid {
			t.Fatalf("a document issued under the new key: %+v", v)
		}
		if res, err := offline.Verify(ctx, again.QRText); err != nil || !res.Valid {
			t.Fatalf("offline, the new key's document: %v %+v", err, res.Check(verifier.CheckKey))
		}
		var audits []struct{ Action, ActorID string }
		if err := db.Gorm.Raw("SELECT action, actor_id FROM audit_events WHERE entity = 'signing_key' ORDER BY id").Scan(&audits).Error; err != nil {
			t.Fatal(err)
		}
		var byAdmin int
		for _, a := range audits {
			if a.ActorID == "acc-admin" && (a.Action == "signing_key.revoke" || a.Action == "signing_key.generate") {
				byAdmin++
			}
		}
		if byAdmin != 2 {
			t.Fatalf("audit rows of the revocation: %+v", audits)
		}
	})
}

func TestRevokeSigningKeyRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDrillEnv(t, db)
		e.issue(t, "alice")
		recs, _ := e.Keys.List(context.Background())
		path := "/api/v1/admin/signing-keys/" + recs[0].KID + "/revoke"
		t.Run("anonymous", func(t *testing.T) {
			wantProblem(t, e.call(t, "POST", path, "", nil), http.StatusUnauthorized, "unauthenticated", "")
		})
		t.Run("officer", func(t *testing.T) {
			wantProblem(t, e.call(t, "POST", path, "officer", nil), http.StatusForbidden, "forbidden", "")
		})
		t.Run("resident", func(t *testing.T) {
			wantProblem(t, e.call(t, "POST", path, "alice", nil), http.StatusForbidden, "forbidden", "")
		})
		t.Run("unknown-kid", func(t *testing.T) {
			wantProblem(t, e.call(t, "POST", "/api/v1/admin/signing-keys/no-such-kid/revoke", "admin", nil), http.StatusNotFound, "signing_key_not_found", "")
		})
		if recs, _ := e.Keys.List(context.Background()); recs[0].State != "active" {
			t.Fatalf("a refused revocation changed the key: %s", recs[0].State)
		}
		t.Run("already-revoked", func(t *testing.T) {
			wantStatus(t, e.call(t, "POST", path, "admin", nil), http.StatusOK)
			wantProblem(t, e.call(t, "POST", path, "admin", nil), http.StatusConflict, "signing_key_revoked", "")
		})
	})
}
