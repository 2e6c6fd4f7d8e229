package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/guidelines"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// dirAccounts are the callers of the directory tests; the accounts
// capability provides the real Authenticator.
var dirAccounts = fakeAuth{
	"officer-token":  {AccountID: "acct-officer", Username: "officer", Role: RoleOfficer},
	"resident-token": {AccountID: "acct-resident", Username: "resident", Role: RoleResident, PersonID: "p1"},
}

// dirMondayTen is Monday 23 November 2026, 10:00 in Shanghai.
var dirMondayTen = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

type directoryEnv struct {
	db     *storage.DB
	clk    *clock.Fake
	engine *gin.Engine
}

func newDirectoryEnv(t testing.TB, db *storage.DB) *directoryEnv {
	t.Helper()
	clk := clock.NewFake(dirMondayTen)
	dir := directory.New(db, clk, directory.Hooks{}, time.Hour)
	guides := guidelines.New(db, clk, time.Hour)
	if err := dir.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := guides.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, engine := newTestServer(t, Deps{Clock: clk, DB: db,
		Auth: dirAccounts, Directory: Directory{Centers: dir, Editor: dir, Schedule: dir}, Guidelines: Guidelines{Reader: guides, Publisher: guides}})
	return &directoryEnv{db: db, clk: clk, engine: engine}
}

func (e *directoryEnv) do(t testing.TB, method, path, token, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return send(t, e.engine, method, path, token, body, header...)
}

func dirCenterID(t testing.TB, e *directoryEnv, code string) string {
	t.Helper()
	w := e.do(t, "GET", "/api/v1/service-centers?limit=100", "", "")
	for _, c := range decodeJSON[struct{ Items []dirCenterView }](t, w).Items {
		if c.Code == code {
			return c.ID
		}
	}
	t.Fatalf("no centre %s in %s", code, w.Body.String())
	return ""
}

func TestETagRevalidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		first := e.do(t, "GET", "/api/v1/service-centers", "", "")
		etag := first.Header().Get("ETag")
		if first.Code != http.StatusOK || etag == "" {
			t.Fatalf("first GET: %d, ETag %q", first.Code, etag)
		}
		again := e.do(t, "GET", "/api/v1/service-centers", "", "", "If-None-Match", etag)
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("repeat with ETag: %d %q", again.Code, again.Body.String())
		}
		if w := e.do(t, "GET", "/api/v1/service-centers", "", "", "If-None-Match", `"other", W/`+etag); w.Code != http.StatusNotModified {
			t.Fatalf("weak tag in a list: %d", w.Code)
		}
		if w := e.do(t, "GET", "/api/v1/service-centers?lang=zh-CN", "", "", "If-None-Match", etag); w.Code != http.StatusOK {
			t.Fatalf("another language must not match: %d", w.Code)
		}
		// An officer changes Beijing's hours: the list changes, so must the tag.
		id := dirCenterID(t, e, "bj-andingmen")
		hours := `{"hours":[{"weekday":1,"opens":"09:00","closes":"12:00"},{"weekday":1,"opens":"13:00","closes":"17:00"}]}`
		if w := e.do(t, "PUT", "/api/v1/admin/service-centers/"+id+"/hours", "officer-token", hours); w.Code != http.StatusOK {
			t.Fatalf("set hours: %d %s", w.Code, w.Body.String())
		}
		after := e.do(t, "GET", "/api/v1/service-centers", "", "", "If-None-Match", etag)
		if after.Code != http.StatusOK || after.Header().Get("ETag") == etag {
			t.Fatalf("after a write: %d, ETag %q (was %q)", after.Code, after.Header().Get("ETag"), etag)
		}
		detail := e.do(t, "GET", "/api/v1/service-centers/"+id, "", "")
		d1 := detail.Header().Get("ETag")
		if w := e.do(t, "GET", "/api/v1/service-centers/"+id, "", "", "If-None-Match", d1); w.Code != http.StatusNotModified {
			t.Fatalf("detail revalidation: %d", w.Code)
		}
		e.clk.Set(dirMondayTen.Add(150 * time.Minute)) // 12:30: lunch break now
		if w := e.do(t, "GET", "/api/v1/service-centers/"+id, "", "", "If-None-Match", d1); w.Code != http.StatusOK {
			t.Fatalf("open-now changed, the tag must too: %d", w.Code)
		}
	})
}

func TestCenterDetailOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		id := dirCenterID(t, e, "sh-minsheng")
		w := e.do(t, "GET", "/api/v1/service-centers/"+id, "", "", "Accept-Language", "zh-CN")
		v := decodeJSON[dirCenterView](t, w)
		if w.Code != http.StatusOK || v.Address != "上海市浦东新区民生路1500号" || v.OpenNow == nil || !*v.OpenNow ||
			v.ClosesAt != "2026-11-23T17:00:00+08:00" || v.NextOpening != "2026-11-24T09:00:00+08:00" {
			t.Fatalf("detail: %d %+v", w.Code, v)
		}
		e.clk.Set(time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)) // National Day
		v = decodeJSON[dirCenterView](t, e.do(t, "GET", "/api/v1/service-centers/"+id, "", ""))
		if v.OpenNow == nil || *v.OpenNow || v.NextOpening != "2026-10-08T09:00:00+08:00" {
			t.Fatalf("on National Day: open=%v next=%s", v.OpenNow, v.NextOpening)
		}
		wantProblem(t, e.do(t, "GET", "/api/v1/service-centers/nope", "", ""), http.StatusNotFound, "service_center_not_found", "")
	})
}

func TestListCentersQueryProblems(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	tests := []struct {
		name, query, code, field string
		status                   int
	}{
		{"bad near", "near=abc", "invalid_near", "near", 400},
		{"radius without near", "radius_km=5", "radius_without_near", "radius_km", 422},
		{"unknown business", "business=tourism", "unknown_business", "business", 422},
		{"bad open_at", "open_at=tomorrow", "invalid_open_at", "open_at", 400},
		{"bad limit", "limit=1000", "invalid_limit", "limit", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.do(t, "GET", "/api/v1/service-centers?"+tt.query, "", ""), tt.status, tt.code, tt.field)
		})
	}
	// No shipped centre has sourced coordinates: a radius finds none, and
	// a plain near search lists them all, without distances.
	w := e.do(t, "GET", "/api/v1/service-centers?near=31.2,121.5&radius_km=50", "", "")
	if items := decodeJSON[struct{ Items []dirCenterView }](t, w).Items; len(items) != 0 {
		t.Fatalf("near Shanghai within 50 km: %s", w.Body.String())
	}
	w = e.do(t, "GET", "/api/v1/service-centers?near=31.2,121.5&city=上海", "", "")
	items := decodeJSON[struct{ Items []dirCenterView }](t, w).Items
	if len(items) != 2 || items[0].Code != "sh-minsheng" || items[1].Code != "sh-xuelin" ||
		items[0].DistanceKM != nil || items[1].DistanceKM != nil {
		t.Fatalf("near Shanghai, city=上海: %s", w.Body.String())
	}
}

func TestBusinessTypesAndCalendarOverHTTP(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	w := e.do(t, "GET", "/api/v1/business-types?limit=5&lang=zh-CN", "", "")
	page := decodeJSON[struct {
		Items      []businessTypeView
		NextCursor string `json:"next_cursor"`
	}](t, w)
	if len(page.Items) != 5 || page.Items[0].Name != "签证延期" || page.NextCursor == "" {
		t.Fatalf("business types: %s", w.Body.String())
	}
	w = e.do(t, "GET", "/api/v1/business-types?limit=100&cursor="+page.NextCursor, "", "")
	if n := len(decodeJSON[struct{ Items []businessTypeView }](t, w).Items); n != 12 {
		t.Fatalf("second page has %d", n)
	}
	w = e.do(t, "GET", "/api/v1/calendar-days?year=2027&limit=100", "", "")
	days := decodeJSON[struct{ Items []calendarDayView }](t, w).Items
	if len(days) != 13 || !days[0].Provisional {
		t.Fatalf("2027: %s", w.Body.String())
	}
	if w := e.do(t, "GET", "/api/v1/calendar-days?year=27", "", ""); w.Code != http.StatusBadRequest {
		t.Fatalf("bad year: %d", w.Code)
	}
}

func TestDirectoryAdminOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		body := `{"code":"demo-gz","name":{"en":"Demo centre (fictional)","zh-CN":"演示中心（虚构）"},
			"address":{"en":"1 Demo Road","zh-CN":"演示路1号"},"province":{"en":"Guangdong","zh-CN":"广东省"},
			"city":{"en":"Guangzhou","zh-CN":"广州市"},"latitude":23.13,"longitude":113.26,
			"businesses":["visa_extension"],"demo":true}`
		w := e.do(t, "POST", "/api/v1/admin/service-centers", "officer-token", body)
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		id := decodeJSON[dirCenterAdminView](t, w).ID
		closure := `{"date":"2026-11-24","reason":{"en":"Training","zh-CN":"培训"}}`
		if w := e.do(t, "POST", "/api/v1/admin/service-centers/"+id+"/closures", "officer-token", closure); w.Code != http.StatusCreated {
			t.Fatalf("closure: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(t, "DELETE", "/api/v1/admin/service-centers/"+id+"/closures/2026-11-24", "officer-token", ""); w.Code != http.StatusNoContent {
			t.Fatalf("remove closure: %d %s", w.Code, w.Body.String())
		}
		day := `{"kind":"makeup","name":{"en":"Make-up day","zh-CN":"调休上班"}}`
		if w := e.do(t, "PUT", "/api/v1/admin/calendar-days/2027-02-13", "officer-token", day); w.Code != http.StatusCreated {
			t.Fatalf("calendar day: %d %s", w.Code, w.Body.String())
		}
		if w := e.do(t, "DELETE", "/api/v1/admin/calendar-days/2027-02-13", "officer-token", ""); w.Code != http.StatusNoContent {
			t.Fatalf("delete calendar day: %d", w.Code)
		}
		if w := e.do(t, "DELETE", "/api/v1/admin/service-centers/"+id, "officer-token", ""); w.Code != http.StatusNoContent {
			t.Fatalf("delete: %d", w.Code)
		}
		events, _ := audit.List(db.Gorm, "service_center", id)
		if len(events) != 4 || events[0].ActorID != "acct-officer" || events[0].RequestID == "" {
			t.Fatalf("audit trail: %+v", events)
		}
	})
}

// dirCenterBody is a valid centre request but for its coordinates, which
// coords gives (JSON members, or nothing).
func dirCenterBody(coords string) string {
	return `{"code":"demo-sz","name":{"en":"Demo centre (fictional)","zh-CN":"演示中心（虚构）"},
		"address":{"en":"1 Demo Road","zh-CN":"演示路1号"},"province":{"en":"Guangdong","zh-CN":"广东省"},
		"city":{"en":"Shenzhen","zh-CN":"深圳市"},"businesses":["visa_extension"],"demo":true,` + coords + `}`
}

func TestDirectoryAdminRejections(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	id := dirCenterID(t, e, "bj-andingmen")
	hoursPath := "/api/v1/admin/service-centers/" + id + "/hours"
	tests := []struct {
		name, method, path, token, body string
		status                          int
		code, field                     string
	}{
		{"no token", "PUT", hoursPath, "", `{"hours":[]}`, 401, "unauthenticated", ""},
		{"bad token", "PUT", hoursPath, "forged", `{"hours":[]}`, 401, "invalid_token", ""},
		{"resident", "PUT", hoursPath, "resident-token", `{"hours":[]}`, 403, "forbidden", ""},
		{"unknown field", "PUT", hoursPath, "officer-token", `{"hours":[],"extra":1}`, 400, "unknown_field", "extra"},
		{"missing hours", "PUT", hoursPath, "officer-token", `{}`, 422, "missing_hours", "hours"},
		{"bad time", "PUT", hoursPath, "officer-token", `{"hours":[{"weekday":1,"opens":"9am","closes":"17:00"}]}`, 400, "invalid_time", "hours[0].opens"},
		{"bad weekday", "PUT", hoursPath, "officer-token", `{"hours":[{"weekday":9,"opens":"09:00","closes":"17:00"}]}`, 422, "invalid_weekday", "hours[0].weekday"},
		{"hours of unknown centre", "PUT", "/api/v1/admin/service-centers/nope/hours", "officer-token", `{"hours":[]}`, 404, "service_center_not_found", ""},
		{"centre without coordinates", "POST", "/api/v1/admin/service-centers", "officer-token", `{"code":"x1"}`, 422, "invalid_service_center", "city"},
		{"centre without latitude", "POST", "/api/v1/admin/service-centers", "officer-token", dirCenterBody(`"longitude":113.26`), 422, "invalid_service_center", "latitude"},
		{"centre with null longitude", "POST", "/api/v1/admin/service-centers", "officer-token", dirCenterBody(`"latitude":23.13,"longitude":null`), 422, "invalid_service_center", "longitude"},
		{"closure bad date", "POST", "/api/v1/admin/service-centers/" + id + "/closures", "officer-token", `{"date":"24/11/2026","reason":{"en":"a","zh-CN":"b"}}`, 400, "invalid_date", "date"},
		{"calendar bad date", "PUT", "/api/v1/admin/calendar-days/2026-02-30", "officer-token", `{"kind":"holiday","name":{"en":"a","zh-CN":"b"}}`, 400, "invalid_date", "date"},
		{"make-up on a weekday", "PUT", "/api/v1/admin/calendar-days/2026-11-25", "officer-token", `{"kind":"makeup","name":{"en":"a","zh-CN":"b"}}`, 422, "makeup_not_weekend", "date"},
		{"guideline for unknown business", "PUT", "/api/v1/admin/guidelines/tourism", "officer-token", `{"effective_from":"2026-12-01","summary":{"en":"a","zh-CN":"b"},"materials":[{"name":{"en":"a","zh-CN":"b"}}],"steps":[{"en":"a","zh-CN":"b"}],"methods":["in_person"],"processing_days":7}`, 404, "unknown_business", ""},
		{"guideline bad date", "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", `{"effective_from":"soon"}`, 400, "invalid_date", "effective_from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.do(t, tt.method, tt.path, tt.token, tt.body), tt.status, tt.code, tt.field)
		})
	}
	v := decodeJSON[dirCenterView](t, e.do(t, "GET", "/api/v1/service-centers/"+id, "", ""))
	if len(v.Hours[0].Periods) != 1 || v.Hours[0].Periods[0].Opens != "09:00" {
		t.Fatalf("a rejected request changed the hours: %+v", v.Hours[0])
	}
}

func TestGuidelineVersionsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		w := e.do(t, "GET", "/api/v1/guidelines?lang=zh-CN&limit=100", "", "")
		list := decodeJSON[struct{ Items []guidelineView }](t, w).Items
		if len(list) != 17 || list[0].BusinessName != "签证延期" || list[0].Fees[0].AmountYuan != 160 {
			t.Fatalf("guidelines: %s", w.Body.String())
		}
		update := `{"effective_from":"2026-12-01","summary":{"en":"New rules.","zh-CN":"新规定。"},
			"materials":[{"name":{"en":"Passport","zh-CN":"护照"},"note":{"en":"","zh-CN":""}}],
			"requirements":[],"steps":[{"en":"Apply.","zh-CN":"申请。"}],"methods":["in_person","online_appointment"],
			"processing_days":7,"fees":[{"item":{"en":"Fee","zh-CN":"费用"},"amount_yuan":160,"source":{"url":"https://example.gov.cn/fees.html","seen":"2026-12-06"},"condition":{"en":"","zh-CN":""}}],"deadlines":[]}`
		w = e.do(t, "PUT", "/api/v1/admin/guidelines/visa_extension", "officer-token", update)
		if w.Code != http.StatusCreated || decodeJSON[guidelineAdminView](t, w).Version != 2 {
			t.Fatalf("publish: %d %s", w.Code, w.Body.String())
		}
		if v := decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/visa_extension", "", "")); v.Version != 1 {
			t.Fatalf("before 1 December v1 stays in force, got v%d", v.Version)
		}
		if v := decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/visa_extension?on=2026-12-01", "", "")); v.Version != 2 || len(v.Steps) != 1 || v.Steps[0] != "Apply." {
			t.Fatalf("on 1 December: %+v", v)
		}
		hist := decodeJSON[struct{ Items []guidelineView }](t, e.do(t, "GET", "/api/v1/guidelines/visa_extension/versions", "", "")).Items
		if len(hist) != 2 || hist[0].Version != 2 || hist[1].Version != 1 {
			t.Fatalf("history: %+v", hist)
		}
		if v := decodeJSON[guidelineView](t, e.do(t, "GET", "/api/v1/guidelines/visa_extension/versions/1", "", "")); v.Version != 1 || len(v.Steps) < 2 || v.Steps[0] == "Apply." {
			t.Fatalf("v1 not readable: %+v", v)
		}
		if w := e.do(t, "GET", "/api/v1/guidelines/visa_extension/versions/0", "", ""); w.Code != http.StatusBadRequest {
			t.Fatalf("version 0: %d", w.Code)
		}
	})
}

func TestDirectoryRoutesWithoutServices(t *testing.T) {
	_, h := newTestServer(t, Deps{Clock: clock.NewFake(dirMondayTen)})
	for path, code := range map[string]string{
		"/api/v1/service-centers": "directory_unavailable",
		"/api/v1/guidelines":      "guidelines_unavailable",
	} {
		wantProblem(t, do(t, h, "GET", path, nil), http.StatusServiceUnavailable, code, "")
	}
}

func FuzzETagMatches(f *testing.F) {
	for _, s := range []string{`"abc"`, `W/"abc"`, `*`, `"x", "abc"`, ``, `,,,`, `W/`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		got := etagMatches(header, `"abc"`)
		if !strings.Contains(header, `"abc"`) && !strings.Contains(header, "*") && got {
			t.Fatalf("%q matched without the tag", header)
		}
	})
}
