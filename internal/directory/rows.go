package directory

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The gorm rows of the directory tables. They are storage shapes only;
// Center and CalendarDay are what the rest of the code sees.

type centerRow struct {
	ID         string `gorm:"primaryKey"`
	Code       string
	NameEn     string
	NameZh     string
	AddressEn  string
	AddressZh  string
	ProvinceEn string
	ProvinceZh string
	CityEn     string
	CityZh     string
	DistrictEn string
	DistrictZh string
	Phones     string // JSON array
	Email      string
	Website    string
	Latitude   float64
	Longitude  float64
	Businesses string // JSON array of business codes
	NoteEn     string
	NoteZh     string
	Demo       bool
	Sources    string // JSON array of sourceJSON
	Translated string // JSON array of strings
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (centerRow) TableName() string { return "service_centers" }

// sourceJSON is a Source as the sources column stores it.
type sourceJSON struct {
	URL   string   `json:"url"`
	Seen  string   `json:"seen"`
	Facts []string `json:"facts"`
}

type hoursRow struct {
	ID       string `gorm:"primaryKey"`
	CenterID string
	Weekday  int
	Opens    string
	Closes   string
}

func (hoursRow) TableName() string { return "service_center_hours" }

type closureRow struct {
	ID        string `gorm:"primaryKey"`
	CenterID  string
	Day       string
	ReasonEn  string
	ReasonZh  string
	CreatedAt time.Time
}

func (closureRow) TableName() string { return "service_center_closures" }

type calendarDayRow struct {
	Day         string `gorm:"primaryKey"`
	Kind        string
	NameEn      string
	NameZh      string
	Provisional bool
	UpdatedAt   time.Time
}

func (calendarDayRow) TableName() string { return "calendar_days" }

func (r centerRow) center() (Center, error) {
	c := Center{ID: r.ID, UpdatedAt: r.UpdatedAt.UTC(), Particulars: Particulars{
		Code: r.Code, Name: i18n.T(r.NameEn, r.NameZh), Address: i18n.T(r.AddressEn, r.AddressZh),
		Province: i18n.T(r.ProvinceEn, r.ProvinceZh), City: i18n.T(r.CityEn, r.CityZh),
		District: i18n.T(r.DistrictEn, r.DistrictZh), Email: r.Email, Website: r.Website,
		Latitude: r.Latitude, Longitude: r.Longitude, Note: i18n.T(r.NoteEn, r.NoteZh), Demo: r.Demo,
	}}
	if err := json.Unmarshal([]byte(r.Phones), &c.Phones); err != nil {
		return c, fmt.Errorf("directory: centre %s phones: %w", r.Code, err)
	}
	if err := json.Unmarshal([]byte(r.Businesses), &c.Businesses); err != nil {
		return c, fmt.Errorf("directory: centre %s businesses: %w", r.Code, err)
	}
	if err := json.Unmarshal([]byte(r.Translated), &c.Translated); err != nil {
		return c, fmt.Errorf("directory: centre %s translated: %w", r.Code, err)
	}
	var sources []sourceJSON
	if err := json.Unmarshal([]byte(r.Sources), &sources); err != nil {
		return c, fmt.Errorf("directory: centre %s sources: %w", r.Code, err)
	}
	for _, s := range sources {
		c.Sources = append(c.Sources, Source{URL: s.URL, Seen: s.Seen, Facts: s.Facts})
	}
	return c, nil
}

// rowOf builds the row of a centre; the caller sets the timestamps.
func rowOf(c *Center) centerRow {
	phones, _ := json.Marshal(nonNil(c.Phones))
	biz, _ := json.Marshal(nonNil(c.Businesses))
	translated, _ := json.Marshal(nonNil(c.Translated))
	sources := make([]sourceJSON, 0, len(c.Sources))
	for _, s := range c.Sources {
		sources = append(sources, sourceJSON{URL: s.URL, Seen: s.Seen, Facts: nonNil(s.Facts)})
	}
	src, _ := json.Marshal(sources)
	return centerRow{
		ID: c.ID, Code: c.Code, NameEn: c.Name.En, NameZh: c.Name.Zh,
		AddressEn: c.Address.En, AddressZh: c.Address.Zh,
		ProvinceEn: c.Province.En, ProvinceZh: c.Province.Zh, CityEn: c.City.En, CityZh: c.City.Zh,
		DistrictEn: c.District.En, DistrictZh: c.District.Zh,
		Phones: string(phones), Email: c.Email, Website: c.Website,
		Latitude: c.Latitude, Longitude: c.Longitude, Businesses: string(biz),
		NoteEn: c.Note.En, NoteZh: c.Note.Zh, Demo: c.Demo,
		Sources: string(src), Translated: string(translated),
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (r calendarDayRow) day() (CalendarDay, error) {
	d, err := calendar.ParseDate(r.Day)
	if err != nil {
		return CalendarDay{}, err
	}
	return CalendarDay{Date: d, Kind: r.Kind, Name: i18n.T(r.NameEn, r.NameZh), Provisional: r.Provisional}, nil
}

func dayRowOf(d CalendarDay, now time.Time) calendarDayRow {
	return calendarDayRow{Day: d.Date.String(), Kind: d.Kind, NameEn: d.Name.En, NameZh: d.Name.Zh,
		Provisional: d.Provisional, UpdatedAt: now}
}

// clone copies a centre so callers cannot change the cached snapshot.
func (c *Center) clone() Center {
	out := *c
	out.Phones = append([]string(nil), c.Phones...)
	out.Businesses = append([]string(nil), c.Businesses...)
	out.Closures = append([]Closure(nil), c.Closures...)
	out.Translated = append([]string(nil), c.Translated...)
	out.Sources = make([]Source, len(c.Sources))
	for i, s := range c.Sources {
		out.Sources[i] = Source{URL: s.URL, Seen: s.Seen, Facts: append([]string(nil), s.Facts...)}
	}
	for d := range out.Hours {
		out.Hours[d] = append([]Period(nil), c.Hours[d]...)
	}
	return out
}
