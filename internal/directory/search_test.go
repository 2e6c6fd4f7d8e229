package directory

import (
	"math"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// fixtureCenters: Beijing and Shanghai open Mon–Sat 09:00–17:00 and handle
// everything; a demo Guangzhou centre has a lunch break and only visas.
func fixtureCenters(t testing.TB) []*Center {
	allDay := [][2]string{{"09:00", "17:00"}}
	full := mustWeek(t, map[int][][2]string{1: allDay, 2: allDay, 3: allDay, 4: allDay, 5: allDay, 6: allDay})
	var codes []string
	for _, b := range business.All() {
		codes = append(codes, b.Code)
	}
	return []*Center{
		{ID: "c-sh", Hours: full, Particulars: Particulars{Code: "sh-minsheng", Name: i18n.T("Shanghai hall", "上海大厅"),
			Province: i18n.T("Shanghai", "上海市"), City: i18n.T("Shanghai", "上海市"), Latitude: 31.2238, Longitude: 121.5446, Businesses: codes}},
		{ID: "c-bj", Hours: full, Particulars: Particulars{Code: "bj-andingmen", Name: i18n.T("Beijing hall", "北京大厅"),
			Province: i18n.T("Beijing", "北京市"), City: i18n.T("Beijing", "北京市"), Latitude: 39.9483, Longitude: 116.4228, Businesses: codes}},
		{ID: "c-gz", Hours: lunchBreakWeek(t), Particulars: Particulars{Code: "demo-gz", Name: i18n.T("Demo centre (fictional)", "演示中心（虚构）"),
			Province: i18n.T("Guangdong", "广东省"), City: i18n.T("Guangzhou", "广州市"), Latitude: 23.1291, Longitude: 113.2644, Demo: true,
			Businesses: []string{business.VisaExtension}}},
	}
}

func codesOf(ms []Match) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Center.Code)
	}
	return strings.Join(out, ",")
}

func TestSearchFilters(t *testing.T) {
	centers := fixtureCenters(t)
	cal := calendar.New(nil, nil)
	now := shanghai(t, "2026-11-23 10:00")
	tests := []struct {
		name string
		raw  RawQuery
		want string
	}{
		{"everything by code", RawQuery{}, "bj-andingmen,demo-gz,sh-minsheng"},
		{"province in English, any case", RawQuery{Province: "beijing"}, "bj-andingmen"},
		{"province in Chinese", RawQuery{Province: "广东省"}, "demo-gz"},
		{"city", RawQuery{City: "Shanghai"}, "sh-minsheng"},
		{"province and city disagree", RawQuery{Province: "Beijing", City: "Shanghai"}, ""},
		{"unknown province", RawQuery{Province: "Atlantis"}, ""},
		{"business handled by all", RawQuery{Business: business.VisaExtension}, "bj-andingmen,demo-gz,sh-minsheng"},
		{"business not handled by demo", RawQuery{Business: business.FPRApplication}, "bj-andingmen,sh-minsheng"},
		{"open_at in lunch break", RawQuery{OpenAt: "2026-11-23T12:30:00+08:00"}, "bj-andingmen,sh-minsheng"},
		{"open_at in UTC on Sunday", RawQuery{OpenAt: "2026-11-29T02:00:00Z"}, ""},
		{"open_at Saturday afternoon", RawQuery{OpenAt: "2026-11-28T15:00:00+08:00"}, "bj-andingmen,sh-minsheng"},
		{"near Tianjin sorted by distance", RawQuery{Near: "39.0842,117.2009"}, "bj-andingmen,sh-minsheng,demo-gz"},
		{"near Hangzhou sorted by distance", RawQuery{Near: "30.2741,120.1551"}, "sh-minsheng,demo-gz,bj-andingmen"},
		{"near Shenzhen", RawQuery{Near: "22.5431,114.0579"}, "demo-gz,sh-minsheng,bj-andingmen"},
		{"radius keeps only the close one", RawQuery{Near: "39.0842,117.2009", RadiusKM: "200"}, "bj-andingmen"},
		{"radius reaches nothing", RawQuery{Near: "0,0", RadiusKM: "100"}, ""},
		{"near combined with business", RawQuery{Near: "22.5431,114.0579", Business: business.FPRRenewal}, "sh-minsheng,bj-andingmen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			page := search(centers, cal, clock.Shanghai(), q, now)
			if got := codesOf(page.Items); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			if page.NextCursor != "" {
				t.Fatalf("unexpected next cursor")
			}
		})
	}
}

func TestSearchDistanceAndStatus(t *testing.T) {
	q, _ := ParseQuery(RawQuery{Near: "39.9483,116.4228"})
	page := search(fixtureCenters(t), calendar.New(nil, nil), clock.Shanghai(), q, shanghai(t, "2026-11-23 12:30"))
	bj := page.Items[0]
	if bj.DistanceKM == nil || *bj.DistanceKM > 0.001 {
		t.Fatalf("distance to itself: %v", bj.DistanceKM)
	}
	if !bj.Status.OpenNow {
		t.Fatal("Beijing is open at 12:30 on a Monday")
	}
	if gz := page.Items[2]; gz.Center.Code != "demo-gz" || gz.Status.OpenNow {
		t.Fatal("the demo centre is at lunch")
	}
}

func TestSearchPages(t *testing.T) {
	centers := fixtureCenters(t)
	cal := calendar.New(nil, nil)
	now := shanghai(t, "2026-11-23 10:00")
	for _, near := range []string{"", "22.5431,114.0579"} {
		var seen []string
		raw := RawQuery{Limit: "1", Near: near}
		for i := 0; i < 5; i++ {
			q, err := ParseQuery(raw)
			if err != nil {
				t.Fatal(err)
			}
			page := search(centers, cal, clock.Shanghai(), q, now)
			seen = append(seen, codesOf(page.Items))
			if page.NextCursor == "" {
				break
			}
			raw.Cursor = page.NextCursor
		}
		want := map[string]string{"": "bj-andingmen,demo-gz,sh-minsheng", "22.5431,114.0579": "demo-gz,sh-minsheng,bj-andingmen"}[near]
		if got := strings.Join(seen, ","); got != want {
			t.Errorf("near %q: pages %q, want %q", near, got, want)
		}
	}
}

func TestDistanceKM(t *testing.T) {
	bj, sh := LatLng{39.9483, 116.4228}, LatLng{31.2238, 121.5446}
	// Beijing–Shanghai great-circle distance is about 1,070 km.
	if d := DistanceKM(bj, sh); math.Abs(d-1070) > 15 {
		t.Fatalf("Beijing–Shanghai %.1f km", d)
	}
	if d := DistanceKM(LatLng{0, 179.9}, LatLng{0, -179.9}); d > 23 {
		t.Fatalf("across the antimeridian %.1f km", d)
	}
	if d := DistanceKM(LatLng{90, 0}, LatLng{-90, 0}); math.Abs(d-math.Pi*6371.0088) > 0.01 {
		t.Fatalf("pole to pole %.1f km", d)
	}
}

func TestParseQueryRejects(t *testing.T) {
	tests := []struct {
		name        string
		raw         RawQuery
		code, field string
	}{
		{"limit zero", RawQuery{Limit: "0"}, "invalid_limit", "limit"},
		{"limit too big", RawQuery{Limit: "101"}, "invalid_limit", "limit"},
		{"bad cursor", RawQuery{Cursor: "!!"}, "invalid_cursor", "cursor"},
		{"province too long", RawQuery{Province: strings.Repeat("x", 65)}, "invalid_place", "province"},
		{"city too long", RawQuery{City: strings.Repeat("x", 65)}, "invalid_place", "city"},
		{"unknown business", RawQuery{Business: "tourism"}, "unknown_business", "business"},
		{"open_at not RFC 3339", RawQuery{OpenAt: "2026-11-23 10:00"}, "invalid_open_at", "open_at"},
		{"open_at without zone", RawQuery{OpenAt: "2026-11-23T10:00:00"}, "invalid_open_at", "open_at"},
		{"near without comma", RawQuery{Near: "39.9"}, "invalid_near", "near"},
		{"near not numbers", RawQuery{Near: "north,east"}, "invalid_near", "near"},
		{"near latitude out of range", RawQuery{Near: "91,116"}, "invalid_near", "near"},
		{"near longitude out of range", RawQuery{Near: "39,181"}, "invalid_near", "near"},
		{"near NaN", RawQuery{Near: "NaN,116"}, "invalid_near", "near"},
		{"radius without near", RawQuery{RadiusKM: "10"}, "radius_without_near", "radius_km"},
		{"radius zero", RawQuery{Near: "39,116", RadiusKM: "0"}, "invalid_radius", "radius_km"},
		{"radius negative", RawQuery{Near: "39,116", RadiusKM: "-5"}, "invalid_radius", "radius_km"},
		{"radius too big", RawQuery{Near: "39,116", RadiusKM: "5001"}, "invalid_radius", "radius_km"},
		{"radius not a number", RawQuery{Near: "39,116", RadiusKM: "ten"}, "invalid_radius", "radius_km"},
		{"radius infinite", RawQuery{Near: "39,116", RadiusKM: "Inf"}, "invalid_radius", "radius_km"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery(tt.raw)
			assertErr(t, err, tt.code, tt.field)
		})
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("Beijing", "", "visa_extension", "2026-11-23T10:00:00+08:00", "39.9,116.4", "50", "10", "")
	f.Add("", "上海市", "", "", "", "", "", "YWJj")
	f.Add("", "", "x", "bad", "1,2,3", "-1", "abc", "!!")
	centers := fixtureCenters(f)
	cal := calendar.New(nil, nil)
	now := shanghai(f, "2026-11-23 10:00")
	f.Fuzz(func(t *testing.T, province, city, biz, openAt, near, radius, limit, cursor string) {
		q, err := ParseQuery(RawQuery{province, city, biz, openAt, near, radius, limit, cursor})
		if err != nil {
			return
		}
		page := search(centers, cal, clock.Shanghai(), q, now)
		if len(page.Items) > q.Page.Limit {
			t.Fatalf("page of %d over limit %d", len(page.Items), q.Page.Limit)
		}
		for _, m := range page.Items {
			if q.RadiusKM > 0 && *m.DistanceKM > q.RadiusKM {
				t.Fatalf("%s outside the radius", m.Center.Code)
			}
		}
	})
}
