package attestations_test

import (
	"context"
	"github.com/fprlink/fprlink/internal/audit"
	"testing"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/verifier"
)

// TestEveryCodeHasALabel takes the codes from what the service really
// answers (every check of a verification, every method a verification log
// records, every state a document shows) and wants each named in English
// and Chinese, not echoed back as the code.
func TestEveryCodeHasALabel(t *testing.T) {
	named := func(kind, code string, l i18n.Text) {
		t.Helper()
		if l.En == "" || l.Zh == "" || l.En == code || l.Zh == l.En {
			t.Errorf("%s %q has no label of its own: %+v", kind, code, l)
		}
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		b := bank(t, e, relyingparties.SectorBank)
		for _, req := range []attestations.VerifyRequest{
			{QR: doc.QRText}, {Token: doc.Token},
			{DocumentNumber: doc.DocumentNumber, VerificationCode: doc.VerificationCode},
		} {
			v, err := e.Service.Verify(ctx, b, req, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range v.Checks {
				named("check", c.Code, attestations.CheckLabel(c.Code))
			}
		}
		log, err := e.Service.Verifications(ctx, "alice", doc.ID, paging.Request{Limit: 10})
		if err != nil || len(log.Items) != 3 {
			t.Fatalf("log: %+v %v", log.Items, err)
		}
		for _, entry := range log.Items {
			named("method", entry.Method, attestations.MethodLabel(entry.Method))
		}
		a, _ := e.Service.Get(ctx, "alice", doc.ID)
		named("state", a.State, attestations.StateLabel(a.State))
		a, _ = e.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", doc.ID)
		named("state", a.State, attestations.StateLabel(a.State))
		e.Holders.Put(attestationstest.Sample("bob"))
		expiring, _ := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "bob", Purpose: relyingparties.SectorBank})
		e.Clock.Advance(expiring.ExpiresAt.Sub(e.Clock.Now()) + 1)
		a, _ = e.Service.Get(ctx, "bob", expiring.ID)
		if a.State != "expired" {
			t.Fatalf("state after expiry: %q", a.State)
		}
		named("state", a.State, attestations.StateLabel(a.State))
	})
	for _, s := range []verifier.Status{verifier.StatusValid, verifier.StatusInvalid, verifier.StatusUnknown} {
		named("result", string(s), attestations.ResultLabel(string(s)))
	}
	for _, s := range relyingparties.Sectors {
		named("sector", string(s), s.Label())
	}
}
