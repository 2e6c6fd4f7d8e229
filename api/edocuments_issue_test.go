package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// newEdocEnvWith is newEdocEnv whose residents issue within limits: its
// handler is served by a second service on the same database, keys and
// registry, built with them.
func newEdocEnvWith(t *testing.T, db *storage.DB, limits attestations.Limits) *edocEnv {
	t.Helper()
	e := newEdocEnv(t, db, nil)
	e.Limits = limits
	svc := e.OtherNode(t)
	_, e.h = newTestServer(t, Deps{Clock: e.Clock, Auth: edocAccounts,
		EDocuments:     EDocuments{Documents: svc, Files: svc, Officers: svc},
		Verify:         Verify{Verifier: svc, APIKeys: e.Parties, Limiter: relyingparties.NewLimiter(e.Clock, 0, 1)},
		RelyingParties: RelyingParties{Admin: e.Parties},
		Publication:    Publication{StatusLists: e.Tokens, JWKS: e.Keys},
	})
	return e
}

// issueWrites counts what issuing writes: documents, files, audit events
// and status-list slots handed out.
func issueWrites(t *testing.T, db *storage.DB) [4]int64 {
	t.Helper()
	var out [4]int64
	for i, table := range []string{"attestations", "attestation_files", "audit_events"} {
		if err := db.Gorm.Table(table).Count(&out[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm.Table("status_lists").Select("COALESCE(SUM(next_seq), 0)").Scan(&out[3]).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *edocEnv) issueRaw(t *testing.T, who, body string) *httptest.ResponseRecorder {
	t.Helper()
	return send(t, e.h, http.MethodPost, "/api/v1/me/attestations", who, body)
}

// TestIssueRequestRejects: the issuing body is strict JSON with a required
// purpose; every malformed or invalid body names its fault and writes
// nothing.
func TestIssueRequestRejects(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	rows := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"fail-empty-body", "", 400, "empty_body", ""},
		{"fail-text", "issue me a document", 400, "malformed_json", ""},
		{"fail-nul", `{"purpose":"bank\u0000"}`, 400, "invalid_characters", ""},
		{"fail-nested-arrays", `[[[[["bank"]]]]]`, 400, "wrong_type", ""},
		{"fail-deep-arrays", deep, 400, "malformed_json", ""},
		{"fail-two-values", `{"purpose":"bank"}{"purpose":"tax"}`, 400, "malformed_json", ""},
		{"fail-unknown-field", `{"purpose":"bank","validity":"10y"}`, 400, "unknown_field", "validity"},
		{"fail-purpose-number", `{"purpose":1}`, 400, "wrong_type", "purpose"},
		{"fail-purpose-missing", `{}`, 422, "required", "purpose"},
		{"fail-purpose-blank", `{"purpose":"  "}`, 422, "required", "purpose"},
		{"fail-purpose-unknown", `{"purpose":"casino"}`, 422, "invalid_purpose", "purpose"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				before := issueWrites(t, db)
				wantProblem(t, e.issueRaw(t, "alice", r.body), r.status, r.code, r.field)
				if issueWrites(t, db) != before {
					t.Fatal("a refused request wrote rows")
				}
			})
		}
	})
}

// TestIssueReturnsAndKeepsThePurpose: the purpose comes back on issue and
// on every later read.
func TestIssueReturnsAndKeepsThePurpose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		w := e.issueRaw(t, "alice", `{"purpose":"social_security"}`)
		doc := wantJSON[issuedJSON](t, w, http.StatusCreated)
		if doc.Purpose != "social_security" {
			t.Fatalf("issued %+v", doc)
		}
		got := wantJSON[attestationJSON](t, e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID, "alice", nil), http.StatusOK)
		if got.Purpose != "social_security" {
			t.Fatalf("read back %+v", got)
		}
	})
}

// TestIssueCapAnswers409AndRevokingMakesRoom: past the cap for a purpose
// the answer is a 409 naming the limit and the way out in the caller's
// language, and nothing is written; revoking one makes room.
func TestIssueCapAnswers409AndRevokingMakesRoom(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		var first issuedJSON
		for i := range 3 {
			doc := wantJSON[issuedJSON](t, e.issueRaw(t, "alice", `{"purpose":"bank"}`), http.StatusCreated)
			if i == 0 {
				first = doc
			}
		}
		before := issueWrites(t, db)
		p := wantProblem(t, e.issueRaw(t, "alice", `{"purpose":"bank"}`), http.StatusConflict, "attestation_limit_reached", "")
		if !strings.Contains(p.Detail, "3 active") || !strings.Contains(p.Detail, "Revoke one") {
			t.Fatalf("detail %q", p.Detail)
		}
		zh := send(t, e.h, http.MethodPost, "/api/v1/me/attestations", "alice", `{"purpose":"bank"}`, "Accept-Language", "zh-CN")
		if p := wantProblem(t, zh, http.StatusConflict, "attestation_limit_reached", ""); !strings.Contains(p.Detail, "撤销") {
			t.Fatalf("zh detail %q", p.Detail)
		}
		if issueWrites(t, db) != before {
			t.Fatal("a refused issue wrote rows")
		}
		wantStatus(t, e.issueRaw(t, "alice", `{"purpose":"tax"}`), http.StatusCreated)
		wantStatus(t, e.call(t, "POST", "/api/v1/me/attestations/"+first.ID+"/revoke", "alice", nil), http.StatusOK)
		wantStatus(t, e.issueRaw(t, "alice", `{"purpose":"bank"}`), http.StatusCreated)
	})
}

// TestIssueDailyLimitAnswers429: the per-day limit answers 429 with
// Retry-After; revoking does not give the day's allowance back.
func TestIssueDailyLimitAnswers429(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnvWith(t, db, attestations.Limits{PerDay: 2})
		doc := wantJSON[issuedJSON](t, e.issueRaw(t, "alice", `{"purpose":"bank"}`), http.StatusCreated)
		e.Clock.Advance(time.Hour)
		wantStatus(t, e.issueRaw(t, "alice", `{"purpose":"telecom"}`), http.StatusCreated)
		wantStatus(t, e.call(t, "POST", "/api/v1/me/attestations/"+doc.ID+"/revoke", "alice", nil), http.StatusOK)
		before := issueWrites(t, db)
		w := e.issueRaw(t, "alice", `{"purpose":"bank"}`)
		wantProblem(t, w, http.StatusTooManyRequests, "attestation_daily_limit", "")
		if got := w.Header().Get("Retry-After"); got != "82800" {
			t.Fatalf("Retry-After %q, want 23 hours", got)
		}
		if issueWrites(t, db) != before {
			t.Fatal("a refused issue wrote rows")
		}
		wantStatus(t, e.issueRaw(t, "bob", `{"purpose":"bank"}`), http.StatusCreated)
	})
}

// FuzzIssueRequest: whatever the body, the issue request is refused with a
// typed 400 or 422 error, or yields a purpose that is not blank.
func FuzzIssueRequest(f *testing.F) {
	for _, s := range []string{`{"purpose":"bank"}`, `{}`, `{"purpose":""}`, `[]`, `null`, `"bank"`,
		`{"purpose":"bank\u0000"}`, `{"purpose":"tax","x":1}`, `[[[[]]]]`, "text"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPost, "/api/v1/me/attestations", bytes.NewReader(body))
		var r issueRequest
		if err := decode(c, &r); err != nil {
			e, ok := apperr.As(err)
			if !ok || (e.Kind != apperr.KindMalformed && e.Kind != apperr.KindInvalid) {
				t.Fatalf("body %q: untyped or unexpected error %v", body, err)
			}
			return
		}
		if strings.TrimSpace(r.Purpose) == "" {
			t.Fatalf("accepted %q without a purpose", body)
		}
	})
}
