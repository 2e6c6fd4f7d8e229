package directory

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The shipped directory is reference data a visitor acts on: every centre
// must say where each of its facts comes from, and every fact must be in a
// form a visitor can use.

// shippedPhone is a mainland number with its area code (010 and 02x have
// three digits, the others four), then 12367 or a local number of 7 or 8
// digits, then an optional extension.
var shippedPhone = regexp.MustCompile(`^(0[12][0-9]|0[3-9][0-9]{2})-(12367|[2-9][0-9]{6,7})(-[0-9]{1,4})?$`)

func shippedCenters(t *testing.T) []refCenter {
	t.Helper()
	var cf centerFile
	if err := readRef("refdata/centers.json", &cf); err != nil {
		t.Fatal(err)
	}
	return cf.Centers
}

func TestEveryShippedCentreIsSourcedAndWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, rc := range shippedCenters(t) {
		t.Run(rc.Code, func(t *testing.T) {
			if seen[rc.Code] {
				t.Fatalf("code %s twice", rc.Code)
			}
			seen[rc.Code] = true
			if err := rc.input().Validate(); err != nil {
				t.Fatalf("does not validate: %v", err)
			}
			if _, err := rc.week(); err != nil {
				t.Fatalf("hours: %v", err)
			}
			for _, p := range rc.Hours {
				if len(p.Weekdays) == 0 {
					t.Errorf("an opening period %s-%s on no weekday", p.Opens, p.Closes)
				}
			}
			for _, err := range refCenterErrors(rc, time.Now()) {
				t.Error(err)
			}
		})
	}
}

// refCenterErrors lists what is wrong with one centre of the data file.
func refCenterErrors(rc refCenter, now time.Time) []error {
	var errs []error
	claimed := map[string]bool{}
	if len(rc.Sources) == 0 {
		errs = append(errs, fmt.Errorf("no source"))
	}
	for i, s := range rc.Sources {
		errs = append(errs, refSourceErrors(i, s, now)...)
		for _, f := range s.Facts {
			claimed[f] = true
		}
	}
	for _, fact := range presentFacts(rc) {
		if !claimed[fact] {
			errs = append(errs, fmt.Errorf("%s is given but no source states it", fact))
		}
	}
	errs = append(errs, phoneErrors(rc.Phones)...)
	errs = append(errs, textErrors(rc)...)
	return append(errs, refTranslatedErrors(rc)...)
}

func refSourceErrors(i int, s centerSource, now time.Time) []error {
	var errs []error
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("sources[%d].url %q is not an http(s) URL", i, s.URL))
	}
	d, err := calendar.ParseDate(s.Seen)
	if err != nil || d.Year < 2020 || calendar.LocalDate(now).Before(d) {
		errs = append(errs, fmt.Errorf("sources[%d].seen %q is not a past date", i, s.Seen))
	}
	if len(s.Facts) == 0 {
		errs = append(errs, fmt.Errorf("sources[%d] states no fact", i))
	}
	for _, f := range s.Facts {
		if !isFact(f) {
			errs = append(errs, fmt.Errorf("sources[%d] names an unknown fact %q", i, f))
		}
	}
	return errs
}

// presentFacts lists the facts a centre gives, each of which needs a source.
func presentFacts(rc refCenter) []string {
	facts := []string{"name"}
	if rc.Address.En != "" || rc.District.En != "" {
		facts = append(facts, "address")
	}
	if len(rc.Phones) > 0 {
		facts = append(facts, "phones")
	}
	if len(rc.Hours) > 0 {
		facts = append(facts, "hours")
	}
	if len(rc.Businesses) > 0 {
		facts = append(facts, "businesses")
	}
	if rc.Latitude != 0 || rc.Longitude != 0 {
		facts = append(facts, "location")
	}
	return facts
}

func phoneErrors(phones []string) []error {
	var errs []error
	dup := map[string]bool{}
	for _, p := range phones {
		if !shippedPhone.MatchString(p) {
			errs = append(errs, fmt.Errorf("phone %q is not an area code and a number (e.g. 010-84020101 or 0311-12367)", p))
		}
		if dup[p] {
			errs = append(errs, fmt.Errorf("phone %q twice", p))
		}
		dup[p] = true
	}
	return errs
}

// textErrors checks that every text is given in both languages or in
// neither, and that no Chinese stands in for an English text.
func textErrors(rc refCenter) []error {
	var errs []error
	texts := map[string]i18n.Text{"name": rc.Name, "address": rc.Address, "province": rc.Province,
		"city": rc.City, "district": rc.District, "note": rc.Note}
	for field, txt := range texts {
		if (strings.TrimSpace(txt.En) == "") != (strings.TrimSpace(txt.Zh) == "") {
			errs = append(errs, fmt.Errorf("%s is given in one language only", field))
		}
		if strings.ContainsFunc(txt.En, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			errs = append(errs, fmt.Errorf("%s.en %q holds Chinese characters", field, txt.En))
		}
	}
	for field, txt := range map[string]i18n.Text{"name": rc.Name, "province": rc.Province, "city": rc.City} {
		if txt.En == "" {
			errs = append(errs, fmt.Errorf("%s is empty", field))
		}
	}
	return errs
}

// refTranslatedErrors checks the list of texts rendered from another
// language: each names a text that exists.
func refTranslatedErrors(rc refCenter) []error {
	var errs []error
	texts := map[string]i18n.Text{"name": rc.Name, "address": rc.Address}
	done := map[string]bool{}
	for _, tr := range rc.Translated {
		field, lang, ok := strings.Cut(tr, ".")
		txt, known := texts[field]
		switch {
		case !ok || !known || (lang != "en" && lang != "zh-CN"):
			errs = append(errs, fmt.Errorf("translated %q is not name or address with .en or .zh-CN", tr))
		case txt.En == "":
			errs = append(errs, fmt.Errorf("translated %q names an empty text", tr))
		case done[tr]:
			errs = append(errs, fmt.Errorf("translated %q twice", tr))
		}
		done[tr] = true
	}
	// An address may be rendered in both languages from a third (one
	// source is in Korean); a name must be the one some source uses.
	if done["name.en"] && done["name.zh-CN"] {
		errs = append(errs, fmt.Errorf("both languages of the name are renderings; one must be a source's"))
	}
	return errs
}

// capitals are the seats of government of the provincial-level regions.
var capitals = []string{"北京市", "天津市", "上海市", "重庆市", "石家庄市", "太原市", "呼和浩特市", "沈阳市",
	"长春市", "哈尔滨市", "南京市", "杭州市", "合肥市", "福州市", "南昌市", "济南市", "郑州市", "武汉市",
	"长沙市", "广州市", "南宁市", "海口市", "成都市", "贵阳市", "昆明市", "拉萨市", "西安市", "兰州市",
	"西宁市", "银川市", "乌鲁木齐市"}

// noSourceYet are capitals for which no public source found names a hall or
// the bureau; when one is found and added, take the city off this list.
var noSourceYet = map[string]bool{"拉萨市": true, "乌鲁木齐市": true}

func TestShippedDirectoryCoversTheCapitals(t *testing.T) {
	centers := shippedCenters(t)
	if len(centers) < 31 {
		t.Fatalf("%d centres shipped, want at least 31", len(centers))
	}
	byCity := map[string]int{}
	for _, rc := range centers {
		byCity[rc.City.Zh]++
	}
	for _, city := range capitals {
		switch n := byCity[city]; {
		case noSourceYet[city] && n > 0:
			t.Errorf("%s now has a centre: take it off noSourceYet", city)
		case !noSourceYet[city] && n == 0:
			t.Errorf("no centre in %s", city)
		}
	}
}

func TestRefCenterErrorsCatchesEachFault(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	good := func() refCenter {
		return refCenter{Particulars: Particulars{Code: "xx-test", Name: i18n.T("Test hall", "测试大厅"), Address: i18n.T("1 Test Road", "测试路1号"),
			Province: i18n.T("Hebei", "河北省"), City: i18n.T("Shijiazhuang", "石家庄市"), Phones: []string{"0311-12367"},
			Sources:    []centerSource{{URL: "https://example.gov.cn/a", Seen: "2026-12-01", Facts: []string{"name", "address", "phones"}}},
			Translated: []string{"address.en"}}}
	}
	if errs := refCenterErrors(good(), now); len(errs) != 0 {
		t.Fatalf("a good centre: %v", errs)
	}
	tests := []struct {
		name  string
		spoil func(*refCenter)
		want  string
	}{
		{"no-source", func(c *refCenter) { c.Sources = nil }, "no source"},
		{"bad-url", func(c *refCenter) { c.Sources[0].URL = "example.gov.cn/a" }, "not an http(s) URL"},
		{"ftp-url", func(c *refCenter) { c.Sources[0].URL = "ftp://example.gov.cn/a" }, "not an http(s) URL"},
		{"no-seen", func(c *refCenter) { c.Sources[0].Seen = "" }, "not a past date"},
		{"seen-in-future", func(c *refCenter) { c.Sources[0].Seen = "2027-01-01" }, "not a past date"},
		{"no-facts", func(c *refCenter) { c.Sources[0].Facts = nil }, "states no fact"},
		{"unknown-fact", func(c *refCenter) { c.Sources[0].Facts = append(c.Sources[0].Facts, "mood") }, "unknown fact"},
		{"unsourced-hours", func(c *refCenter) { c.Hours = []refPeriod{{Weekdays: []int{1}, Opens: "09:00", Closes: "17:00"}} }, "hours is given"},
		{"unsourced-location", func(c *refCenter) { c.Latitude, c.Longitude = 38.0, 114.5 }, "location is given"},
		{"bare-hotline", func(c *refCenter) { c.Phones = []string{"12367"} }, "not an area code"},
		{"no-area-code", func(c *refCenter) { c.Phones = []string{"86862518"} }, "not an area code"},
		{"bad-area-code", func(c *refCenter) { c.Phones = []string{"311-86862518"} }, "not an area code"},
		{"phone-twice", func(c *refCenter) { c.Phones = []string{"0311-12367", "0311-12367"} }, "twice"},
		{"one-language", func(c *refCenter) { c.District = i18n.T("Chang'an District", "") }, "one language only"},
		{"chinese-in-english", func(c *refCenter) { c.Name.En = "测试大厅" }, "holds Chinese"},
		{"translated-unknown-field", func(c *refCenter) { c.Translated = []string{"phones.en"} }, "not name or address"},
		{"translated-empty-text", func(c *refCenter) { c.Address = i18n.Text{}; c.Sources[0].Facts = []string{"name", "phones"} }, "names an empty text"},
		{"name-both-translated", func(c *refCenter) { c.Translated = []string{"name.en", "name.zh-CN"} }, "both languages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.spoil(&c)
			errs := refCenterErrors(c, now)
			if len(errs) == 0 || !strings.Contains(fmt.Sprint(errs), tt.want) {
				t.Fatalf("errors %v, want one saying %q", errs, tt.want)
			}
		})
	}
}
