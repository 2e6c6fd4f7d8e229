package attestations_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/fprlink/fprlink/internal/audit"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

// withAlice is a service on db with alice's document issued and a bank to
// verify it.
type withAlice struct {
	*attestationstest.Env
	doc  attestations.Issued
	bank relyingparties.Party
}

func aliceIssued(t *testing.T, db *storage.DB) withAlice {
	t.Helper()
	e := env(t, db)
	e.Holders.Put(attestationstest.Sample("alice"))
	doc, err := e.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
	if err != nil {
		t.Fatal(err)
	}
	return withAlice{Env: e, doc: doc, bank: bank(t, e, relyingparties.SectorBank)}
}

// verifyQR verifies alice's QR as the bank on svc.
func (a withAlice) verifyQR(svc *attestations.Service) (attestations.Verification, error) {
	return svc.Verify(context.Background(), a.bank, attestations.VerifyRequest{QR: a.doc.QRText}, "")
}

// TestVerifyFailsAtOnceAfterRevocationOnAnotherNode: this node has just
// verified the document (its status list is cached); another node revokes
// it; the very next verification here is invalid, failed by the document
// check that reads the attestation's row every time.
func TestVerifyFailsAtOnceAfterRevocationOnAnotherNode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		if v, err := a.verifyQR(a.Service); err != nil || !v.Valid {
			t.Fatalf("before revocation: %+v %v", v, err)
		}
		if _, err := a.OtherNode(t).Revoke(context.Background(), audit.Actor{ID: "alice", Role: "resident"}, "alice", a.doc.ID); err != nil {
			t.Fatal(err)
		}
		v, err := a.verifyQR(a.Service)
		if err != nil || v.Valid || v.Status != "invalid" || results(v)["document"] != "fail" || v.Document != nil {
			t.Fatalf("after revocation elsewhere: %+v %v", v, err)
		}
	})
}

// TestVerifyRevokedHereFailsTheStatusCheckAtOnce: a revocation on this
// node drops the cached status list, so the status check fails too.
func TestVerifyRevokedHereFailsTheStatusCheckAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		if v, _ := a.verifyQR(a.Service); !v.Valid {
			t.Fatalf("before revocation: %+v", v)
		}
		if _, err := a.Service.Revoke(context.Background(), audit.Actor{ID: "alice", Role: "resident"}, "alice", a.doc.ID); err != nil {
			t.Fatal(err)
		}
		v, _ := a.verifyQR(a.Service)
		if r := results(v); v.Valid || r["status"] != "fail" || r["document"] != "fail" {
			t.Fatalf("after revocation: %+v", v)
		}
	})
}

// TestVerifyRegistryUnavailableIsUnknown: when the registry cannot answer,
// the registry checks are skipped and the answer is unknown, never valid.
func TestVerifyRegistryUnavailableIsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		a.Holders.SetFailure(errors.New("registry down"))
		v, err := a.verifyQR(a.Service)
		r := results(v)
		if err != nil || v.Valid || v.Status != "unknown" || v.Document != nil ||
			r["document"] != "pass" || r["registry_passport"] != "skip" || r["registry_fpr_card"] != "skip" {
			t.Fatalf("%+v %v", v, err)
		}
	})
}

// TestConcurrentVerificationsEachGetTheirOwnDocument verifies many
// documents at once, half of them revoked, so lookups share batches: every
// answer must be about its own document, and every one must be recorded.
func TestConcurrentVerificationsEachGetTheirOwnDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		const docs, calls = 12, 120
		issued := make([]attestations.Issued, docs)
		for i := range docs {
			id := fmt.Sprintf("person-%d", i)
			e.Holders.Put(attestationstest.Sample(id))
			var err error
			if issued[i], err = e.Service.Issue(ctx, attestations.IssueRequest{PersonID: id, Purpose: relyingparties.SectorBank}); err != nil {
				t.Fatal(err)
			}
			if i%2 == 1 {
				if _, err := e.Service.Revoke(ctx, audit.Actor{ID: id, Role: "resident"}, id, issued[i].ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		b := bank(t, e, relyingparties.SectorBank)
		var wg sync.WaitGroup
		for i := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				doc := issued[i%docs]
				v, err := e.Service.Verify(ctx, b, attestations.VerifyRequest{QR: doc.QRText}, "")
				if err != nil || v.Valid != (i%docs%2 == 0) {
					t.Errorf("call %d on %s: valid %v, %v", i, doc.DocumentNumber, v.Valid, err)
				}
				if v.Valid && v.Document.DocumentNumber != doc.DocumentNumber {
					t.Errorf("call %d got another document: %v", i, v.Document)
				}
			}()
		}
		wg.Wait()
		var rows int64
		db.Gorm.Model(&attestations.VerificationRow{}).Count(&rows)
		if rows != calls {
			t.Fatalf("%d verification rows for %d calls", rows, calls)
		}
	})
}

// rename renames a table for the rest of the test, as if it were lost.
func rename(t *testing.T, db *storage.DB, from, to string) {
	t.Helper()
	if err := db.Gorm.Exec("ALTER TABLE " + from + " RENAME TO " + to).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Gorm.Exec("ALTER TABLE " + to + " RENAME TO " + from) })
}

// TestVerifyRecordsUnavailableIsUnknown: when our records cannot be read,
// the online checks are skipped and the answer is unknown, never valid,
// and it is still recorded.
func TestVerifyRecordsUnavailableIsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		rename(t, db, "attestations", "attestations_lost")
		v, err := a.verifyQR(a.Service)
		r := results(v)
		if err != nil || v.Valid || v.Status != "unknown" || v.Document != nil || r["signature"] != "pass" ||
			r["document"] != "skip" || r["registry_passport"] != "skip" || r["registry_fpr_card"] != "skip" {
			t.Fatalf("%+v %v", v, err)
		}
		var rows int64
		db.Gorm.Model(&attestations.VerificationRow{}).Where("result = ?", "unknown").Count(&rows)
		if rows != 1 {
			t.Fatalf("%d unknown verifications recorded, want 1", rows)
		}
	})
}

// TestVerifyNotAnsweredWhenItCannotBeRecorded: no answer leaves without
// its row; a verification that cannot be recorded is an error.
func TestVerifyNotAnsweredWhenItCannotBeRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		a := aliceIssued(t, db)
		rename(t, db, "verifications", "verifications_lost")
		v, err := a.verifyQR(a.Service)
		if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindInternal || v.Status != "" || v.Valid {
			t.Fatalf("answered without a record: %+v %v", v, err)
		}
	})
}

// countingKeys counts reads of the key store.
type countingKeys struct {
	attestations.KeyLister
	reads atomic.Int64
}

func (c *countingKeys) PublicKeys(ctx context.Context) ([]keys.PublicKey, error) {
	c.reads.Add(1)
	time.Sleep(20 * time.Millisecond) // a read slow enough for callers to pile up
	return c.KeyLister.PublicKeys(ctx)
}

// TestStaleKeysAreReloadedOnce: verifications arriving together on a
// stale key cache wait for one read of the key store instead of each
// making their own.
func TestStaleKeysAreReloadedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		src := &countingKeys{KeyLister: e.Keys}
		online := attestations.NewOnlineKeys(e.Clock, src, attestationstest.Issuer, time.Second)
		kid := ""
		if pks, err := e.Keys.PublicKeys(context.Background()); err != nil || len(pks) == 0 {
			t.Fatalf("keys: %v", err)
		} else {
			kid = pks[0].JWK.KeyID
		}
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				if _, err := online.Keys(context.Background(), attestationstest.Issuer, kid); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := src.reads.Load(); n != 1 {
			t.Fatalf("16 verifications read the keys %d times", n)
		}
		e.Clock.Advance(2 * time.Second)
		if _, err := online.Keys(context.Background(), attestationstest.Issuer, kid); err != nil || src.reads.Load() != 2 {
			t.Fatalf("after ttl: %d reads, %v", src.reads.Load(), err)
		}
	})
}

// TestUnknownKidIsReadAgainButNotOften: a key activated by another node is
// known here without waiting for the cache to expire, while made-up kids
// read the key store at most once per unknownKeyReload.
func TestUnknownKidIsReadAgainButNotOften(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		src := &countingKeys{KeyLister: e.Keys}
		online := attestations.NewOnlineKeys(e.Clock, src, attestationstest.Issuer, time.Hour)
		ctx := context.Background()
		pks, _ := e.Keys.PublicKeys(ctx)
		if _, err := online.Keys(ctx, attestationstest.Issuer, pks[0].JWK.KeyID); err != nil {
			t.Fatal(err)
		}
		rotated, err := e.Keys.Rotate(ctx) // as another node would
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(time.Second)
		if _, err := online.Keys(ctx, attestationstest.Issuer, rotated.KID); err != nil {
			t.Fatalf("the new key within the cache's hour: %v", err)
		}
		reads := src.reads.Load()
		for range 5 {
			if _, err := online.Keys(ctx, attestationstest.Issuer, "made-up"); !errors.Is(err, verifier.ErrUnknownKey) {
				t.Fatalf("made-up kid: %v", err)
			}
		}
		if n := src.reads.Load() - reads; n != 0 {
			t.Fatalf("made-up kids right after a read caused %d reads", n)
		}
		e.Clock.Advance(time.Second)
		_, _ = online.Keys(ctx, attestationstest.Issuer, "made-up")
		_, _ = online.Keys(ctx, attestationstest.Issuer, "made-up")
		if n := src.reads.Load() - reads; n != 1 {
			t.Fatalf("made-up kids a second later caused %d reads, want 1", n)
		}
	})
}
