package attestations_test

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestKeyRevocationTakesEffectAtOnceOnThisNode: with the key cache warm, a
// revocation through this node's key manager fails the next verification,
// with no time passing.
func TestKeyRevocationTakesEffectAtOnceOnThisNode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		b := bank(t, e, relyingparties.SectorBank)
		if v, _ := e.Service.Verify(ctx, b, attestations.VerifyRequest{Token: doc.Token}, ""); !v.Valid {
			t.Fatalf("before revocation: %+v", v)
		}
		recs, _ := e.Keys.List(ctx)
		if _, err := e.Keys.Revoke(ctx, recs[0].KID); err != nil {
			t.Fatal(err)
		}
		v, _ := e.Service.Verify(ctx, b, attestations.VerifyRequest{Token: doc.Token}, "")
		if v.Valid || results(v)["key"] != "fail" {
			t.Fatalf("right after revocation: %+v", v)
		}
	})
}
