package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// A visitor must be able to tell "not known" from "none": a hall whose
// hours nobody published is not closed, and one no map places is not at
// 0,0 in the Gulf of Guinea.

func TestCentreShowsUnknownFactsAsUnknown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		id := dirCenterID(t, e, "gy-exit-entry") // only the bureau's name is sourced
		w := e.do(t, "GET", "/api/v1/service-centers/"+id, "", "")
		body := w.Body.String()
		for _, want := range []string{`"location":null`, `"open_now":null`, `"hours":[]`,
			`"unknown":["address","hours","businesses","location"]`} {
			if !strings.Contains(body, want) {
				t.Fatalf("Guiyang lacks %s: %s", want, body)
			}
		}
		v := decodeJSON[dirCenterView](t, w)
		if v.UnknownNote != "No public source we rely on gives this centre's address, opening hours, the businesses it handles and position on a map. Please call 12367 or ask the centre before you go." ||
			v.ClosesAt != "" || v.NextOpening != "" || strings.Join(v.Phones, ",") != "0851-12367" {
			t.Fatalf("Guiyang in English: %+v", v)
		}
		if len(v.Sources) != 2 || v.Sources[0].URL != "http://en.www.guiyang.gov.cn/c5341/20190408/i2082228.html" ||
			v.Sources[0].Seen != "2026-12-06" || strings.Join(v.Sources[0].Facts, ",") != "name" || len(v.Translated) != 0 {
			t.Fatalf("Guiyang sources in English: %+v %v", v.Sources, v.Translated)
		}
		zh := decodeJSON[dirCenterView](t, e.do(t, "GET", "/api/v1/service-centers/"+id, "", "", "Accept-Language", "zh-CN"))
		if zh.UnknownNote != "本名录所依据的公开资料未载明该服务中心的地址、办公时间、受理业务、地图位置。前往前请拨打12367或向该中心咨询。" ||
			strings.Join(zh.Translated, ",") != "name" || zh.Name != "贵阳市公安局出入境管理分局" {
			t.Fatalf("Guiyang in Chinese: note %q, translated %v, name %q", zh.UnknownNote, zh.Translated, zh.Name)
		}
	})
}

func TestCentreWithKnownHoursSaysWhetherItIsOpen(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	w := e.do(t, "GET", "/api/v1/service-centers/"+dirCenterID(t, e, "bj-andingmen"), "", "")
	v := decodeJSON[dirCenterView](t, w)
	if v.OpenNow == nil || !*v.OpenNow || len(v.Hours) != 7 || v.Location != nil ||
		strings.Join(v.Unknown, ",") != "location" || !strings.Contains(v.UnknownNote, "position on a map") {
		t.Fatalf("Beijing: %s", w.Body.String())
	}
	// Closed on a Sunday is a fact, not an unknown.
	e.clk.Set(dirMondayTen.Add(-24 * time.Hour))
	v = decodeJSON[dirCenterView](t, e.do(t, "GET", "/api/v1/service-centers/"+v.ID, "", ""))
	if v.OpenNow == nil || *v.OpenNow || v.NextOpening != "2026-11-23T09:00:00+08:00" {
		t.Fatalf("Beijing on Sunday: open=%v next=%s", v.OpenNow, v.NextOpening)
	}
}

func TestOpenAtNeverMatchesUnknownHours(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	w := e.do(t, "GET", "/api/v1/service-centers?limit=100&open_at=2026-11-23T10:00:00%2B08:00", "", "")
	for _, c := range decodeJSON[struct{ Items []dirCenterView }](t, w).Items {
		if c.OpenNow == nil || len(c.Hours) == 0 {
			t.Fatalf("%s has unknown hours but matched open_at", c.Code)
		}
	}
}

func TestOfficerSourcesReachThePublicAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newDirectoryEnv(t, db)
		body := `{"code":"demo-sz","name":{"en":"Demo hall (fictional)","zh-CN":"演示大厅（虚构）"},
			"address":{"en":"1 Demo Road","zh-CN":"演示路1号"},"province":{"en":"Guangdong","zh-CN":"广东省"},
			"city":{"en":"Shenzhen","zh-CN":"深圳市"},"phones":["0755-12367"],"demo":true,
			"sources":[{"url":"https://example.gov.cn/hall","seen":"2026-12-01","facts":["name","address","phones"]}],
			"translated":["address.en"]}`
		w := e.do(t, "POST", "/api/v1/admin/service-centers", "officer-token", body)
		admin := decodeJSON[dirCenterAdminView](t, w)
		if w.Code != http.StatusCreated || len(admin.Sources) != 1 || admin.Latitude != nil ||
			strings.Join(admin.Translated, ",") != "address.en" || !strings.Contains(w.Body.String(), `"latitude":null`) {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		v := decodeJSON[dirCenterView](t, e.do(t, "GET", "/api/v1/service-centers/"+admin.ID, "", ""))
		if len(v.Sources) != 1 || v.Sources[0].URL != "https://example.gov.cn/hall" || strings.Join(v.Translated, ",") != "address" ||
			strings.Join(v.Unknown, ",") != "hours,businesses,location" {
			t.Fatalf("public view: %+v", v)
		}
	})
}

func TestOfficerSourceRejections(t *testing.T) {
	e := newDirectoryEnv(t, dbtest.SQLite(t))
	centre := func(extra string) string {
		return `{"code":"demo-bad","name":{"en":"Demo","zh-CN":"演示"},"province":{"en":"Guangdong","zh-CN":"广东省"},
			"city":{"en":"Shenzhen","zh-CN":"深圳市"},` + extra + `}`
	}
	tests := []struct{ name, extra, field string }{
		{"source-url-not-http", `"sources":[{"url":"file:///etc/passwd","seen":"2026-12-01","facts":["name"]}]`, "sources[0].url"},
		{"source-without-date", `"sources":[{"url":"https://example.gov.cn/a","facts":["name"]}]`, "sources[0].seen"},
		{"source-without-facts", `"sources":[{"url":"https://example.gov.cn/a","seen":"2026-12-01","facts":[]}]`, "sources[0].facts"},
		{"source-unknown-fact", `"sources":[{"url":"https://example.gov.cn/a","seen":"2026-12-01","facts":["opinion"]}]`, "sources[0].facts"},
		{"translated-unknown-text", `"translated":["note.en"]`, "translated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, e.do(t, "POST", "/api/v1/admin/service-centers", "officer-token", centre(tt.extra)),
				http.StatusUnprocessableEntity, "invalid_service_center", tt.field)
		})
	}
	t.Run("source-unknown-field", func(t *testing.T) {
		extra := `"sources":[{"url":"https://example.gov.cn/a","seen":"2026-12-01","facts":["name"],"trust":5}]`
		wantProblem(t, e.do(t, "POST", "/api/v1/admin/service-centers", "officer-token", centre(extra)),
			http.StatusBadRequest, "unknown_field", "trust")
	})
	w := e.do(t, "GET", "/api/v1/service-centers?limit=100", "", "")
	if strings.Contains(w.Body.String(), "demo-bad") {
		t.Fatal("a rejected centre was stored")
	}
}
