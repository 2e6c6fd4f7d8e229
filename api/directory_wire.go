package api

import (
	"math"
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
	Location    dirLocationView   `json:"location"`
	DistanceKM  *float64          `json:"distance_km,omitempty"`
	Businesses  []dirNamedCode    `json:"businesses"`
	Hours       []dirDayHoursView `json:"hours"`
	Closures    []dirClosureView  `json:"closures"`
	Note        string            `json:"note,omitempty"`
	Demo        bool              `json:"demo"`
	OpenNow     bool              `json:"open_now"`
	ClosesAt    string            `json:"closes_at,omitempty"`
	NextOpening string            `json:"next_opening,omitempty"`
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
		Location: dirLocationView{c.Latitude, c.Longitude}, Note: c.Note.In(lang), Demo: c.Demo,
		OpenNow: m.Status.OpenNow, ClosesAt: shanghaiRFC3339(m.Status.ClosesAt), NextOpening: shanghaiRFC3339(m.Status.NextOpening),
		Businesses: []dirNamedCode{}, Closures: []dirClosureView{}, Hours: dirHoursView(c.Hours),
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
		Closures: []dirClosureAdminView{}, UpdatedAt: c.UpdatedAt.UTC().Format(time.RFC3339)}
	v.Phones, v.Businesses = dirStrings(c.Phones), dirStrings(c.Businesses)
	for _, p := range c.Hours.Periods() {
		v.Hours = append(v.Hours, dirHoursEntry{Weekday: p.Weekday, Opens: directory.FormatClock(p.Opens), Closes: directory.FormatClock(p.Closes)})
	}
	for _, cl := range c.Closures {
		v.Closures = append(v.Closures, dirClosureAdminView{Date: cl.Date.String(), Reason: cl.Reason})
	}
	return v
}
