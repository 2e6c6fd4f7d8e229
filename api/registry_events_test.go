package api

import (
	"context"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/internal/wiring"
	"github.com/fprlink/fprlink/keys"
)

// regEDocs is the e-document capability over the real registry, as the
// binary wires it, so that registry events reach the documents.
type regEDocs struct {
	*wiring.EDocs
	Keys *keys.Manager
}

func newRegEDocs(t *testing.T, db *storage.DB, clk *clock.Fake, reg *registry.Service) regEDocs {
	t.Helper()
	kek := make([]byte, keys.KEKSize)
	_, _ = rand.Read(kek)
	km, err := keys.NewManager(keys.Config{Store: keystore.New(db), KEK: kek, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.EnsureActive(context.Background(), km); err != nil {
		t.Fatal(err)
	}
	ed, err := wiring.BuildEDocs(db, clk, km, wiring.Holders{Reg: reg}, attestations.EDocOptions{Issuer: attestationstest.Issuer,
		DocValidity: 90 * 24 * time.Hour, StatusTTL: attestationstest.StatusTTL, StatusLifetime: 24 * time.Hour, StatusListSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return regEDocs{EDocs: ed, Keys: km}
}

type regCard struct {
	ID               string `json:"id"`
	Number           string `json:"number"`
	IssueNo          int    `json:"issue_no"`
	IssueReason      string `json:"issue_reason"`
	IssueReasonLabel string `json:"issue_reason_label"`
	Status           string `json:"status"`
	StatusLabel      string `json:"status_label"`
	ReplacesID       string `json:"replaces_id"`
}

type regRecord struct {
	Passports []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"passports"`
	FPRCards []regCard `json:"fpr_cards"`
}

func (e *regEnv) record(id string) regRecord {
	e.t.Helper()
	return wantJSON[regRecord](e.t, e.do("GET", "/api/v1/admin/persons/"+id, e.tokens["officer"], ""), http.StatusOK)
}

// TestLostPassportReachesTheHoldersDocument: an officer reports the
// passport lost over HTTP; the resident's e-document is at once shown as
// no longer valid with the reason in their language, its status-list entry
// is invalid, and a notice waits for them.
func TestLostPassportReachesTheHoldersDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		doc := wantJSON[issuedJSON](t, e.do("POST", "/api/v1/me/attestations", e.tokens["resident"], `{"purpose":"bank"}`), http.StatusCreated)
		passport := e.record(e.a.ID).Passports[0].ID
		wantStatus(t, e.do("POST", "/api/v1/admin/passports/"+passport+"/status", e.tokens["officer"], `{"status":"lost"}`), http.StatusOK)
		type shown struct {
			State             string `json:"state"`
			StateLabel        string `json:"state_label"`
			InvalidationCause string `json:"invalidation_cause"`
		}
		got := wantJSON[shown](t, e.do("GET", "/api/v1/me/attestations/"+doc.ID+"?lang=zh-CN", e.tokens["resident"], ""), http.StatusOK)
		if got.State != "invalidated" || got.InvalidationCause != attestations.CausePassportLost || got.StateLabel != "已失效：护照已挂失" {
			t.Fatalf("resident sees %+v", got)
		}
		type notes struct {
			Items []struct {
				Subject string `json:"subject"`
				Ref     string `json:"ref"`
			} `json:"items"`
		}
		n := wantJSON[notes](t, e.do("GET", "/api/v1/me/notifications", e.tokens["resident"], ""), http.StatusOK)
		if len(n.Items) == 0 || !strings.Contains(n.Items[0].Subject, doc.DocumentNumber) {
			t.Fatalf("notices: %+v", n.Items)
		}
	})
}

// TestOfficerRecordsRenewalAndReplacement: the renewal and the replacement
// routes add issues of the same number, in history, with the reason named
// in the request's language, and leave an audit row.
func TestOfficerRecordsRenewalAndReplacement(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		first := e.record(e.a.ID).FPRCards[0]
		renewed := wantJSON[regCard](t, e.do("POST", "/api/v1/admin/fpr-cards/"+first.ID+"/renewal?lang=zh-CN", e.tokens["officer"],
			`{"issue_date":"2026-02-20","expiry_date":"2036-02-19"}`), http.StatusCreated)
		if renewed.Number != first.Number || renewed.IssueNo != 2 || renewed.IssueReason != "renewal" ||
			renewed.IssueReasonLabel != "期满换发" || renewed.ReplacesID != first.ID {
			t.Fatalf("renewal: %+v", renewed)
		}
		replaced := wantJSON[regCard](t, e.do("POST", "/api/v1/admin/fpr-cards/"+renewed.ID+"/replacement", e.tokens["officer"],
			`{"issue_date":"2026-03-01","expiry_date":"2036-02-29","cause":"lost"}`), http.StatusCreated)
		if replaced.Number != first.Number || replaced.IssueNo != 3 || replaced.IssueReason != "replacement" {
			t.Fatalf("replacement: %+v", replaced)
		}
		rec := e.record(e.a.ID)
		if len(rec.FPRCards) != 3 || rec.FPRCards[1].Status != "lost" || rec.FPRCards[2].Status != "replaced" {
			t.Fatalf("history: %+v", rec.FPRCards)
		}
		events, err := audit.List(db.Gorm, "person", e.a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, ev := range events {
			actions = append(actions, ev.Action)
		}
		if s := strings.Join(actions, " "); !strings.Contains(s, "fpr_card.renewal") || !strings.Contains(s, "fpr_card.replacement") {
			t.Fatalf("audit: %v", actions)
		}
	})
}

// TestReissueRequestRejects: each bad renewal or replacement request is
// refused with its own problem, naming the field, and changes nothing.
func TestReissueRequestRejects(t *testing.T) {
	dates := `"issue_date":"2026-02-20","expiry_date":"2036-02-19"`
	rows := []struct {
		name, route, body, token, code, field string
		status                                int
	}{
		{"renewal with a cause", "renewal", `{` + dates + `,"cause":"lost"}`, "officer", "unknown_field", "cause", 400},
		{"renewal without dates", "renewal", `{}`, "officer", "required", "issue_date", 422},
		{"replacement without cause", "replacement", `{` + dates + `}`, "officer", "required", "cause", 422},
		{"replacement with an unknown cause", "replacement", `{` + dates + `,"cause":"worn"}`, "officer", "invalid_cause", "cause", 422},
		{"another number for a 2023 card", "renewal", `{` + dates + `,"number":"911124198108030024"}`, "officer", "fpr_number_for_life", "number", 422},
		{"a resident", "renewal", `{` + dates + `}`, "resident", "forbidden", "", 403},
		{"unknown card", "renewal", `{` + dates + `}`, "officer", "fpr_card_not_found", "", 404},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		card := e.record(e.a.ID).FPRCards[0].ID
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				id := card
				if r.status == http.StatusNotFound {
					id = "no-such-card"
				}
				before := countRows(t, db)
				wantProblem(t, e.do("POST", "/api/v1/admin/fpr-cards/"+id+"/"+r.route, e.tokens[r.token], r.body), r.status, r.code, r.field)
				if got := countRows(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
			})
		}
	})
}

// TestMarkStolen: a passport and a card can be reported stolen; the
// status is named in the request's language.
func TestMarkStolen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		rec := e.record(e.b.ID)
		type marked struct {
			Status      string `json:"status"`
			StatusLabel string `json:"status_label"`
		}
		for _, path := range []string{"/api/v1/admin/passports/" + rec.Passports[0].ID, "/api/v1/admin/fpr-cards/" + rec.FPRCards[0].ID} {
			got := wantJSON[marked](t, e.do("POST", path+"/status?lang=zh-CN", e.tokens["officer"], `{"status":"stolen"}`), http.StatusOK)
			if got.Status != "stolen" || got.StatusLabel != "已报被盗" {
				t.Fatalf("%s: %+v", path, got)
			}
		}
	})
}
