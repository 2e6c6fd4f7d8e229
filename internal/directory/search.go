package directory

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// MaxRadiusKM bounds radius_km: nothing in China is farther apart.
const MaxRadiusKM = 5000

// LatLng is a WGS 84 position in degrees.
type LatLng struct {
	Lat, Lng float64
}

// RawQuery is the search as it arrives, every field a string.
type RawQuery struct {
	Province, City, Business, OpenAt, Near, RadiusKM, Limit, Cursor string
}

// Query is a validated centre search.
type Query struct {
	Province string // matches the English (any case) or Chinese name
	City     string
	Business string
	OpenAt   *time.Time
	Near     *LatLng
	RadiusKM float64 // 0: no limit; only with Near
	Page     paging.Request
}

// Match is one centre found, with its distance when the search was near a
// point, and its status at the search instant.
type Match struct {
	Center     Center
	DistanceKM *float64
	Status     Status
}

// ParseQuery validates a raw search; errors name the parameter at fault.
func ParseQuery(r RawQuery) (Query, error) {
	var q Query
	var err error
	if q.Page, err = paging.Parse(r.Limit, r.Cursor); err != nil {
		return q, err
	}
	q.Province, q.City = strings.TrimSpace(r.Province), strings.TrimSpace(r.City)
	if len(q.Province) > 64 || len(q.City) > 64 {
		return q, apperr.Malformed("invalid_place", placeField(q.Province),
			i18n.T("province and city are at most 64 characters.", "省份和城市最多 64 个字符。"))
	}
	if r.Business != "" {
		if !business.Valid(r.Business) {
			return q, apperr.Invalid("unknown_business", "business",
				i18n.T("business is not a known business type code; see /api/v1/business-types.", "不是已知的业务类型，请参阅 /api/v1/business-types。"))
		}
		q.Business = r.Business
	}
	if r.OpenAt != "" {
		t, err := time.Parse(time.RFC3339, r.OpenAt)
		if err != nil {
			return q, apperr.Malformed("invalid_open_at", "open_at",
				i18n.T("open_at must be an RFC 3339 time, e.g. 2026-11-27T10:00:00+08:00.", "开放时刻必须是 RFC 3339 格式的时间，例如 2026-11-27T10:00:00+08:00。"))
		}
		q.OpenAt = &t
	}
	if r.Near != "" {
		p, err := parseLatLng(r.Near)
		if err != nil {
			return q, apperr.Malformed("invalid_near", "near",
				i18n.T("near must be latitude,longitude in degrees, e.g. 39.95,116.42.", "中心位置须为“纬度,经度”（度），例如 39.95,116.42。"))
		}
		q.Near = &p
	}
	if r.RadiusKM != "" {
		if q.RadiusKM, err = parseRadius(r.RadiusKM, q.Near != nil); err != nil {
			return q, err
		}
	}
	return q, nil
}

func placeField(province string) string {
	if len(province) > 64 {
		return "province"
	}
	return "city"
}

func parseLatLng(s string) (LatLng, error) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return LatLng{}, fmt.Errorf("directory: no comma")
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lng, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || !(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180) {
		return LatLng{}, fmt.Errorf("directory: not a position")
	}
	return LatLng{lat, lng}, nil
}

func parseRadius(s string, haveNear bool) (float64, error) {
	if !haveNear {
		return 0, apperr.Invalid("radius_without_near", "radius_km",
			i18n.T("radius_km needs near.", "指定搜索半径时须同时提供中心位置。"))
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || !(r > 0 && r <= MaxRadiusKM) {
		return 0, apperr.Malformed("invalid_radius", "radius_km",
			i18n.T("radius_km must be a number above 0 and at most 5000.", "搜索半径（公里）必须大于 0 且不超过 5000。"))
	}
	return r, nil
}

// DistanceKM is the great-circle (haversine) distance between two points on
// a sphere of the Earth's mean radius; within 0.5% of the ellipsoid, which
// is plenty for "nearest centre".
func DistanceKM(a, b LatLng) float64 {
	const earthRadiusKM = 6371.0088
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// search filters and sorts centres: by distance (then code) near a point,
// by code otherwise. The page key makes the cursor stable under either
// order; distances are zero-padded so they compare as strings. Only the
// centres on the page are copied and given their opening status.
func search(centers []*Center, cal *calendar.Calendar, loc *time.Location, q Query, now time.Time) paging.Page[Match] {
	type keyed struct {
		c    *Center
		dist *float64
		key  string
	}
	var found []keyed
	for _, c := range centers {
		if !matchesPlace(c, q) || (q.Business != "" && !c.Handles(q.Business)) {
			continue
		}
		if q.OpenAt != nil && !c.StatusAt(cal, loc, *q.OpenAt).OpenNow {
			continue
		}
		k := keyed{c: c, key: c.Code}
		if q.Near != nil && !c.Located() {
			// No known position: listed after every located centre, never
			// within a radius.
			if q.RadiusKM > 0 {
				continue
			}
			k.key = "~|" + c.Code
		} else if q.Near != nil {
			d := DistanceKM(*q.Near, LatLng{c.Latitude, c.Longitude})
			if q.RadiusKM > 0 && d > q.RadiusKM {
				continue
			}
			k.dist, k.key = &d, fmt.Sprintf("%012.4f|%s", d, c.Code)
		}
		if q.Page.After != "" && k.key <= q.Page.After {
			continue
		}
		found = append(found, k)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].key < found[j].key })
	if len(found) > q.Page.Limit+1 {
		found = found[:q.Page.Limit+1]
	}
	page := paging.Build(found, q.Page.Limit, func(k keyed) string { return k.key })
	return paging.Map(page, func(k keyed) Match {
		return Match{Center: k.c.clone(), Status: k.c.StatusAt(cal, loc, now), DistanceKM: k.dist}
	})
}

func matchesPlace(c *Center, q Query) bool {
	return placeIs(c.Province, q.Province) && placeIs(c.City, q.City)
}

// placeIs matches a filter against either language; an empty filter
// matches everything. The administrative suffix may be left off either
// side, so city=上海 finds 上海市 and province=Guangdong finds 广东省's
// "Guangdong".
func placeIs(t i18n.Text, want string) bool {
	if want == "" || strings.EqualFold(t.En, want) || t.Zh == want {
		return true
	}
	w := strings.TrimSpace(want)
	return strings.EqualFold(trimPlaceEn(t.En), trimPlaceEn(w)) || trimPlaceZh(t.Zh) == trimPlaceZh(w) && trimPlaceZh(w) != ""
}

var zhPlaceSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"}

func trimPlaceZh(s string) string {
	for _, suf := range zhPlaceSuffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return strings.TrimSuffix(s, suf)
		}
	}
	return s
}

func trimPlaceEn(s string) string {
	l := strings.ToLower(s)
	for _, suf := range []string{" zhuang autonomous region", " uygur autonomous region", " hui autonomous region", " autonomous region", " province", " city", " municipality"} {
		if strings.HasSuffix(l, suf) && len(l) > len(suf) {
			return l[:len(l)-len(suf)]
		}
	}
	return l
}
