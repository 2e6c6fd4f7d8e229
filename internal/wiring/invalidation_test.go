package wiring

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/fprlink/fprlink/verifier"
)

const testIssuer = "https://fprlink.example.gov.cn"

// edocWorld is the whole service on one database: the registry with its
// hooks and the e-document capability reading it, as the binary wires them.
type edocWorld struct {
	svc   *Services
	ed    *EDocs
	keys  *keys.Manager
	clock *clock.Fake
	db    *storage.DB
}

func newEdocWorld(t *testing.T, db *storage.DB) *edocWorld {
	t.Helper()
	svc, clk := build(t, db)
	kek := make([]byte, keys.KEKSize)
	_, _ = rand.Read(kek)
	km, err := keys.NewManager(keys.Config{Store: keystore.New(db), KEK: kek, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.EnsureActive(context.Background(), km); err != nil {
		t.Fatal(err)
	}
	ed, err := BuildEDocs(db, clk, km, Holders{Reg: svc.Registry}, attestations.EDocOptions{Issuer: testIssuer,
		DocValidity: 90 * 24 * time.Hour, StatusTTL: 5 * time.Minute, StatusLifetime: 24 * time.Hour, StatusListSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return &edocWorld{svc: svc, ed: ed, keys: km, clock: clk, db: db}
}

// holder is a person in the registry with a valid passport and 2023 card.
type holder struct {
	person   registry.Person
	passport registry.Passport
	card     registry.FPRCard
}

var holderBirth = calendar.Date{Year: 1981, Month: 8, Day: 3}

func (w *edocWorld) holder(t *testing.T, seq int) holder {
	t.Helper()
	ctx := context.Background()
	p, err := w.svc.Registry.CreatePerson(ctx, officerCh, registry.PersonInput{Surname: "TREMBLAY", GivenNames: "ANNE",
		Sex: "F", BirthDate: holderBirth.String(), Nationality: "CAN"})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := w.svc.Registry.AddPassport(ctx, officerCh, p.ID, registry.PassportInput{Number: fmt.Sprintf("AB%06d", seq),
		IssuingState: "CAN", IssueDate: "2021-01-01", ExpiryDate: "2031-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.svc.Registry.AddFPRCard(ctx, officerCh, p.ID, registry.FPRCardInput{
		Number: docnum.MakeFPR2023("11", "CAN", holderBirth, seq), IssueDate: "2024-01-15", ExpiryDate: "2034-01-14"})
	if err != nil {
		t.Fatal(err)
	}
	return holder{person: p, passport: pp, card: c}
}

func (w *edocWorld) issue(t *testing.T, personID string) attestations.Issued {
	t.Helper()
	doc, err := w.ed.Service.Issue(context.Background(), attestations.IssueRequest{PersonID: personID,
		Purpose: relyingparties.SectorBank, RequestID: "req-issue"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// verifyOffline checks doc as a relying party would with nothing but the
// published keys and a status list fetched just now.
func (w *edocWorld) verifyOffline(t *testing.T, doc attestations.Issued) *verifier.Result {
	t.Helper()
	ctx := context.Background()
	jwks, err := w.keys.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := verifier.NewStaticKeys(testIssuer, jwks)
	if err != nil {
		t.Fatal(err)
	}
	var listID string
	if err := w.db.Gorm.Table("attestations").Select("status_list_id").Where("id = ?", doc.ID).Scan(&listID).Error; err != nil {
		t.Fatal(err)
	}
	snap, err := w.ed.Tokens.Current(ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	status, err := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks, Now: w.clock.Now,
		Tokens: map[string]string{testIssuer + edoc.StatusListPath + listID: snap.Token}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Options{Keys: ks, Status: status, Now: w.clock.Now, Sector: edoc.PurposeBank})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := v.Verify(ctx, doc.QRText)
	return res
}

// TestRegistryEventsInvalidateDocuments: for each event that makes a
// signed claim untrue, the holder's document fails the status check of an
// offline verifier with a freshly fetched status list, the holder sees it
// as no longer valid with the reason in both languages and has a notice,
// the audit trail names the officer, and the online verify API fails it.
func TestRegistryEventsInvalidateDocuments(t *testing.T) {
	renewal := registry.ReissueInput{IssueDate: "2026-11-20", ExpiryDate: "2036-11-19"}
	rows := []struct {
		name, cause, zh string
		event           func(context.Context, *registry.Service, holder) error
	}{
		{"lost passport", attestations.CausePassportLost, "护照已挂失", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.MarkPassport(ctx, officerCh, h.passport.ID, registry.StatusLost)
			return err
		}},
		{"stolen passport", attestations.CausePassportStolen, "护照已报被盗", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.MarkPassport(ctx, officerCh, h.passport.ID, registry.StatusStolen)
			return err
		}},
		{"new passport", attestations.CausePassportReplaced, "护照已换发新证", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.AddPassport(ctx, officerCh, h.person.ID, registry.PassportInput{Number: "ZZ" + h.passport.Number[2:],
				IssuingState: "CAN", IssueDate: "2026-11-01", ExpiryDate: "2036-11-01"})
			return err
		}},
		{"lost card", attestations.CauseCardLost, "永久居留身份证已挂失", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.MarkFPRCard(ctx, officerCh, h.card.ID, registry.StatusLost)
			return err
		}},
		{"stolen card", attestations.CauseCardStolen, "永久居留身份证已报被盗", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.MarkFPRCard(ctx, officerCh, h.card.ID, registry.StatusStolen)
			return err
		}},
		{"cancelled card", attestations.CauseCardCancelled, "永久居留身份证已注销", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.MarkFPRCard(ctx, officerCh, h.card.ID, registry.StatusCancelled)
			return err
		}},
		{"replaced card", attestations.CauseCardReplaced, "永久居留身份证已换发新证", func(ctx context.Context, r *registry.Service, h holder) error {
			in := renewal
			in.Cause = registry.CauseDamaged
			_, err := r.ReplaceFPRCard(ctx, officerCh, h.card.ID, in)
			return err
		}},
		{"card replaced after a loss", attestations.CauseCardLost, "永久居留身份证已挂失", func(ctx context.Context, r *registry.Service, h holder) error {
			in := renewal
			in.Cause = registry.CauseLost
			_, err := r.ReplaceFPRCard(ctx, officerCh, h.card.ID, in)
			return err
		}},
		{"renewed card", attestations.CauseCardRenewed, "永久居留身份证已期满换发", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.RenewFPRCard(ctx, officerCh, h.card.ID, renewal)
			return err
		}},
		{"changed name", attestations.CauseHolderChanged, "持证人登记信息已更正", func(ctx context.Context, r *registry.Service, h holder) error {
			surname := "TREMBLAY GAGNON"
			_, err := r.UpdatePerson(ctx, officerCh, h.person.ID, registry.PersonPatch{Surname: &surname})
			return err
		}},
		{"changed Chinese name", attestations.CauseHolderChanged, "持证人登记信息已更正", func(ctx context.Context, r *registry.Service, h holder) error {
			zh := "安妮"
			_, err := r.UpdatePerson(ctx, officerCh, h.person.ID, registry.PersonPatch{ChineseName: &zh})
			return err
		}},
		{"imported name change", attestations.CauseHolderChanged, "持证人登记信息已更正", func(ctx context.Context, r *registry.Service, h holder) error {
			_, err := r.Import(ctx, officerCh, strings.NewReader(importLineOf(h, "TREMBLAY ROY", nil)))
			return err
		}},
		{"imported renewal", attestations.CauseCardRenewed, "永久居留身份证已期满换发", func(ctx context.Context, r *registry.Service, h holder) error {
			card := &registry.ImportFPRCard{Number: h.card.Number, IssueDate: renewal.IssueDate, ExpiryDate: renewal.ExpiryDate,
				Reason: registry.IssueRenewal}
			_, err := r.Import(ctx, officerCh, strings.NewReader(importLineOf(h, h.person.Surname, card)))
			return err
		}},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newEdocWorld(t, db)
		ctx := context.Background()
		for i, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				h := w.holder(t, i+1)
				doc := w.issue(t, h.person.ID)
				if res := w.verifyOffline(t, doc); !res.Valid {
					t.Fatalf("offline before the event: %+v", res.Checks)
				}
				if err := r.event(ctx, w.svc.Registry, h); err != nil {
					t.Fatalf("event: %v", err)
				}
				res := w.verifyOffline(t, doc)
				if st := res.Check(verifier.CheckStatus); res.Valid || st.Result != verifier.Fail {
					t.Fatalf("offline after the event: valid=%v status=%+v", res.Valid, st)
				}
				got, err := w.ed.Service.Get(ctx, h.person.ID, doc.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.State != "invalidated" || got.InvalidationCause != r.cause ||
					!strings.Contains(got.Label().Zh, r.zh) || !strings.Contains(got.Label().En, attestations.CauseLabel(r.cause).En) {
					t.Fatalf("holder sees %+v, %+v", got.Standing, got.Label())
				}
				wantInvalidationNotice(t, w, h.person.ID, doc, r.zh)
				wantAuditOf(t, db, doc.ID, r.cause)
			})
		}
	})
}

func importLineOf(h holder, surname string, card *registry.ImportFPRCard) string {
	return fmt.Sprintf(`{"surname":%q,"given_names":"ANNE","sex":"F","birth_date":%q,"nationality":"CAN",`+
		`"passport":{"number":%q,"issuing_state":"CAN","issue_date":"2021-01-01","expiry_date":"2031-01-01"}%s}`+"\n",
		surname, holderBirth.String(), h.passport.Number, cardJSON(card))
}

func cardJSON(c *registry.ImportFPRCard) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf(`,"fpr_card":{"number":%q,"issue_date":%q,"expiry_date":%q,"reason":%q}`, c.Number, c.IssueDate, c.ExpiryDate, c.Reason)
}

func wantInvalidationNotice(t *testing.T, w *edocWorld, personID string, doc attestations.Issued, zh string) {
	t.Helper()
	notes, err := w.svc.Notifications.List(context.Background(), personID, paging.Request{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes.Items {
		if n.Kind == "attestation.invalidate" && n.Ref == doc.ID && strings.Contains(n.Body.Zh, zh) &&
			strings.Contains(n.Subject.En, doc.DocumentNumber) {
			return
		}
	}
	t.Fatalf("no notice of the invalidation: %+v", notes.Items)
}

func wantAuditOf(t *testing.T, db *storage.DB, docID, cause string) {
	t.Helper()
	events, err := audit.List(db.Gorm, "attestation", docID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == "attestation.invalidate" && e.ActorID == officerCh.ID && e.AfterJSON != nil && strings.Contains(*e.AfterJSON, cause) {
			return
		}
	}
	t.Fatalf("no audit row of the invalidation: %+v", events)
}

// TestChangesOutsideTheClaimsLeaveDocumentsValid: a correction of what no
// document carries (the contact on record), and an event on another
// person's documents, leave the holder's document valid, with no notice.
func TestChangesOutsideTheClaimsLeaveDocumentsValid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newEdocWorld(t, db)
		ctx := context.Background()
		h, other := w.holder(t, 1), w.holder(t, 2)
		doc := w.issue(t, h.person.ID)
		mobile, email := "+8613800138000", "anne@example.org"
		if _, err := w.svc.Registry.UpdatePerson(ctx, officerCh, h.person.ID, registry.PersonPatch{Mobile: &mobile, Email: &email}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Registry.MarkPassport(ctx, officerCh, other.passport.ID, registry.StatusLost); err != nil {
			t.Fatal(err)
		}
		if res := w.verifyOffline(t, doc); !res.Valid {
			t.Fatalf("offline: %+v", res.Checks)
		}
		if got, _ := w.ed.Service.Get(ctx, h.person.ID, doc.ID); got.State != "active" || got.InvalidationCause != "" {
			t.Fatalf("holder sees %+v", got.Standing)
		}
		notes, _ := w.svc.Notifications.List(ctx, h.person.ID, paging.Request{Limit: 10})
		if len(notes.Items) != 0 {
			t.Fatalf("notices: %+v", notes.Items)
		}
	})
}

// TestRenewedCardIsSupersededOnline: after a renewal the verify API's
// registry check tells the earlier issue from the new one, though the
// number is the same.
func TestRenewedCardIsSupersededOnline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newEdocWorld(t, db)
		ctx := context.Background()
		h := w.holder(t, 1)
		before := w.issue(t, h.person.ID)
		renewed, err := w.svc.Registry.RenewFPRCard(ctx, officerCh, h.card.ID, registry.ReissueInput{IssueDate: "2026-11-20", ExpiryDate: "2036-11-19"})
		if err != nil {
			t.Fatal(err)
		}
		after := w.issue(t, h.person.ID)
		states, err := Holders{Reg: w.svc.Registry}.DocumentStates(ctx, []attestations.DocRef{
			{PersonID: h.person.ID, PassportNumber: h.passport.Number, CardNumber: h.card.Number, CardID: h.card.ID},
			{PersonID: h.person.ID, PassportNumber: h.passport.Number, CardNumber: renewed.Number, CardID: renewed.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		if !states[0].CardFound || states[0].CardCurrent || !states[1].CardFound || !states[1].CardCurrent {
			t.Fatalf("states %+v", states)
		}
		if res := w.verifyOffline(t, after); !res.Valid {
			t.Fatalf("document of the new issue: %+v", res.Checks)
		}
		if res := w.verifyOffline(t, before); res.Valid {
			t.Fatal("document of the earlier issue still verifies")
		}
	})
}
