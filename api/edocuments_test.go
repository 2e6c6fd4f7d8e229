package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/attestations/attestationstest"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/verifier"
)

// edocAccounts are the callers of the e-document tests.
var edocAccounts = fakeAuth{
	"alice":   {AccountID: "acc-alice", Role: RoleResident, PersonID: "alice"},
	"bob":     {AccountID: "acc-bob", Role: RoleResident, PersonID: "bob"},
	"admin":   {AccountID: "acc-admin", Role: RoleAdmin},
	"officer": {AccountID: "acc-officer", Role: RoleOfficer},
}

type edocEnv struct {
	*attestationstest.Env
	h http.Handler
}

func newEdocEnv(t *testing.T, db *storage.DB, limiter VerifyLimiter) *edocEnv {
	t.Helper()
	e := attestationstest.New(t, db, clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)))
	e.Holders.Put(attestationstest.Sample("alice"))
	e.Holders.Put(attestationstest.Sample("bob"))
	if limiter == nil {
		limiter = relyingparties.NewLimiter(e.Clock, 0, 1)
	}
	_, h := newTestServer(t, Deps{Clock: e.Clock, Auth: edocAccounts,
		EDocuments:     EDocuments{Documents: e.Service, Files: e.Service, Officers: e.Service},
		Verify:         Verify{Verifier: e.Service, APIKeys: e.Parties, Limiter: limiter},
		RelyingParties: RelyingParties{Admin: e.Parties},
		Publication:    Publication{StatusLists: e.Tokens, JWKS: e.Keys},
	})
	return &edocEnv{Env: e, h: h}
}

func (e *edocEnv) call(t *testing.T, method, path, bearer string, body any) *httptest.ResponseRecorder {
	t.Helper()
	text := ""
	if body != nil {
		b, _ := json.Marshal(body)
		text = string(b)
	}
	return send(t, e.h, method, path, bearer, text)
}

func (e *edocEnv) issue(t *testing.T, who string) issuedJSON {
	t.Helper()
	return wantJSON[issuedJSON](t, e.call(t, "POST", "/api/v1/me/attestations", who, map[string]string{"purpose": "bank"}), http.StatusCreated)
}

func (e *edocEnv) party(t *testing.T, sector string) partyKeyJSON {
	t.Helper()
	rec := e.call(t, "POST", "/api/v1/admin/relying-parties", "admin", map[string]string{"name": "Test " + sector, "sector": sector})
	return wantJSON[partyKeyJSON](t, rec, http.StatusCreated)
}

func (e *edocEnv) verify(t *testing.T, key string, body any) verificationJSON {
	t.Helper()
	return wantJSON[verificationJSON](t, e.call(t, "POST", "/api/v1/verify", key, body), http.StatusOK)
}

// TestEndToEnd is acceptance 1: issue → PDF and PNG → decode the QR →
// verify as a bank → valid with every check passed → the log shows it.
func TestEndToEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc, text := issueReadable(t, e)
		bank := e.party(t, "bank")
		v := e.verify(t, bank.APIKey, map[string]string{"qr": text})
		if !v.Valid || v.Status != "valid" || v.Document == nil || v.Document.DocumentNumber != doc.DocumentNumber {
			t.Fatalf("verify: %+v", v)
		}
		for _, c := range v.Checks {
			if c.Result != "pass" {
				t.Fatalf("check %s: %s (%s)", c.Code, c.Result, c.Detail)
			}
		}
		log := wantJSON[struct{ Items []logEntryJSON }](t,
			e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID+"/verifications", "alice", nil), 200)
		if len(log.Items) != 1 || log.Items[0].ID != v.VerificationID || log.Items[0].Sector != "bank" ||
			log.Items[0].RelyingParty != "Test bank" || log.Items[0].Result != "valid" {
			t.Fatalf("log: %+v", log.Items)
		}
	})
}

// issueReadable issues a document, downloads its PDF and PNG and decodes
// the QR from the PNG with the verifier's decoder, as a bank would.
func issueReadable(t *testing.T, e *edocEnv) (issuedJSON, string) {
	t.Helper()
	doc := e.issue(t, "alice")
	pdf := e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID+"/document.pdf", "alice", nil)
	if pdf.Code != 200 || pdf.Header().Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(pdf.Header().Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(pdf.Body.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf: %d %v", pdf.Code, pdf.Header())
	}
	png := e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID+"/qr.png", "alice", nil)
	if png.Code != 200 || png.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("png: %d", png.Code)
	}
	text, err := verifier.DecodeQRImage(bytes.NewReader(png.Body.Bytes()))
	if err != nil || text != doc.QRText {
		t.Fatalf("decoded QR %q, %v; want the issued text", text, err)
	}
	return doc, text
}

// routeTo lets an https client reach the in-process router, as a relying
// party's verifier would reach the published status list.
type routeTo struct{ h http.Handler }

func (r routeTo) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// TestRevocation is acceptance 2.
func TestRevocation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		bank := e.party(t, "bank")
		jwks := e.call(t, "GET", "/.well-known/jwks.json", "", nil)
		keys, err := verifier.NewStaticKeys(attestationstest.Issuer, jwks.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		status, _ := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: keys, Client: &http.Client{Transport: routeTo{e.h}}, Now: e.Clock.Now})
		offline, _ := verifier.New(verifier.Options{Sector: "bank", Keys: keys, Status: status, Now: e.Clock.Now})
		if res, err := offline.Verify(context.Background(), doc.QRText); err != nil || !res.Valid {
			t.Fatalf("offline before revoke: %v", err)
		}
		if rec := e.call(t, "POST", "/api/v1/me/attestations/"+doc.ID+"/revoke", "alice", nil); rec.Code != 200 {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
		}
		v := e.verify(t, bank.APIKey, map[string]string{"token": doc.Token})
		if v.Valid || v.Status != "invalid" {
			t.Fatalf("API after revoke: %+v", v)
		}
		if res, _ := offline.Verify(context.Background(), doc.QRText); !res.Valid {
			t.Fatal("offline verifier refetched before its cached list was older than ttl")
		}
		e.Clock.Advance(attestationstest.StatusTTL + time.Second)
		res, err := offline.Verify(context.Background(), doc.QRText)
		if res.Valid || res.Check(verifier.CheckStatus).Result != verifier.Fail {
			t.Fatalf("offline after ttl: %v", err)
		}
	})
}

// TestVerifyAccess is acceptance 3.
func TestVerifyAccess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		disabled, rotated := e.party(t, "bank"), e.party(t, "tax")
		e.call(t, "POST", "/api/v1/admin/relying-parties/"+disabled.ID+"/disable", "admin", nil)
		renewed := wantJSON[partyKeyJSON](t,
			e.call(t, "POST", "/api/v1/admin/relying-parties/"+rotated.ID+"/rotate-key", "admin", nil), 200)
		body := map[string]string{"token": doc.Token}
		for name, key := range map[string]string{
			"fail-missing-key": "", "fail-garbage-key": "nope",
			"fail-disabled-key": disabled.APIKey, "fail-rotated-away-key": rotated.APIKey,
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, e.call(t, "POST", "/api/v1/verify", key, body), http.StatusUnauthorized, "invalid_api_key", "")
			})
		}
		taxDoc := wantJSON[issuedJSON](t, e.call(t, "POST", "/api/v1/me/attestations", "alice",
			map[string]string{"purpose": "tax"}), http.StatusCreated)
		// The tax sector's four passport fields, and the nationality's name.
		if v := e.verify(t, renewed.APIKey, map[string]string{"token": taxDoc.Token}); !v.Valid || len(v.Document.Passport) != 5 || v.Document.Passport["nationality_name"] == "" {
			t.Fatalf("renewed tax key: %+v", v)
		}
		for _, path := range []string{"", "/document.pdf", "/qr.png", "/qr.svg", "/verifications"} {
			rec := e.call(t, "GET", "/api/v1/me/attestations/"+doc.ID+path, "bob", nil)
			wantProblem(t, rec, http.StatusNotFound, "attestation_not_found", "")
		}
		if rec := e.call(t, "POST", "/api/v1/me/attestations/"+doc.ID+"/revoke", "bob", nil); rec.Code != 404 {
			t.Fatalf("bob revoked alice's document: %d", rec.Code)
		}
		wrong := e.verify(t, renewed.APIKey, map[string]string{"document_number": doc.DocumentNumber, "verification_code": "2222-2222-2222-2222"})
		unknown := e.verify(t, renewed.APIKey, map[string]string{"document_number": "FP-ZZZZ-ZZZZ-ZZZZ", "verification_code": "2222-2222-2222-2222"})
		wj, _ := json.Marshal(wrong.Checks)
		uj, _ := json.Marshal(unknown.Checks)
		if wrong.Valid || wrong.Status != "invalid" || !bytes.Equal(wj, uj) || unknown.Status != wrong.Status {
			t.Fatalf("wrong code answers differ:\n%s\n%s", wj, uj)
		}
		right := e.verify(t, renewed.APIKey, map[string]string{"document_number": taxDoc.DocumentNumber, "verification_code": taxDoc.VerificationCode})
		if !right.Valid {
			t.Fatalf("right code: %+v", right)
		}
	})
}

func TestVerifyRateLimitAndBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk := clock.NewFake(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
		e := newEdocEnv(t, db, relyingparties.NewLimiter(clk, 1, 3))
		bank := e.party(t, "bank")
		rows := []struct {
			name   string
			body   string
			status int
			field  string
		}{
			{"fail-unknown-field", `{"qr":"fprl:/00","extra":1}`, 400, "extra"},
			{"fail-two-inputs", `{"qr":"fprl:/00","token":"a.b.c"}`, 422, "qr"},
			{"fail-bad-code", `{"document_number":"FP-1","verification_code":"12"}`, 422, "verification_code"},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				rec := do(t, e.h, "POST", "/api/v1/verify", strings.NewReader(r.body), "Authorization", "Bearer "+bank.APIKey)
				if p := decodeProblem(t, rec); rec.Code != r.status || p.Field != r.field {
					t.Fatalf("status %d field %q", rec.Code, p.Field)
				}
			})
		}
		rec := e.call(t, "POST", "/api/v1/verify", bank.APIKey, map[string]string{"token": "x"})
		wantProblem(t, rec, http.StatusTooManyRequests, "rate_limited", "")
		if rec.Header().Get("Retry-After") != "1" {
			t.Fatalf("fourth call: Retry-After %q", rec.Header().Get("Retry-After"))
		}
		var n int64
		db.Gorm.Model(&attestations.VerificationRow{}).Count(&n)
		if n != 0 {
			t.Fatalf("rejected requests recorded %d verifications", n)
		}
	})
}

func TestPublicKeyAndStatusListRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		e.issue(t, "alice")
		rec := e.call(t, "GET", "/api/v1/status-lists/1", "", nil)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/statuslist+jwt" ||
			rec.Header().Get("Cache-Control") != "public, max-age=300" || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("status list: %d %v", rec.Code, rec.Header())
		}
		if rec := e.call(t, "GET", "/api/v1/status-lists/9", "", nil); rec.Code != 404 {
			t.Fatalf("unknown list: %d", rec.Code)
		}
		rec = e.call(t, "GET", "/.well-known/jwks.json", "", nil)
		if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(rec.Header().Get("Cache-Control"), "max-age=") || strings.Contains(rec.Body.String(), `"d"`) {
			t.Fatalf("jwks: %d %v", rec.Code, rec.Header())
		}
	})
}

func TestEDocumentRoleChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		for _, c := range []struct {
			name, method, path, who string
			body                    any
			status                  int
			field                   string
		}{
			{"fail-no-token", "POST", "/api/v1/me/attestations", "", nil, 401, ""},
			{"fail-admin-issues", "POST", "/api/v1/me/attestations", "admin", nil, 403, ""},
			{"fail-resident-creates-party", "POST", "/api/v1/admin/relying-parties", "alice", map[string]string{"name": "x", "sector": "bank"}, 403, ""},
			{"fail-bad-sector", "POST", "/api/v1/admin/relying-parties", "admin", map[string]string{"name": "x", "sector": "casino"}, 422, "sector"},
			{"fail-bad-limit", "GET", "/api/v1/me/attestations?limit=0", "alice", nil, 400, "limit"},
			{"fail-unknown-party", "POST", "/api/v1/admin/relying-parties/nope/disable", "admin", nil, 404, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				rec := e.call(t, c.method, c.path, c.who, c.body)
				if p := decodeProblem(t, rec); rec.Code != c.status || p.Field != c.field {
					t.Fatalf("status %d field %q: %s", rec.Code, p.Field, rec.Body.String())
				}
			})
		}
	})
}

func TestEDocumentRoutesWithoutDeps(t *testing.T) {
	_, h := newTestServer(t, Deps{Auth: edocAccounts})
	for _, path := range []string{"/.well-known/jwks.json", "/api/v1/status-lists/1"} {
		wantProblem(t, do(t, h, "GET", path, nil), http.StatusServiceUnavailable, "edocuments_unavailable", "")
	}
}

// TestVerifyAnswersInTheCallersLanguage: every check carries a message in
// the request's language; the technical detail stays in English.
func TestVerifyAnswersInTheCallersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc, _ := issueReadable(t, e)
		bank := e.party(t, "bank")
		type answer struct {
			Checks []struct{ Code, Result, Detail, Message string }
		}
		messages := func(path string) map[string][2]string {
			a := wantJSON[answer](t, e.call(t, "POST", path, bank.APIKey, map[string]string{"token": doc.Token}), http.StatusOK)
			out := map[string][2]string{}
			for _, c := range a.Checks {
				out[c.Code] = [2]string{c.Detail, c.Message}
			}
			return out
		}
		en, zh := messages("/api/v1/verify"), messages("/api/v1/verify?lang=zh-CN")
		if len(en) != 11 || len(zh) != 11 {
			t.Fatalf("%d and %d checks", len(en), len(zh))
		}
		for code := range en {
			if en[code][0] != zh[code][0] || en[code][1] == "" || en[code][1] == zh[code][1] {
				t.Errorf("%s: en %q, zh %q", code, en[code], zh[code])
			}
		}
		if en["signature"][1] != "The signature is genuine." || zh["signature"][1] != "签名真实有效。" {
			t.Fatalf("signature: %q / %q", en["signature"][1], zh["signature"][1])
		}
	})
}

// TestResidentSeesLabelsInTheirLanguage: a resident reading their document
// and who checked it gets each code named in their language, next to the
// code itself.
func TestResidentSeesLabelsInTheirLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		type attestation struct {
			State      string `json:"state"`
			StateLabel string `json:"state_label"`
		}
		docPath := "/api/v1/me/attestations/" + doc.ID
		if a := wantJSON[attestation](t, e.call(t, "GET", docPath+"?lang=zh-CN", "alice", nil), http.StatusOK); a.State != "active" || a.StateLabel != "有效" {
			t.Fatalf("active document: %+v", a)
		}
		e.verify(t, e.party(t, "bank").APIKey, map[string]string{"qr": doc.QRText})
		if rec := e.call(t, "POST", docPath+"/revoke", "alice", nil); rec.Code != http.StatusOK {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body.String())
		}
		e.verify(t, e.party(t, "bank").APIKey, map[string]string{"token": doc.Token})

		type entry struct {
			Sector, Method, Result string
			FailedCheck            string `json:"failed_check"`
			SectorLabel            string `json:"sector_label"`
			MethodLabel            string `json:"method_label"`
			ResultLabel            string `json:"result_label"`
			FailedCheckLabel       string `json:"failed_check_label"`
		}
		logIn := func(lang string) []entry {
			return wantJSON[struct{ Items []entry }](t,
				e.call(t, "GET", docPath+"/verifications?lang="+lang, "alice", nil), http.StatusOK).Items
		}
		zh, en := logIn("zh-CN"), logIn("en")
		if len(zh) != 2 || len(en) != 2 {
			t.Fatalf("log: %+v", zh)
		}
		// Newest first: the second bank's check of the revoked document.
		wantZh := []entry{
			{Sector: "bank", Method: "token", Result: "invalid", FailedCheck: "status", SectorLabel: "银行",
				MethodLabel: "提交签名令牌", ResultLabel: "无效", FailedCheckLabel: "撤销状态"},
			{Sector: "bank", Method: "qr", Result: "valid", SectorLabel: "银行", MethodLabel: "扫描二维码", ResultLabel: "有效"},
		}
		for i := range wantZh {
			if zh[i] != wantZh[i] {
				t.Errorf("zh-CN entry %d: %+v, want %+v", i, zh[i], wantZh[i])
			}
		}
		if en[0].SectorLabel != "Bank" || en[0].ResultLabel != "Invalid" || en[0].FailedCheckLabel != "Revocation status" ||
			en[1].MethodLabel != "QR code scanned" || en[1].FailedCheckLabel != "" {
			t.Errorf("en entries: %+v", en)
		}
		a := wantJSON[attestation](t, e.call(t, "GET", docPath, "alice", nil), http.StatusOK)
		if a.State != "revoked" || a.StateLabel != "Revoked" {
			t.Fatalf("revoked document in en: %+v", a)
		}
	})
}

// TestVerifyAnswersAreCounted: /metrics counts answered verifications by
// sector and status, for dashboards and alerts.
func TestVerifyAnswersAreCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		bank, tax := e.party(t, "bank"), e.party(t, "tax")
		e.verify(t, bank.APIKey, map[string]string{"token": doc.Token})
		e.verify(t, bank.APIKey, map[string]string{"qr": doc.QRText})
		e.verify(t, tax.APIKey, map[string]string{"document_number": doc.DocumentNumber, "verification_code": "AAAA-AAAA-AAAA-AAAA"})
		wantProblem(t, e.call(t, "POST", "/api/v1/verify", "not-a-key", map[string]string{"token": doc.Token}),
			http.StatusUnauthorized, "invalid_api_key", "")
		body := e.call(t, "GET", "/metrics", "", nil).Body.String()
		for _, want := range []string{
			`fprlink_verifications_total{sector="bank",status="valid"} 2`,
			`fprlink_verifications_total{sector="tax",status="invalid"} 1`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Count(body, "fprlink_verifications_total{") != 2 {
			t.Errorf("a refused call was counted as answered:\n%s", body)
		}
	})
}

// TestVerifyCaller: a relying party's key names its party and sector (the
// verifier page runs the audience check with it); no key, or another
// party's disabled key, is 401.
func TestVerifyCaller(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		tax := e.party(t, "tax")
		rec := send(t, e.h, "GET", "/api/v1/verify/caller?lang=zh-CN", tax.APIKey, "")
		got := wantJSON[callerJSON](t, rec, http.StatusOK)
		if got.Sector != "tax" || got.SectorLabel != "税务机关" || got.Name != tax.Name || got.KeyPrefix != tax.KeyPrefix {
			t.Fatalf("caller: %+v", got)
		}
		t.Run("fail-missing-key", func(t *testing.T) {
			wantProblem(t, send(t, e.h, "GET", "/api/v1/verify/caller", "", ""), http.StatusUnauthorized, "invalid_api_key", "")
		})
		t.Run("fail-disabled-key", func(t *testing.T) {
			e.call(t, "POST", "/api/v1/admin/relying-parties/"+tax.ID+"/disable", "admin", nil)
			wantProblem(t, send(t, e.h, "GET", "/api/v1/verify/caller", tax.APIKey, ""), http.StatusUnauthorized, "invalid_api_key", "")
		})
	})
}
