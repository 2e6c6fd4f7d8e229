package attestations_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/verifier"
)

var t0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func env(t *testing.T, db *storage.DB) *attestationstest.Env {
	return attestationstest.New(t, db, clock.NewFake(t0))
}

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		err := storage.CheckModels(db, &attestations.Row{}, &attestations.FileRow{}, &attestations.VerificationRow{})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestIssueRefusals(t *testing.T) {
	past, _ := calendar.ParseDate("2026-03-01")
	rows := []struct {
		name, code string
		edit       func(*attestations.Holder)
	}{
		{"fail-no-passport", "no_current_passport", func(h *attestations.Holder) { h.Passport = attestations.Passport{} }},
		{"fail-passport-lost", "passport_not_valid", func(h *attestations.Holder) { h.Passport.Status = attestations.DocLost }},
		{"fail-passport-expired", "passport_expired", func(h *attestations.Holder) { h.Passport.ExpiryDate = past }},
		{"fail-no-card", "no_current_fpr_card", func(h *attestations.Holder) { h.Card = attestations.Card{} }},
		{"fail-card-cancelled", "fpr_card_not_valid", func(h *attestations.Holder) { h.Card.Status = attestations.DocCancelled }},
		{"fail-card-expired", "fpr_card_expired", func(h *attestations.Holder) { h.Card.ExpiryDate = past }},
		{"fail-holder-chinese-nationality", "holder_chinese_nationality", func(h *attestations.Holder) { h.Passport.Nationality = "HKG" }},
		{"fail-name-unusable", "registry_data_unusable", func(h *attestations.Holder) { h.Passport.Surname = "Müller" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				h := attestationstest.Sample("p-" + r.name)
				r.edit(&h)
				e.Holders.Put(h)
				_, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: h.PersonID, Purpose: relyingparties.SectorBank})
				if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.KindConflict || ae.Code != r.code {
					t.Fatalf("got %v, want conflict %s", err, r.code)
				}
				if page, _ := e.Service.List(ctx, h.PersonID, paging.Request{Limit: 5}); len(page.Items) != 0 {
					t.Fatal("a refused issue stored a document")
				}
			})
		}
		t.Run("fail-unknown-person", func(t *testing.T) {
			if _, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "nobody", Purpose: relyingparties.SectorBank}); !apperr.Is(err, "person_not_found") {
				t.Fatalf("got %v", err)
			}
		})
		if e.Renderer.PDFs.Load() != 0 {
			t.Fatal("refusals rendered PDFs")
		}
	})
}

func TestIssueFilesAndOwnership(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		e.Holders.Put(attestationstest.Sample("bob"))
		doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank, RequestID: "req-1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.VerificationCode) != 19 || doc.ExpiresAt.Sub(doc.IssuedAt) != 90*24*time.Hour {
			t.Fatalf("issued %+v", doc)
		}
		for range 2 {
			for _, kind := range []string{attestations.KindPDF, attestations.KindPNG, attestations.KindSVG} {
				f, err := e.Service.File(ctx, "alice", doc.ID, kind)
				if err != nil || len(f.Content) == 0 {
					t.Fatalf("%s: %v", kind, err)
				}
			}
		}
		if p, n, s := e.Renderer.PDFs.Load(), e.Renderer.PNGs.Load(), e.Renderer.SVGs.Load(); p != 1 || n != 1 || s != 1 {
			t.Fatalf("rendered pdf %d png %d svg %d times; want once each", p, n, s)
		}
		pdf, _ := e.Service.File(ctx, "alice", doc.ID, attestations.KindPDF)
		if !bytes.HasPrefix(pdf.Content, []byte("%PDF")) {
			t.Fatal("not a PDF")
		}
		if _, err := e.Service.File(ctx, "bob", doc.ID, attestations.KindPDF); !apperr.Is(err, "attestation_not_found") {
			t.Fatalf("bob got alice's PDF: %v", err)
		}
		if _, err := e.Service.Get(ctx, "bob", doc.ID); !apperr.Is(err, "attestation_not_found") {
			t.Fatalf("bob got alice's document: %v", err)
		}
		if _, err := e.Service.Revoke(ctx, audit.Actor{ID: "bob", Role: "resident"}, "bob", doc.ID); !apperr.Is(err, "attestation_not_found") {
			t.Fatalf("bob revoked alice's document: %v", err)
		}
		if _, err := e.Service.File(ctx, "alice", doc.ID, "exe"); !apperr.Is(err, "file_not_found") {
			t.Fatalf("unknown kind: %v", err)
		}
		got, err := e.Service.Get(ctx, "alice", doc.ID)
		if err != nil || got.State != "active" || got.Token != doc.Token {
			t.Fatalf("get: %+v %v", got, err)
		}
		events, _ := audit.List(db.Gorm, "attestation", doc.ID)
		if len(events) != 1 || events[0].Action != "attestation.issue" || events[0].RequestID != "req-1" {
			t.Fatalf("audit: %+v", events)
		}
	})
}

func bank(t *testing.T, e *attestationstest.Env, sector relyingparties.Sector) relyingparties.Party {
	t.Helper()
	p, err := e.Parties.Create(context.Background(), audit.System, relyingparties.CreateRequest{Name: "Test " + string(sector), Sector: sector})
	if err != nil {
		t.Fatal(err)
	}
	return p.Party
}

func results(v attestations.Verification) map[string]string {
	m := map[string]string{}
	for _, c := range v.Checks {
		m[c.Code] = c.Result
	}
	return m
}

func TestVerifyValidAndSectorPolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, _ := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		b, tel := bank(t, e, relyingparties.SectorBank), bank(t, e, relyingparties.SectorTelecom)
		for _, req := range []attestations.VerifyRequest{
			{QR: doc.QRText}, {Token: doc.Token},
			{DocumentNumber: doc.DocumentNumber, VerificationCode: doc.VerificationCode},
		} {
			v, err := e.Service.Verify(ctx, b, req, "")
			if err != nil || !v.Valid || v.Status != "valid" || v.Document == nil {
				t.Fatalf("%+v: %+v %v", req, v, err)
			}
			for code, r := range results(v) {
				if r != "pass" {
					t.Fatalf("check %s: %s", code, r)
				}
			}
			wantMessages(t, v, "")
		}
		v, _ := e.Service.Verify(ctx, b, attestations.VerifyRequest{Token: doc.Token}, "")
		if len(v.Document.Passport) != 8 || v.Document.Passport["birth_date"] != "1985-04-12" {
			t.Fatalf("bank view: %+v", v.Document)
		}
		v, _ = e.Service.Verify(ctx, tel, attestations.VerifyRequest{Token: doc.Token}, "")
		if v.Valid || v.Document != nil || results(v)["audience"] != "fail" {
			t.Fatalf("telecom verifying a bank document: %+v", v)
		}
		telDoc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorTelecom})
		if err != nil {
			t.Fatal(err)
		}
		v, _ = e.Service.Verify(ctx, tel, attestations.VerifyRequest{Token: telDoc.Token}, "")
		if _, has := v.Document.Passport["birth_date"]; has || v.Document.Passport["surname"] != "MARTIN" || len(v.Document.FPRCard) != 2 {
			t.Fatalf("telecom view: %+v", v.Document)
		}
		log, err := e.Service.Verifications(ctx, "alice", doc.ID, paging.Request{Limit: 100})
		if err != nil || len(log.Items) != 5 || log.Items[0].Sector != "telecom" || log.Items[4].Method != "qr" {
			t.Fatalf("log: %+v %v", log.Items, err)
		}
		if _, err := e.Service.Verifications(ctx, "bob", doc.ID, paging.Request{Limit: 10}); !apperr.Is(err, "attestation_not_found") {
			t.Fatalf("bob read alice's log: %v", err)
		}
	})
}

func TestVerifyRejections(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, failed string
		setup        func(e *attestationstest.Env, doc attestations.Issued)
	}{
		{"fail-revoked", "status", func(e *attestationstest.Env, doc attestations.Issued) {
			if _, err := e.Service.Revoke(ctx, audit.Actor{ID: "alice", Role: "resident"}, "alice", doc.ID); err != nil {
				t.Fatal(err)
			}
		}},
		{"fail-passport-superseded", "registry_passport", func(e *attestationstest.Env, _ attestations.Issued) {
			e.Holders.SetState("alice", attestations.DocumentState{PassportFound: true, PassportStatus: "valid",
				CardFound: true, CardStatus: "valid", CardCurrent: true})
		}},
		{"fail-card-lost", "registry_fpr_card", func(e *attestationstest.Env, _ attestations.Issued) {
			e.Holders.SetState("alice", attestations.DocumentState{PassportFound: true, PassportStatus: "valid",
				PassportCurrent: true, CardFound: true, CardStatus: attestations.DocLost, CardCurrent: true})
		}},
		{"fail-key-revoked", "key", func(e *attestationstest.Env, doc attestations.Issued) {
			recs, _ := e.Keys.List(ctx)
			// No cache invalidation and no waiting: a revocation on this
			// node takes effect at once.
			if _, err := e.Keys.Revoke(ctx, recs[0].KID); err != nil {
				t.Fatal(err)
			}
		}},
		{"fail-expired", "time", func(e *attestationstest.Env, _ attestations.Issued) {
			e.Clock.Advance(91 * 24 * time.Hour)
		}},
		{"fail-tampered", "signature", nil},
		{"fail-garbage", "format", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				e := env(t, db)
				e.Holders.Put(attestationstest.Sample("alice"))
				doc, err := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
				if err != nil {
					t.Fatal(err)
				}
				tok := doc.Token
				switch {
				case c.setup != nil:
					c.setup(e, doc)
				case c.name == "fail-tampered":
					tok = tok[:len(tok)-5] + "AAAAA"
				default:
					tok = "not a token"
				}
				v, err := e.Service.Verify(ctx, bank(t, e, relyingparties.SectorBank), attestations.VerifyRequest{Token: tok}, "")
				if err != nil || v.Valid || v.Status != "invalid" || v.Document != nil || results(v)[c.failed] != "fail" {
					t.Fatalf("%+v %v; want %s to fail", v, err, c.failed)
				}
				wantMessages(t, v, c.failed)
			})
		})
	}
}

func TestWrongCodeDoesNotRevealNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, _ := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		b := bank(t, e, relyingparties.SectorBank)
		wrong := "2222-2222-2222-2222"
		known, err := e.Service.Verify(ctx, b, attestations.VerifyRequest{DocumentNumber: doc.DocumentNumber, VerificationCode: wrong}, "")
		if err != nil {
			t.Fatal(err)
		}
		unknown, _ := e.Service.Verify(ctx, b, attestations.VerifyRequest{DocumentNumber: "FP-ZZZZ-ZZZZ-ZZZZ", VerificationCode: wrong}, "")
		known.VerificationID, unknown.VerificationID = "", ""
		if known.Valid || known.Status != "invalid" || results(known)["verification_code"] != "fail" {
			t.Fatalf("wrong code: %+v", known)
		}
		if !equalAnswers(known, unknown) {
			t.Fatalf("answers differ:\n%+v\n%+v", known, unknown)
		}
	})
}

func equalAnswers(a, b attestations.Verification) bool {
	if a.Valid != b.Valid || a.Status != b.Status || len(a.Checks) != len(b.Checks) || a.Document != nil || b.Document != nil {
		return false
	}
	for i := range a.Checks {
		if a.Checks[i] != b.Checks[i] {
			return false
		}
	}
	return true
}

func TestVerifyRequestRejections(t *testing.T) {
	big := string(bytes.Repeat([]byte("1"), verifier.MaxInputBytes+1))
	for name, c := range map[string]struct {
		req   attestations.VerifyRequest
		field string
	}{
		"fail-empty":          {attestations.VerifyRequest{}, "qr"},
		"fail-two-inputs":     {attestations.VerifyRequest{QR: "fprl:/00", Token: "a.b.c"}, "qr"},
		"fail-oversize-qr":    {attestations.VerifyRequest{QR: big}, "qr"},
		"fail-oversize-token": {attestations.VerifyRequest{Token: big}, "token"},
		"fail-number-only":    {attestations.VerifyRequest{DocumentNumber: "FP-AAAA"}, "verification_code"},
		"fail-bad-number":     {attestations.VerifyRequest{DocumentNumber: "FP/1", VerificationCode: "2222-2222-2222-2222"}, "document_number"},
		"fail-short-code":     {attestations.VerifyRequest{DocumentNumber: "FP-1", VerificationCode: "2222"}, "verification_code"},
	} {
		t.Run(name, func(t *testing.T) {
			e, ok := apperr.As(c.req.Validate())
			if !ok || e.Kind != apperr.KindInvalid || e.Field != c.field {
				t.Fatalf("got %v, want invalid %s", e, c.field)
			}
		})
	}
}

func TestRevokeIsIdempotentAndAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := env(t, db)
		ctx := context.Background()
		e.Holders.Put(attestationstest.Sample("alice"))
		doc, _ := e.Service.Issue(ctx, attestations.IssueRequest{PersonID: "alice", Purpose: relyingparties.SectorBank})
		for range 2 {
			a, err := e.Service.Revoke(ctx, audit.Actor{ID: "helper-account", Role: "helper", OnBehalfOf: "alice", RequestID: "req"}, "alice", doc.ID)
			if err != nil || a.State != "revoked" || a.RevokedAt == nil {
				t.Fatalf("revoke: %+v %v", a, err)
			}
		}
		events, _ := audit.List(db.Gorm, "attestation", doc.ID)
		if len(events) != 2 || events[1].Action != "attestation.revoke" {
			t.Fatalf("audit: %d events", len(events))
		}
		// A helper revoking for the holder is the actor, the holder the
		// one acted for.
		if ev := events[1]; ev.ActorID != "helper-account" || ev.ActorRole != "helper" || ev.OnBehalfOf != "alice" || ev.RequestID != "req" {
			t.Fatalf("revocation audited as %+v", ev)
		}
		snap, err := e.Tokens.Current(ctx, "1")
		if err != nil || snap.Version != 1 {
			t.Fatalf("status list version %d: %v", snap.Version, err)
		}
	})
}

// wantMessages checks that every check is worded in both languages and
// that the failed one names its own reason rather than the fallback.
func wantMessages(t *testing.T, v attestations.Verification, failed string) {
	t.Helper()
	for _, c := range v.Checks {
		if c.Message.En == "" || c.Message.Zh == "" {
			t.Fatalf("check %s %s has no message in both languages: %+v", c.Code, c.Result, c.Message)
		}
		if c.Code == failed && (strings.HasPrefix(c.Message.En, "This check failed") || strings.HasPrefix(c.Message.En, "Not checked.")) {
			t.Fatalf("check %s fails with the generic message", c.Code)
		}
	}
}
