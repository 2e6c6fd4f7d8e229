package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// wantOutage fails unless w is the database_unavailable problem with a
// Retry-After, in the caller's language.
func wantOutage(t *testing.T, w interface {
	Header() http.Header
}, p Problem, zh bool) {
	t.Helper()
	if w.Header().Get("Retry-After") == "" {
		t.Fatalf("no Retry-After on %+v", p)
	}
	if zh && !strings.Contains(p.Detail, "数据库") || !zh && !strings.Contains(p.Detail, "database") {
		t.Fatalf("detail %q", p.Detail)
	}
}

// With the database closed under it (SQLite's form of an outage), the
// directory and guidelines are served from memory, even past their TTL,
// while every route that needs the database answers 503 with Retry-After.
func TestClosedDatabaseAnswers503AndServesSnapshots(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		for _, path := range []string{"/api/v1/service-centers", "/api/v1/guidelines"} {
			wantStatus(t, e.do(t, "GET", path, "", ""), http.StatusOK)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		e.clk.Advance(2 * time.Hour) // past the snapshots' TTL: a reload fails
		for _, path := range []string{"/api/v1/service-centers", "/api/v1/guidelines", "/api/v1/guidelines/visa_extension?on=2026-12-01"} {
			wantStatus(t, e.do(t, "GET", path, "", ""), http.StatusOK)
		}
		w := e.do(t, "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", guidelineBody(7, ""))
		wantOutage(t, w, wantProblem(t, w, http.StatusServiceUnavailable, "database_unavailable", ""), false)
		w = e.do(t, "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", guidelineBody(7, ""), "Accept-Language", "zh-CN")
		wantOutage(t, w, wantProblem(t, w, http.StatusServiceUnavailable, "database_unavailable", ""), true)
		w = e.do(t, "GET", "/readyz", "", "")
		wantOutage(t, w, wantProblem(t, w, http.StatusServiceUnavailable, "database_unavailable", ""), false)
	})
}

// A signed-in caller whose session cannot be checked is told of the
// outage, not that their token is wrong.
func TestSessionCheckDuringOutageIs503Not401(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		acc, err := accounts.New(db, clock.Real{}, nil, accounts.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, engine := newTestServer(t, Deps{DB: db, Auth: AccountsAuth{Sessions: acc}})
		_ = db.Close()
		w := send(t, engine, "GET", "/api/v1/me", "some-session-token", "")
		wantOutage(t, w, wantProblem(t, w, http.StatusServiceUnavailable, "database_unavailable", ""), false)
	})
}

// failingJWKS publishes a key set until err is set.
type failingJWKS struct{ err error }

func (f *failingJWKS) JWKS(context.Context) ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	return []byte(`{"keys":[]}`), nil
}

func TestJWKSServedFromLastCopyForTheRestOfItsMaxAge(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	src := &failingJWKS{}
	jwks := attestations.NewCachedJWKS(clk, src, 5*time.Minute)
	_, engine := newTestServer(t, Deps{Clock: clk, Publication: Publication{JWKS: jwks, JWKSMaxAge: 5 * time.Minute}})
	first := do(t, engine, "GET", "/.well-known/jwks.json", nil)
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" || first.Header().Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("first: %d %v", first.Code, first.Header())
	}
	src.err = fmt.Errorf("keys: %w", storage.ErrUnavailable)
	clk.Advance(2 * time.Minute)
	w := do(t, engine, "GET", "/.well-known/jwks.json", nil)
	if w.Code != 200 || w.Body.String() != first.Body.String() || w.Header().Get("Cache-Control") != "public, max-age=180" || w.Header().Get("ETag") != etag {
		t.Fatalf("during the outage: %d %v %s", w.Code, w.Header(), w.Body)
	}
	if w := do(t, engine, "GET", "/.well-known/jwks.json", nil, "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Fatalf("revalidation during the outage: %d", w.Code)
	}
	clk.Advance(3 * time.Minute)
	w = do(t, engine, "GET", "/.well-known/jwks.json", nil)
	wantOutage(t, w, wantProblem(t, w, http.StatusServiceUnavailable, "database_unavailable", ""), false)
}

// Each error a handler may meet, and what the client is told: an outage
// of the database is 503 database_unavailable with Retry-After, anything
// else unclassified stays a bare 500, and a typed domain error keeps its
// own status even when it wraps an outage.
func TestErrorsClassifiedAsOutageOrBug(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"outage-sentinel", fmt.Errorf("read: %w", storage.ErrUnavailable), 503, "database_unavailable"},
		{"outage-deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), 503, "database_unavailable"},
		{"outage-closed-pool", errors.New("sql: database is closed"), 503, "database_unavailable"},
		{"outage-inside-internal", apperr.Internal("accounts: authenticate: %w", storage.ErrUnavailable), 503, "database_unavailable"},
		{"bug-plain", errors.New("keys: stored JWK of k1: bad curve"), 500, "internal"},
		{"bug-internal", apperr.Internal("directory: bad hours row %s", "h1"), 500, "internal"},
		{"bug-client-gone", fmt.Errorf("query: %w", context.Canceled), 500, "internal"},
		{"typed-wins", apperr.NotFound("gone", i18n.T("Gone.", "已不存在。")).Wrap(storage.ErrUnavailable), 404, "gone"},
	}
	s, h := newTestServer(t, Deps{})
	for _, tc := range cases {
		h.GET("/test/err/"+tc.name, func(c *gin.Context) { s.fail(c, tc.err) })
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, h, "GET", "/test/err/"+tc.name, nil)
			p := decodeProblem(t, w)
			if w.Code != tc.status || p.Code != tc.code {
				t.Fatalf("%d %s, want %d %s", w.Code, p.Code, tc.status, tc.code)
			}
			if got := w.Header().Get("Retry-After") != ""; got != (tc.status == 503) {
				t.Fatalf("Retry-After %q on %d", w.Header().Get("Retry-After"), w.Code)
			}
		})
	}
}

func TestJWKSRevalidatesWithETag(t *testing.T) {
	_, engine := newTestServer(t, Deps{Publication: Publication{JWKS: &failingJWKS{}}})
	etag := do(t, engine, "GET", "/.well-known/jwks.json", nil).Header().Get("ETag")
	if w := do(t, engine, "GET", "/.well-known/jwks.json", nil, "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Fatalf("matching If-None-Match: %d %q", w.Code, w.Body)
	}
	if w := do(t, engine, "GET", "/.well-known/jwks.json", nil, "If-None-Match", `"other"`); w.Code != 200 {
		t.Fatalf("other ETag: %d", w.Code)
	}
}

// fixedTokens serves one snapshot.
type fixedTokens struct{ snap statuslists.Snapshot }

func (f fixedTokens) Current(context.Context, string) (statuslists.Snapshot, error) {
	return f.snap, nil
}
func (f fixedTokens) TTL() time.Duration { return 5 * time.Minute }

func TestStaleStatusListIsCachedOnlyForWhatRemainsOfItsTTL(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	snap := statuslists.Snapshot{ListID: "1", Token: "a.b.c", SignedAt: clk.Now().Add(-4 * time.Minute), Stale: true}
	_, engine := newTestServer(t, Deps{Clock: clk, Publication: Publication{StatusLists: fixedTokens{snap}}})
	w := do(t, engine, "GET", "/api/v1/status-lists/1", nil)
	if w.Code != 200 || w.Header().Get("Cache-Control") != "public, max-age=60" || w.Header().Get("ETag") == "" {
		t.Fatalf("stale list: %d %v", w.Code, w.Header())
	}
	snap.SignedAt = clk.Now().Add(-time.Hour)
	_, engine = newTestServer(t, Deps{Clock: clk, Publication: Publication{StatusLists: fixedTokens{snap}}})
	if w := do(t, engine, "GET", "/api/v1/status-lists/1", nil); w.Header().Get("Cache-Control") != "public, max-age=0" {
		t.Fatalf("list older than its ttl: %v", w.Header())
	}
	snap.Stale = false
	_, engine = newTestServer(t, Deps{Clock: clk, Publication: Publication{StatusLists: fixedTokens{snap}}})
	if w := do(t, engine, "GET", "/api/v1/status-lists/1", nil); w.Header().Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("fresh list: %v", w.Header())
	}
}
