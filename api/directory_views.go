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

type businessRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type periodView struct {
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

type dayHoursView struct {
	Weekday int          `json:"weekday"`
	Periods []periodView `json:"periods"`
}

type closureView struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

type locationView struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

type centerView struct {
	ID          string         `json:"id"`
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	Address     string         `json:"address"`
	Province    string         `json:"province"`
	City        string         `json:"city"`
	District    string         `json:"district,omitempty"`
	Phones      []string       `json:"phones"`
	Email       string         `json:"email,omitempty"`
	Website     string         `json:"website,omitempty"`
	Location    locationView   `json:"location"`
	DistanceKM  *float64       `json:"distance_km,omitempty"`
	Businesses  []businessRef  `json:"businesses"`
	Hours       []dayHoursView `json:"hours"`
	Closures    []closureView  `json:"closures"`
	Note        string         `json:"note,omitempty"`
	Demo        bool           `json:"demo"`
	OpenNow     bool           `json:"open_now"`
	ClosesAt    string         `json:"closes_at,omitempty"`
	NextOpening string         `json:"next_opening,omitempty"`
}

func businessTypeViewOf(t business.Type, lang i18n.Lang) businessTypeView {
	return businessTypeView{Code: t.Code, Category: string(t.Category), Name: t.Name.In(lang), ProcessingDays: t.ProcessingDays}
}

// centerViewOf renders a match; closures before today are left out, since
// only coming ones matter to a visitor.
func centerViewOf(m directory.Match, lang i18n.Lang, today calendar.Date) centerView {
	c := m.Center
	v := centerView{
		ID: c.ID, Code: c.Code, Name: c.Name.In(lang), Address: c.Address.In(lang),
		Province: c.Province.In(lang), City: c.City.In(lang), District: c.District.In(lang),
		Phones: nonNilStrings(c.Phones), Email: c.Email, Website: c.Website,
		Location: locationView{c.Latitude, c.Longitude}, Note: c.Note.In(lang), Demo: c.Demo,
		OpenNow: m.Status.OpenNow, ClosesAt: localTime(m.Status.ClosesAt), NextOpening: localTime(m.Status.NextOpening),
		Businesses: []businessRef{}, Closures: []closureView{}, Hours: hoursView(c.Hours),
	}
	if m.DistanceKM != nil {
		d := math.Round(*m.DistanceKM*10) / 10
		v.DistanceKM = &d
	}
	for _, code := range c.Businesses {
		if t, ok := business.Lookup(code); ok {
			v.Businesses = append(v.Businesses, businessRef{Code: code, Name: t.Name.In(lang)})
		}
	}
	for _, cl := range c.Closures {
		if !cl.Date.Before(today) {
			v.Closures = append(v.Closures, closureView{Date: cl.Date.String(), Reason: cl.Reason.In(lang)})
		}
	}
	return v
}

func hoursView(w directory.Week) []dayHoursView {
	out := make([]dayHoursView, 0, 7)
	for d := 1; d <= 7; d++ {
		day := dayHoursView{Weekday: d, Periods: []periodView{}}
		for _, p := range w[d] {
			day.Periods = append(day.Periods, periodView{directory.FormatClock(p.Opens), directory.FormatClock(p.Closes)})
		}
		out = append(out, day)
	}
	return out
}

// localTime writes an instant as RFC 3339 in the zone it carries: the
// directory computes opening times in Asia/Shanghai, the time a visitor
// reads on the centre's door.
func localTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func nonNilStrings(s []string) []string {
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

// centerAdminView is a centre with both languages, as officers edit it.
type centerAdminView struct {
	ID         string             `json:"id"`
	Code       string             `json:"code"`
	Name       i18n.Text          `json:"name"`
	Address    i18n.Text          `json:"address"`
	Province   i18n.Text          `json:"province"`
	City       i18n.Text          `json:"city"`
	District   i18n.Text          `json:"district"`
	Phones     []string           `json:"phones"`
	Email      string             `json:"email"`
	Website    string             `json:"website"`
	Latitude   float64            `json:"latitude"`
	Longitude  float64            `json:"longitude"`
	Businesses []string           `json:"businesses"`
	Note       i18n.Text          `json:"note"`
	Demo       bool               `json:"demo"`
	Hours      []hoursEntry       `json:"hours"`
	Closures   []closureAdminView `json:"closures"`
	UpdatedAt  string             `json:"updated_at"`
}

type closureAdminView struct {
	Date   string    `json:"date"`
	Reason i18n.Text `json:"reason"`
}

type calendarDayAdminView struct {
	Date        string    `json:"date"`
	Kind        string    `json:"kind"`
	Name        i18n.Text `json:"name"`
	Provisional bool      `json:"provisional"`
}

func centerAdminViewOf(c directory.Center) centerAdminView {
	v := centerAdminView{
		ID: c.ID, Code: c.Code, Name: c.Name, Address: c.Address, Province: c.Province, City: c.City,
		District: c.District, Phones: nonNilStrings(c.Phones), Email: c.Email, Website: c.Website,
		Latitude: c.Latitude, Longitude: c.Longitude, Businesses: nonNilStrings(c.Businesses),
		Note: c.Note, Demo: c.Demo, Hours: []hoursEntry{}, Closures: []closureAdminView{},
		UpdatedAt: c.UpdatedAt.UTC().Format(time.RFC3339),
	}
	for _, p := range c.Hours.Periods() {
		v.Hours = append(v.Hours, hoursEntry{Weekday: p.Weekday, Opens: directory.FormatClock(p.Opens), Closes: directory.FormatClock(p.Closes)})
	}
	for _, cl := range c.Closures {
		v.Closures = append(v.Closures, closureAdminView{Date: cl.Date.String(), Reason: cl.Reason})
	}
	return v
}
