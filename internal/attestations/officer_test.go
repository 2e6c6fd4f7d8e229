package attestations_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer/edoc"
)

var officer = audit.Actor{ID: "acc-officer", Role: "officer"}

// statusOf reads the document's entry in its status list as stored.
func statusOf(t *testing.T, a withAlice) uint8 {
	t.Helper()
	var row attestations.Row
	if err := a.DB.Gorm.Where("id = ?", a.doc.ID).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	list, _, err := a.Lists.Load(context.Background(), row.StatusListID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := list.Get(row.StatusIdx)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSuspendFailsVerificationUntilReinstated: a suspended document
// answers invalid, with both the document check and the status check
// failed, and the holder is told; reinstating it makes it valid again.
func TestSuspendFailsVerificationUntilReinstated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		ctx := context.Background()
		if v, _ := a.verifyQR(a.Service); !v.Valid {
			t.Fatalf("before: %+v", v)
		}
		rec, err := a.Service.Suspend(ctx, inRequest(officer, "req-s"), a.doc.ID, i18n.T("  Suspected forged passport  ", " 中文：Suspected forged passport "))
		if err != nil || rec.State != "suspended" || rec.SuspendedAt == nil || rec.SuspensionReason == nil || *rec.SuspensionReason != why("Suspected forged passport") {
			t.Fatalf("suspend: %+v %v", rec, err)
		}
		v, _ := a.verifyQR(a.Service)
		if r := results(v); v.Valid || v.Status != "invalid" || r["status"] != "fail" || r["document"] != "fail" || v.Document != nil {
			t.Fatalf("suspended: %+v", v)
		}
		wantMessages(t, v, "document")
		if got := statusOf(t, a); got != edoc.StatusSuspended {
			t.Fatalf("status list entry %d, want suspended", got)
		}
		mine, err := a.Service.Get(ctx, "alice", a.doc.ID)
		if err != nil || mine.State != "suspended" || mine.SuspensionReason == nil || *mine.SuspensionReason != why("Suspected forged passport") {
			t.Fatalf("holder's view: %+v %v", mine, err)
		}

		rec, err = a.Service.Reinstate(ctx, inRequest(officer, "req-r"), a.doc.ID, why("Passport confirmed genuine"))
		if err != nil || rec.State != "active" || rec.SuspendedAt != nil || rec.SuspensionReason != nil {
			t.Fatalf("reinstate: %+v %v", rec, err)
		}
		if v, _ := a.verifyQR(a.Service); !v.Valid {
			t.Fatalf("reinstated: %+v", v)
		}
		if got := statusOf(t, a); got != edoc.StatusValid {
			t.Fatalf("status list entry %d, want valid", got)
		}

		notes, _ := notifications.NewStore(db).List(ctx, "alice", paging.Request{Limit: 10})
		kinds := map[string]string{}
		for _, n := range notes.Items {
			kinds[n.Kind] = n.Body.En + " | " + n.Body.Zh
		}
		if !strings.Contains(kinds["attestation.suspend"], "Suspected forged passport") ||
			!strings.Contains(kinds["attestation.reinstate"], "Passport confirmed genuine") {
			t.Fatalf("notices: %v", kinds)
		}
		events, _ := audit.List(db.Gorm, "attestation", a.doc.ID)
		var actions []string
		for _, e := range events {
			if e.ActorID == officer.ID {
				actions = append(actions, e.Action+"/"+e.RequestID)
			}
		}
		if strings.Join(actions, ",") != "attestation.suspend/req-s,attestation.reinstate/req-r" {
			t.Fatalf("audit: %v", actions)
		}
	})
}

// TestSuspendOnAnotherNodeFailsAtOnce: the document check reads the row on
// every verification, so a node that cached the status list still answers
// invalid at once.
func TestSuspendOnAnotherNodeFailsAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		if v, _ := a.verifyQR(a.Service); !v.Valid {
			t.Fatalf("before: %+v", v)
		}
		if _, err := a.OtherNode(t).Suspend(context.Background(), officer, a.doc.ID, why("court order")); err != nil {
			t.Fatal(err)
		}
		if v, _ := a.verifyQR(a.Service); v.Valid || results(v)["document"] != "fail" {
			t.Fatalf("after suspension elsewhere: %+v", v)
		}
	})
}

// TestOfficerRevokeTellsTheHolderWhy: revocation by an officer is final,
// works on a suspended document, and the holder sees the reason.
func TestOfficerRevokeTellsTheHolderWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		ctx := context.Background()
		if _, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("examined")); err != nil {
			t.Fatal(err)
		}
		rec, err := a.Service.RevokeAsOfficer(ctx, officer, a.doc.ID, why("Obtained by fraud"))
		if err != nil || rec.State != "revoked" || rec.RevokedAt == nil || rec.RevocationReason == nil || *rec.RevocationReason != why("Obtained by fraud") || rec.SuspendedAt != nil {
			t.Fatalf("revoke: %+v %v", rec, err)
		}
		mine, _ := a.Service.Get(ctx, "alice", a.doc.ID)
		if mine.State != "revoked" || mine.RevocationReason == nil || *mine.RevocationReason != why("Obtained by fraud") {
			t.Fatalf("holder's view: %+v", mine)
		}
		if got := statusOf(t, a); got != edoc.StatusInvalid {
			t.Fatalf("status list entry %d, want invalid", got)
		}
		if v, _ := a.verifyQR(a.Service); v.Valid || results(v)["status"] != "fail" {
			t.Fatalf("revoked: %+v", v)
		}
	})
}

// TestOfficerActionRefusals: each refusal names its reason and changes
// nothing (no status list change, no notice, no audit entry).
func TestOfficerActionRefusals(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("x", attestations.MaxReasonLength+1)
	cases := []struct {
		name, code string
		setup      func(a withAlice) // brings the document into the state
		act        func(a withAlice) error
	}{
		{"fail-suspend-without-reason", "invalid_reason", nil, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("   "))
			return err
		}},
		{"fail-reason-too-long", "invalid_reason", nil, func(a withAlice) error {
			_, err := a.Service.RevokeAsOfficer(ctx, officer, a.doc.ID, why(long))
			return err
		}},
		{"fail-reason-without-chinese", "invalid_reason", nil, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, i18n.T("Court order", " "))
			return err
		}},
		{"fail-chinese-reason-too-long", "invalid_reason", nil, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, i18n.T("Court order", strings.Repeat("因", attestations.MaxReasonLength+1)))
			return err
		}},
		{"fail-unknown-document", "attestation_not_found", nil, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, "no-such-id", why("reason"))
			return err
		}},
		{"fail-suspend-twice", "attestation_suspended", func(a withAlice) {
			if _, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("first")); err != nil {
				panic(err)
			}
		}, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("second"))
			return err
		}},
		{"fail-suspend-revoked", "attestation_revoked", func(a withAlice) {
			if _, err := a.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", a.doc.ID); err != nil {
				panic(err)
			}
		}, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("reason"))
			return err
		}},
		{"fail-suspend-expired", "attestation_expired", func(a withAlice) {
			a.Clock.Advance(91 * 24 * time.Hour)
		}, func(a withAlice) error {
			_, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("reason"))
			return err
		}},
		{"fail-reinstate-not-suspended", "attestation_not_suspended", nil, func(a withAlice) error {
			_, err := a.Service.Reinstate(ctx, officer, a.doc.ID, why("reason"))
			return err
		}},
		{"fail-reinstate-revoked", "attestation_revoked", func(a withAlice) {
			if _, err := a.Service.Suspend(ctx, officer, a.doc.ID, why("first")); err != nil {
				panic(err)
			}
			if _, err := a.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", a.doc.ID); err != nil {
				panic(err)
			}
		}, func(a withAlice) error {
			_, err := a.Service.Reinstate(ctx, officer, a.doc.ID, why("reason"))
			return err
		}},
		{"fail-revoke-twice", "attestation_revoked", func(a withAlice) {
			if _, err := a.Service.RevokeAsOfficer(ctx, officer, a.doc.ID, why("first")); err != nil {
				panic(err)
			}
		}, func(a withAlice) error {
			_, err := a.Service.RevokeAsOfficer(ctx, officer, a.doc.ID, why("second"))
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				a := aliceIssued(t, db)
				if c.setup != nil {
					c.setup(a)
				}
				before, _ := a.Service.Get(ctx, "alice", a.doc.ID)
				snap, _ := a.Tokens.Current(ctx, "1")
				events, _ := audit.List(db.Gorm, "attestation", a.doc.ID)
				notes, _ := notifications.NewStore(db).List(ctx, "alice", paging.Request{Limit: 10})

				err := c.act(a)
				if ae, ok := apperr.As(err); !ok || ae.Code != c.code {
					t.Fatalf("got %v, want %s", err, c.code)
				}
				after, _ := a.Service.Get(ctx, "alice", a.doc.ID)
				snap2, _ := a.Tokens.Current(ctx, "1")
				events2, _ := audit.List(db.Gorm, "attestation", a.doc.ID)
				notes2, _ := notifications.NewStore(db).List(ctx, "alice", paging.Request{Limit: 10})
				if after.State != before.State || (after.SuspensionReason == nil) != (before.SuspensionReason == nil) ||
					snap2.Version != snap.Version || len(events2) != len(events) || len(notes2.Items) != len(notes.Items) {
					t.Fatalf("a refusal changed something: %+v → %+v, list v%d → v%d, %d → %d events, %d → %d notices",
						before, after, snap.Version, snap2.Version, len(events), len(events2), len(notes.Items), len(notes2.Items))
				}
			})
		})
	}
}

// TestFindForOfficers: by document number or by holder, never both or
// neither, and without the token or QR text.
func TestFindForOfficers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		ctx := context.Background()
		second, err := a.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		byPerson, err := a.Service.Find(ctx, attestations.Search{PersonID: "alice"}, paging.Request{Limit: 1})
		if err != nil || len(byPerson.Items) != 1 || byPerson.Items[0].ID != second.ID || byPerson.NextCursor == "" {
			t.Fatalf("by person, page 1: %+v %v", byPerson, err)
		}
		rest, err := a.Service.Find(ctx, attestations.Search{PersonID: "alice"}, paging.Request{Limit: 1, After: byPerson.Items[0].ID})
		if err != nil || len(rest.Items) != 1 || rest.Items[0].ID != a.doc.ID {
			t.Fatalf("by person, page 2: %+v %v", rest, err)
		}
		byNumber, err := a.Service.Find(ctx, attestations.Search{DocumentNumber: a.doc.DocumentNumber}, paging.Request{Limit: 10})
		if err != nil || len(byNumber.Items) != 1 || byNumber.Items[0].PersonID != "alice" {
			t.Fatalf("by number: %+v %v", byNumber, err)
		}
		for name, q := range map[string]attestations.Search{
			"neither": {}, "both": {DocumentNumber: a.doc.DocumentNumber, PersonID: "alice"},
		} {
			if _, err := a.Service.Find(ctx, q, paging.Request{Limit: 10}); !apperr.Is(err, "search_term_required") {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := a.Service.Find(ctx, attestations.Search{DocumentNumber: "FP/1"}, paging.Request{Limit: 10}); !apperr.Is(err, "invalid_document_number") {
			t.Errorf("bad number: %v", err)
		}
	})
}

// inRequest is a as it acts within request id.
func inRequest(a audit.Actor, id string) audit.Actor {
	a.RequestID = id
	return a
}

// why is an officer's reason in both languages.
func why(en string) i18n.Text { return i18n.T(en, "中文："+en) }
