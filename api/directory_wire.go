package api

import (
	"math"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The public directory renders every text in the negotiated language; the
// admin views further down carry both languages for editing.

type businessTypeView struct {
	Code           string `json:"code"`
	Category       string `json:"category"`
	Name           string `json:"name"`
	ProcessingDays int    `json:"processing_days"`
	key            string // page key: the catalogue position
}

type dirNamedCode struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type dirPeriodView struct {
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

type dirDayHoursView struct {
	Weekday int             `json:"weekday"`
	Periods []dirPeriodView `json:"periods"`
}

type dirClosureView struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

type dirLocationView struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// dirSourceView is a public page a centre's facts come from.
type dirSourceView struct {
	URL   string   `json:"url"`
	Seen  string   `json:"seen"`
	Facts []string `json:"facts"`
}

// dirCenterView shows a fact nobody gave as unknown, never as a value: no
// location rather than 0,0, open_now null rather than false when the hours
// are unknown, and the unknown facts named with a note in the reader's
// language.
type dirCenterView struct {
	ID          string            `json:"id"`
	Code        string            `json:"code"`
	Name        string            `json:"name"`
	Address     string            `json:"address"`
	Province    string            `json:"province"`
	City        string            `json:"city"`
	District    string            `json:"district,omitempty"`
	Phones      []string          `json:"phones"`
	Email       string            `json:"email,omitempty"`
	Website     string            `json:"website,omitempty"`
	Location    *dirLocationView  `json:"location"`
	DistanceKM  *float64          `json:"distance_km,omitempty"`
	Businesses  []dirNamedCode    `json:"businesses"`
	Hours       []dirDayHoursView `json:"hours"`
	Closures    []dirClosureView  `json:"closures"`
	Note        string            `json:"note,omitempty"`
	Demo        bool              `json:"demo"`
	OpenNow     *bool             `json:"open_now"`
	ClosesAt    string            `json:"closes_at,omitempty"`
	NextOpening string            `json:"next_opening,omitempty"`
	Unknown     []string          `json:"unknown"`
	UnknownNote string            `json:"unknown_note,omitempty"`
	Sources     []dirSourceView   `json:"sources"`
	Translated  []string          `json:"translated"`
}

func businessTypeViewOf(t business.Type, lang i18n.Lang) businessTypeView {
	return businessTypeView{Code: t.Code, Category: string(t.Category), Name: t.Name.In(lang), ProcessingDays: t.ProcessingDays}
}

// dirCenterViewOf renders a match; closures before today are left out, since
// only coming ones matter to a visitor.
func dirCenterViewOf(m directory.Match, lang i18n.Lang, today calendar.Date) dirCenterView {
	c := m.Center
	v := dirCenterView{
		ID: c.ID, Code: c.Code, Name: c.Name.In(lang), Address: c.Address.In(lang),
		Province: c.Province.In(lang), City: c.City.In(lang), District: c.District.In(lang),
		Phones: dirStrings(c.Phones), Email: c.Email, Website: c.Website,
		Note: c.Note.In(lang), Demo: c.Demo,
		Businesses: []dirNamedCode{}, Closures: []dirClosureView{}, Hours: []dirDayHoursView{},
		Unknown: dirStrings(c.Unknown()), Sources: dirSourcesView(c.Sources), Translated: dirTranslated(c.Translated, lang),
	}
	v.UnknownNote = dirUnknownNote(v.Unknown).In(lang)
	if c.Located() {
		v.Location = &dirLocationView{c.Latitude, c.Longitude}
	}
	if c.HasHours() {
		open := m.Status.OpenNow
		v.OpenNow, v.Hours = &open, dirHoursView(c.Hours)
		v.ClosesAt, v.NextOpening = shanghaiRFC3339(m.Status.ClosesAt), shanghaiRFC3339(m.Status.NextOpening)
	}
	if m.DistanceKM != nil {
		d := math.Round(*m.DistanceKM*10) / 10
		v.DistanceKM = &d
	}
	for _, code := range c.Businesses {
		if t, ok := business.Lookup(code); ok {
			v.Businesses = append(v.Businesses, dirNamedCode{Code: code, Name: t.Name.In(lang)})
		}
	}
	for _, cl := range c.Closures {
		if !cl.Date.Before(today) {
			v.Closures = append(v.Closures, dirClosureView{Date: cl.Date.String(), Reason: cl.Reason.In(lang)})
		}
	}
	return v
}

func dirSourcesView(sources []directory.Source) []dirSourceView {
	out := make([]dirSourceView, 0, len(sources))
	for _, s := range sources {
		out = append(out, dirSourceView{URL: s.URL, Seen: s.Seen, Facts: dirStrings(s.Facts)})
	}
	return out
}

// dirTranslated names the texts the reader sees in a rendering from
// another language rather than as a source wrote them.
func dirTranslated(translated []string, lang i18n.Lang) []string {
	out := []string{}
	for _, t := range translated {
		if field, l, _ := strings.Cut(t, "."); i18n.Lang(l) == lang {
			out = append(out, field)
		}
	}
	return out
}

// dirFactNames are the unknown facts as the note names them.
var dirFactNames = map[string]i18n.Text{
	directory.FactAddress:    i18n.T("address", "地址"),
	directory.FactPhones:     i18n.T("telephone numbers", "电话"),
	directory.FactHours:      i18n.T("opening hours", "办公时间"),
	directory.FactBusinesses: i18n.T("the businesses it handles", "受理业务"),
	directory.FactLocation:   i18n.T("position on a map", "地图位置"),
}

// dirUnknownNote tells a visitor which facts no source gives, so an empty
// field is not read as "none"; empty when every fact is known.
func dirUnknownNote(unknown []string) i18n.Text {
	if len(unknown) == 0 {
		return i18n.Text{}
	}
	var en, zh []string
	for _, f := range unknown {
		n := i18n.Label(dirFactNames, f)
		en, zh = append(en, n.En), append(zh, n.Zh)
	}
	list := strings.Join(en, ", ")
	if len(en) > 1 {
		list = strings.Join(en[:len(en)-1], ", ") + " and " + en[len(en)-1]
	}
	return i18n.T(
		"No public source we rely on gives this centre's "+list+". Please call 12367 or ask the centre before you go.",
		"本名录所依据的公开资料未载明该服务中心的"+strings.Join(zh, "、")+"。前往前请拨打12367或向该中心咨询。")
}

func dirHoursView(w directory.Week) []dirDayHoursView {
	out := make([]dirDayHoursView, 0, 7)
	for d := 1; d <= 7; d++ {
		day := dirDayHoursView{Weekday: d, Periods: []dirPeriodView{}}
		for _, p := range w[d] {
			day.Periods = append(day.Periods, dirPeriodView{directory.FormatClock(p.Opens), directory.FormatClock(p.Closes)})
		}
		out = append(out, day)
	}
	return out
}

// shanghaiRFC3339 writes an instant as RFC 3339 in the zone it carries: the
// directory computes opening times in Asia/Shanghai, the time a visitor
// reads on the centre's door.
func shanghaiRFC3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func dirStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type calendarDayView struct {
	Date        string `json:"date"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Provisional bool   `json:"provisional"`
}

func calendarDayViewOf(d directory.CalendarDay, lang i18n.Lang) calendarDayView {
	return calendarDayView{Date: d.Date.String(), Kind: d.Kind, Name: d.Name.In(lang), Provisional: d.Provisional}
}

// dirCenterAdminView is a centre with both languages, as officers edit it.
// Its particulars are those an officer sends (directory.Particulars).
type dirCenterAdminView struct {
	ID string `json:"id"`
	directory.Particulars
	// These shadow the particulars' own: a centre with no known position
	// answers null rather than 0,0, and sources take their public shape.
	Latitude  *float64              `json:"latitude"`
	Longitude *float64              `json:"longitude"`
	Sources   []dirSourceView       `json:"sources"`
	Hours     []dirHoursEntry       `json:"hours"`
	Closures  []dirClosureAdminView `json:"closures"`
	UpdatedAt string                `json:"updated_at"`
}

type dirClosureAdminView struct {
	Date   string    `json:"date"`
	Reason i18n.Text `json:"reason"`
}

type calendarDayAdminView struct {
	Date        string    `json:"date"`
	Kind        string    `json:"kind"`
	Name        i18n.Text `json:"name"`
	Provisional bool      `json:"provisional"`
}

func dirCenterAdminViewOf(c directory.Center) dirCenterAdminView {
	v := dirCenterAdminView{ID: c.ID, Particulars: c.Particulars, Hours: []dirHoursEntry{},
		Sources: dirSourcesView(c.Sources), Closures: []dirClosureAdminView{}, UpdatedAt: c.UpdatedAt.UTC().Format(time.RFC3339)}
	v.Phones, v.Businesses, v.Translated = dirStrings(c.Phones), dirStrings(c.Businesses), dirStrings(c.Translated)
	if c.Located() {
		lat, lng := c.Latitude, c.Longitude
		v.Latitude, v.Longitude = &lat, &lng
	}
	for _, p := range c.Hours.Periods() {
		v.Hours = append(v.Hours, dirHoursEntry{Weekday: p.Weekday, Opens: directory.FormatClock(p.Opens), Closes: directory.FormatClock(p.Closes)})
	}
	for _, cl := range c.Closures {
		v.Closures = append(v.Closures, dirClosureAdminView{Date: cl.Date.String(), Reason: cl.Reason})
	}
	return v
}
