package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// guidelineBody is an update in force from 1 December 2026; extra holds
// further members, each after a comma.
func guidelineBody(days int, extra string) string {
	return `{"effective_from":"2026-12-01","summary":{"en":"New rules.","zh-CN":"新规定。"},
		"materials":[{"name":{"en":"Passport","zh-CN":"护照"}}],"steps":[{"en":"Apply.","zh-CN":"申请。"}],
		"methods":["in_person"],"processing_days":` + strconv.Itoa(days) + extra + `}`
}

// wantGuidelineUnchanged fails unless code still has only its seeded
// version, in force on 1 December 2026.
func wantGuidelineUnchanged(t *testing.T, e *directoryEnv, code string) {
	t.Helper()
	hist := decodeJSON[struct{ Items []guidelineView }](t, e.do(t, "GET", "/api/v1/guidelines/"+code+"/versions", "", "")).Items
	cur := decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/"+code+"?on=2026-12-01", "", ""))
	if len(hist) != 1 || cur.Version != 1 || cur.ProcessingDays != business.ProcessingDays(code) {
		t.Fatalf("a refused update changed %s: %d versions, v%d in force with %d days", code, len(hist), cur.Version, cur.ProcessingDays)
	}
}

// A guideline cannot state a processing time other than the one deadlines
// and /api/v1/business-types use (residence_work once said 60 days while
// deadlines counted 15).
func TestGuidelinePublishRefusesProcessingDaysOtherThanTheLaws(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		path := "/api/v1/admin/guidelines/residence_work"
		for _, days := range []int{60, 14, 16} {
			p := wantProblem(t, e.do(t, "PUT", path, "officer-token", guidelineBody(days, "")), http.StatusUnprocessableEntity, "invalid_guideline", "processing_days")
			if len(p.Errors) != 1 || p.Errors[0].Field != "processing_days" || p.Errors[0].Code != "processing_days_not_statutory" || !strings.Contains(p.Detail, "15") {
				t.Fatalf("%d days: %+v", days, p)
			}
			wantGuidelineUnchanged(t, e, business.ResidenceWork)
		}
		zh := wantProblem(t, e.do(t, "PUT", path, "officer-token", guidelineBody(60, ""), "Accept-Language", "zh-CN"),
			http.StatusUnprocessableEntity, "invalid_guideline", "processing_days")
		if !strings.Contains(zh.Detail, "15") || !strings.Contains(zh.Detail, "法定") {
			t.Fatalf("Chinese refusal: %+v", zh)
		}
		wantGuidelineUnchanged(t, e, business.ResidenceWork)
		w := e.do(t, "PUT", path, "officer-token", guidelineBody(15, ""))
		if w.Code != http.StatusCreated || decodeJSON[guidelineAdminView](t, w).Content.ProcessingDays != 15 {
			t.Fatalf("publish with the law's figure: %d %s", w.Code, w.Body.String())
		}
	})
}

// Every text is given in both languages, an optional one in both or neither:
// a fee condition only in Chinese showed nothing to English readers.
func TestGuidelinePublishRefusesTextInOneLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		path := "/api/v1/admin/guidelines/residence_work"
		tests := []struct{ name, body, field string }{
			{"fee condition only in Chinese", guidelineBody(15, `,"fees":[{"item":{"en":"Residence permit","zh-CN":"居留许可"},"amount_yuan":400,"source":{"url":"https://example.gov.cn/fees.html","seen":"2026-12-06"},"condition":{"en":"","zh-CN":"有效期不满1年"}}]`), "fees[0].condition"},
			{"fee item only in English", guidelineBody(15, `,"fees":[{"item":{"en":"Residence permit","zh-CN":""},"amount_yuan":400,"source":{"url":"https://example.gov.cn/fees.html","seen":"2026-12-06"}}]`), "fees[0].item"},
			{"material note only in Chinese", strings.Replace(guidelineBody(15, ""), `"zh-CN":"护照"}`, `"zh-CN":"护照"},"note":{"zh-CN":"原件"}`, 1), "materials[0].note"},
			{"summary only in English", strings.Replace(guidelineBody(15, ""), `"zh-CN":"新规定。"`, `"zh-CN":""`, 1), "summary"},
			{"requirement only in Chinese", guidelineBody(15, `,"requirements":[{"en":"","zh-CN":"合法在华"}]`), "requirements[0]"},
			{"deadline only in English", guidelineBody(15, `,"deadlines":[{"text":{"en":"30 days before expiry","zh-CN":" "},"days":30,"source":{"url":"https://example.gov.cn/fees.html","seen":"2026-12-06"}}]`), "deadlines[0].text"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := wantProblem(t, e.do(t, "PUT", path, "officer-token", tt.body), http.StatusUnprocessableEntity, "invalid_guideline", tt.field)
				if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || !strings.Contains(p.Detail, tt.field) {
					t.Fatalf("problem %+v", p)
				}
				wantGuidelineUnchanged(t, e, business.ResidenceWork)
			})
		}
		body := guidelineBody(15, `,"fees":[{"item":{"en":"Residence permit","zh-CN":"居留许可"},"amount_yuan":400,"source":{"url":"https://example.gov.cn/fees.html","seen":"2026-12-06"},"condition":{"en":"","zh-CN":""}}]`)
		if w := e.do(t, "PUT", path, "officer-token", body); w.Code != http.StatusCreated {
			t.Fatalf("a condition left out in both languages: %d %s", w.Code, w.Body.String())
		}
	})
}

// The lists an update leaves out are answered as empty arrays, as the
// GuidelineAdmin and Guideline schemas require, by the publish answer and
// by every read.
func TestGuidelinePublishAnswersEmptyLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		w := e.do(t, "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", guidelineBody(7, ""))
		if w.Code != http.StatusCreated {
			t.Fatalf("publish: %d %s", w.Code, w.Body.String())
		}
		var admin struct{ Content map[string]json.RawMessage }
		if err := json.Unmarshal(w.Body.Bytes(), &admin); err != nil {
			t.Fatal(err)
		}
		for _, list := range []string{"requirements", "fees", "deadlines"} {
			if string(admin.Content[list]) != "[]" {
				t.Errorf("publish answered %s as %s", list, admin.Content[list])
			}
		}
		for _, read := range []string{"/api/v1/guidelines/visa_extension?on=2026-12-01", "/api/v1/guidelines/visa_extension/versions/2",
			"/api/v1/guidelines/visa_extension/versions?limit=1", "/api/v1/guidelines?on=2026-12-01&limit=1"} {
			w := e.do(t, "GET", read, "", "")
			body := w.Body.String()
			if w.Code != http.StatusOK || strings.Contains(body, "null") ||
				!strings.Contains(body, `"requirements":[]`) || !strings.Contains(body, `"fees":[]`) || !strings.Contains(body, `"deadlines":[]`) {
				t.Errorf("%s: %d %s", read, w.Code, body)
			}
		}
	})
}

// An empty fee list must not read as "free": the answer says the fees are
// unknown, in the reader's language, and every listed fee shows its source.
func TestGuidelineShowsUnknownFeesAsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		w := e.do(t, "GET", "/api/v1/guidelines/visa_renewal", "", "")
		v := decodeJSON[guidelineView](t, w)
		if len(v.Fees) != 0 || strings.Join(v.Unknown, ",") != "fees" ||
			!strings.HasPrefix(v.UnknownNote, "No public source we rely on gives the fees of this business") {
			t.Fatalf("visa renewal: %s", w.Body.String())
		}
		zh := decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/visa_renewal", "", "", "Accept-Language", "zh-CN"))
		if !strings.HasPrefix(zh.UnknownNote, "本指南所依据的公开资料未载明该业务的收费标准") {
			t.Fatalf("visa renewal in Chinese: %q", zh.UnknownNote)
		}
		w = e.do(t, "GET", "/api/v1/guidelines/visa_extension", "", "")
		ext := decodeJSON[guidelineView](t, w)
		if len(ext.Unknown) != 0 || ext.UnknownNote != "" || !strings.Contains(w.Body.String(), `"unknown":[]`) ||
			ext.Fees[0].AmountYuan != 160 || !strings.HasPrefix(ext.Fees[0].Source.URL, "http") || ext.Fees[0].Source.Seen == "" {
			t.Fatalf("visa extension: %s", w.Body.String())
		}
		for _, d := range ext.Deadlines {
			if d.Source.URL == "" || d.Source.Seen == "" {
				t.Fatalf("deadline without its source: %+v", d)
			}
		}
		// A version published without fees and without saying they are
		// unknown is answered the same way.
		if w := e.do(t, "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", guidelineBody(7, `,"fees":[]`)); w.Code != http.StatusCreated {
			t.Fatalf("publish without fees: %d %s", w.Code, w.Body.String())
		}
		v = decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/visa_extension?on=2026-12-01", "", ""))
		if v.Version != 2 || strings.Join(v.Unknown, ",") != "fees" || v.UnknownNote == "" {
			t.Fatalf("published without fees: %+v", v)
		}
	})
}
