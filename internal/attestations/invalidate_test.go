package attestations_test

import (
	"context"
	"github.com/fprlink/fprlink/internal/audit"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

func invalidateTx(t *testing.T, db *storage.DB, at time.Time, invs ...attestations.Invalidation) []string {
	t.Helper()
	var out []string
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = attestations.InvalidateTx(storage.TxOf(tx), at, officer, invs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInvalidateWithdrawsOnlyWhatIsUntrue: an invalidation withdraws the
// holder's documents in force that carry the passport, card or data it
// names, suspended ones included; a document already revoked or expired,
// another person's, or one carrying other documents or data is left as it
// was.
func TestInvalidateWithdrawsOnlyWhatIsUntrue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		ctx := context.Background()
		issue := func(person string, purpose relyingparties.Sector) string {
			doc, err := a.Service.Issue(ctx, attestations.IssueRequest{PersonID: person, Purpose: purpose})
			if err != nil {
				t.Fatal(err)
			}
			return doc.ID
		}
		suspended, revoked := issue("alice", relyingparties.SectorTax), issue("alice", relyingparties.SectorTelecom)
		expired := issue("alice", relyingparties.SectorBank)
		a.Holders.Put(attestationstest.Sample("bob"))
		bobs := issue("bob", relyingparties.SectorBank)
		if _, err := a.Service.Suspend(ctx, officer, suspended, i18n.T("Fraud inquiry.", "欺诈调查。")); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", revoked); err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Model(&attestations.Row{}).Where("id = ?", expired).Update("expires_at", t0.Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		sample := attestationstest.Sample("alice")
		untouched := []attestations.Invalidation{
			{PersonID: "alice", Cause: attestations.CausePassportLost, PassportNumber: "X0000000"},
			{PersonID: "alice", Cause: attestations.CauseCardRenewed, CardNumber: "911250198504120029"},
			{PersonID: "alice", Cause: attestations.CauseHolderChanged, Fields: []string{"mobile"}},
			{PersonID: "carol", Cause: attestations.CausePassportLost, PassportNumber: sample.Passport.Number},
		}
		if got := invalidateTx(t, db, t0, untouched...); len(got) != 0 {
			t.Fatalf("withdrew %v for events that touch none of them", got)
		}
		got := invalidateTx(t, db, t0, attestations.Invalidation{PersonID: "alice", Cause: attestations.CausePassportLost,
			PassportNumber: sample.Passport.Number})
		if want := []string{a.doc.ID, suspended}; !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
			t.Fatalf("withdrew %v, want %v", got, want)
		}
		for id, want := range map[string]string{a.doc.ID: "invalidated", suspended: "invalidated", revoked: "revoked", expired: "expired"} {
			doc, _ := a.Service.Get(ctx, "alice", id)
			if doc.State != want {
				t.Errorf("%s: state %s, want %s", id, doc.State, want)
			}
		}
		if doc, _ := a.Service.Get(ctx, "bob", bobs); doc.State != "active" {
			t.Errorf("bob's document: %s", doc.State)
		}
		if v := statusOf(t, withAlice{Env: a.Env, doc: mustIssued(t, a, suspended)}); v != edoc.StatusInvalid {
			t.Errorf("suspended document's status entry is %d, want invalid", v)
		}
		if again := invalidateTx(t, db, t0, attestations.Invalidation{PersonID: "alice", Cause: attestations.CauseHolderChanged,
			Fields: []string{attestations.FieldSurname}}); len(again) != 0 {
			t.Fatalf("withdrew %v twice", again)
		}
	})
}

func mustIssued(t *testing.T, a withAlice, id string) attestations.Issued {
	t.Helper()
	doc, err := a.Service.Get(context.Background(), "alice", id)
	if err != nil {
		t.Fatal(err)
	}
	return attestations.Issued{ID: doc.ID, DocumentNumber: doc.DocumentNumber}
}

// TestInvalidateFollowsWhatAPurposeSigns: a correction withdraws the
// documents whose purpose signs the corrected field, and no other; the
// Chinese name goes to every purpose.
func TestInvalidateFollowsWhatAPurposeSigns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db) // for a bank
		telecom, err := a.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorTelecom})
		if err != nil {
			t.Fatal(err)
		}
		sex := attestations.Invalidation{PersonID: "alice", Cause: attestations.CauseHolderChanged, Fields: []string{attestations.FieldSex}}
		if got := invalidateTx(t, db, t0, sex); !slices.Equal(got, []string{a.doc.ID}) {
			t.Fatalf("a corrected sex withdrew %v, want only the bank's document", got)
		}
		zh := attestations.Invalidation{PersonID: "alice", Cause: attestations.CauseHolderChanged, Fields: []string{attestations.FieldChineseName}}
		if got := invalidateTx(t, db, t0, zh); !slices.Equal(got, []string{telecom.ID}) {
			t.Fatalf("a corrected Chinese name withdrew %v, want the telecom document", got)
		}
	})
}

// TestLostPassportWithdrawsEveryPurpose: every document was made from the
// passport, whatever its purpose signs of it, and the verify API checks it
// in the registry; so a lost passport withdraws a telecom document too.
func TestLostPassportWithdrawsEveryPurpose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		telecom, err := a.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorTelecom})
		if err != nil {
			t.Fatal(err)
		}
		lost := attestations.Invalidation{PersonID: "alice", Cause: attestations.CausePassportLost,
			PassportNumber: attestationstest.Sample("alice").Passport.Number}
		if got := invalidateTx(t, db, t0, lost); len(got) != 2 || !slices.Contains(got, telecom.ID) {
			t.Fatalf("a lost passport withdrew %v", got)
		}
	})
}

// TestInvalidatedDocumentFailsOnlineWithTheReason: the verify API fails a
// document a registry event invalidated, in the document check, with the
// reason in words.
func TestInvalidatedDocumentFailsOnlineWithTheReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		invalidateTx(t, db, t0, attestations.Invalidation{PersonID: "alice", Cause: attestations.CauseCardStolen,
			CardNumber: attestationstest.Sample("alice").Card.Number})
		v, err := a.verifyQR(a.Service)
		if err != nil || v.Valid {
			t.Fatalf("verify: %+v %v", v, err)
		}
		i := slices.IndexFunc(v.Checks, func(c attestations.Check) bool { return c.Code == attestations.CheckDocument })
		if i < 0 || v.Checks[i].Result != "fail" || !strings.Contains(v.Checks[i].Message.Zh, "永久居留身份证已报被盗") ||
			!strings.Contains(v.Checks[i].Detail, attestations.CauseCardStolen) {
			t.Fatalf("document check: %+v", v.Checks)
		}
	})
}

// TestEveryCauseHasALabel: each cause is worded in English and Chinese.
func TestEveryCauseHasALabel(t *testing.T) {
	for _, c := range []string{attestations.CausePassportLost, attestations.CausePassportStolen, attestations.CausePassportReplaced,
		attestations.CauseCardLost, attestations.CauseCardStolen, attestations.CauseCardCancelled, attestations.CauseCardReplaced,
		attestations.CauseCardRenewed, attestations.CauseHolderChanged} {
		l := attestations.CauseLabel(c)
		if l.En == "" || l.Zh == "" || l.En == c || l.Zh == l.En {
			t.Errorf("%s has no label of its own: %+v", c, l)
		}
	}
}

// changingRenderer makes a registry change while the PDF is rendered:
// after the holder's data was read and before the document is stored.
type changingRenderer struct {
	attestations.DefaultRenderer
	change func()
}

func (r changingRenderer) PDF(doc issuer.Document) ([]byte, error) {
	r.change()
	return r.DefaultRenderer.PDF(doc)
}

// TestIssueRefusedWhenTheRegistryChangedMeanwhile: a passport reported lost
// while a document is being made from it refuses the document; nothing is
// stored.
func TestIssueRefusedWhenTheRegistryChangedMeanwhile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		alice := attestationstest.Sample("alice")
		e.Holders.Put(alice)
		lost := alice
		lost.Passport.Status = attestations.DocLost
		ed, err := attestations.NewEDocs(db, e.Clock, e.Keys, e.Holders, attestations.EDocOptions{Issuer: attestationstest.Issuer,
			DocValidity: 90 * 24 * time.Hour, StatusTTL: attestationstest.StatusTTL, StatusLifetime: 24 * time.Hour, StatusListSize: 1024,
			Renderer: changingRenderer{change: func() { e.Holders.Put(lost) }}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ed.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if !apperr.Is(err, "registry_changed") {
			t.Fatalf("issue: %v", err)
		}
		var n int64
		db.Gorm.Model(&attestations.Row{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d documents stored", n)
		}
	})
}

// TestIssueRefusalNamesTheStatusInWords: a passport reported stolen is
// refused naming the status in the reader's language, never its code.
func TestIssueRefusalNamesTheStatusInWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		h := attestationstest.Sample("alice")
		h.Passport.Status = attestations.DocStolen
		e.Holders.Put(h)
		_, err := e.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		ae, ok := apperr.As(err)
		if !ok || ae.Code != "passport_not_valid" || ae.Message.Zh != "您的护照无效（登记状态：已报被盗）。" ||
			!strings.Contains(ae.Message.En, "reported stolen") {
			t.Fatalf("refusal: %v", err)
		}
	})
}
