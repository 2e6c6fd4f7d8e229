package api

import (
	"net/http"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestOfficerSuspendsAndReinstatesThroughTheAPI: an officer finds the
// document by number and suspends it; the verify API answers invalid and
// the holder sees why, in their language; reinstating makes it valid again.
func TestOfficerSuspendsAndReinstatesThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		bank := e.party(t, "bank")

		found := wantJSON[struct{ Items []recordJSON }](t,
			e.call(t, "GET", "/api/v1/admin/attestations?document_number="+doc.DocumentNumber, "officer", nil), http.StatusOK)
		if len(found.Items) != 1 || found.Items[0].ID != doc.ID || found.Items[0].PersonID != "alice" || found.Items[0].StateLabel != "Active" {
			t.Fatalf("find: %+v", found.Items)
		}
		rec := wantJSON[recordJSON](t, e.call(t, "POST", "/api/v1/admin/attestations/"+doc.ID+"/suspend", "officer",
			map[string]any{"reason": map[string]string{"en": "Passport reported stolen abroad", "zh-CN": "中文：" + "Passport reported stolen abroad"}}), http.StatusOK)
		if rec.State != "suspended" || rec.SuspendedAt == nil {
			t.Fatalf("suspend: %+v", rec)
		}
		if v := e.verify(t, bank.APIKey, map[string]string{"token": doc.Token}); v.Valid || v.Status != "invalid" || v.Document != nil {
			t.Fatalf("verify while suspended: %+v", v)
		}
		mine := wantJSON[attestationJSON](t, e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID+"?lang=zh-CN", "alice", nil), http.StatusOK)
		if mine.State != "suspended" || mine.StateLabel != "已暂停使用" || mine.SuspensionReason == nil || mine.SuspensionReason.Zh != "中文：Passport reported stolen abroad" {
			t.Fatalf("holder's view: %+v", mine)
		}

		rec = wantJSON[recordJSON](t, e.call(t, "POST", "/api/v1/admin/attestations/"+doc.ID+"/reinstate", "admin",
			map[string]any{"reason": map[string]string{"en": "Passport found", "zh-CN": "中文：" + "Passport found"}}), http.StatusOK)
		if rec.State != "active" || rec.SuspendedAt != nil {
			t.Fatalf("reinstate: %+v", rec)
		}
		if v := e.verify(t, bank.APIKey, map[string]string{"token": doc.Token}); !v.Valid {
			t.Fatalf("verify after reinstatement: %+v", v)
		}
	})
}

// TestOfficerDecisionRejections: each refused request names its reason
// and leaves the document verifying.
func TestOfficerDecisionRejections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		bank := e.party(t, "bank")
		path := "/api/v1/admin/attestations/" + doc.ID
		cases := []struct {
			name, method, path, who, body string
			status                        int
			code, field                   string
		}{
			{"fail-resident-suspends", "POST", path + "/suspend", "alice", `{"reason":{"en":"x","zh-CN":"某"}}`, 403, "forbidden", ""},
			{"fail-anonymous-finds", "GET", "/api/v1/admin/attestations?person_id=alice", "", "", 401, "unauthenticated", ""},
			{"fail-resident-finds", "GET", "/api/v1/admin/attestations?person_id=alice", "bob", "", 403, "forbidden", ""},
			{"fail-no-reason", "POST", path + "/suspend", "officer", `{}`, 422, "invalid_reason", "reason.en"},
			{"fail-reason-only-english", "POST", path + "/suspend", "officer", `{"reason":{"en":"Court order"}}`, 422, "invalid_reason", "reason.zh-CN"},
			{"fail-reason-as-plain-text", "POST", path + "/suspend", "officer", `{"reason":"Court order"}`, 400, "wrong_type", "reason"},
			{"fail-unknown-field", "POST", path + "/suspend", "officer", `{"reason":{"en":"x","zh-CN":"某"},"until":"2027-01-01"}`, 400, "unknown_field", "until"},
			{"fail-unknown-document", "POST", "/api/v1/admin/attestations/nope/revoke", "officer", `{"reason":{"en":"x","zh-CN":"某"}}`, 404, "attestation_not_found", ""},
			{"fail-reinstate-active", "POST", path + "/reinstate", "officer", `{"reason":{"en":"x","zh-CN":"某"}}`, 409, "attestation_not_suspended", ""},
			{"fail-find-without-term", "GET", "/api/v1/admin/attestations", "officer", "", 422, "search_term_required", "document_number"},
			{"fail-find-bad-number", "GET", "/api/v1/admin/attestations?document_number=12%2F3", "officer", "", 422, "invalid_document_number", "document_number"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wantProblem(t, send(t, e.h, c.method, c.path, c.who, c.body), c.status, c.code, c.field)
				if v := e.verify(t, bank.APIKey, map[string]string{"token": doc.Token}); !v.Valid {
					t.Fatalf("the document no longer verifies: %+v", v)
				}
			})
		}
	})
}
