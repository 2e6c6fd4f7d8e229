// Package directory is the officer-maintained directory of exit-entry
// service centres: where they are, which business types they handle, their
// weekly opening periods (several a day, for a lunch break), their own
// closures, and the national working-day calendar of public holidays and
// make-up working days. It answers "is it open now, and when next?" in
// Asia/Shanghai, searches centres by place, business, opening time and
// distance, and serves every read from an in-memory snapshot that each write
// invalidates.
//
// Other capabilities use Service through the adapters in package wiring:
// appointments read Center and Calendar and hold a centre for a booking
// (HoldCenterTx); applications read Calendar and hold a centre for a
// registration. Both follow the directory's changes through the Hooks
// given to New: appointments a change of opening times, both the
// removal of a centre they still depend on.
package directory

import (
	"math"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Center is a service centre as the domain sees it.
type Center struct {
	ID string
	Particulars
	Hours     Week
	Closures  []Closure // sorted by date
	UpdatedAt time.Time
}

// Particulars are a centre's own facts: everything but its opening hours,
// its closures and the bookkeeping. They are listed here once: a Center
// carries them, an officer sends them to create or replace a centre
// (Validate checks them), and the shipped centre file and the officers'
// API read and write them in the JSON form the tags give.
type Particulars struct {
	Code       string    `json:"code"` // stable short name, e.g. "bj-andingmen"
	Name       i18n.Text `json:"name"`
	Address    i18n.Text `json:"address"`
	Province   i18n.Text `json:"province"`
	City       i18n.Text `json:"city"`
	District   i18n.Text `json:"district"`
	Phones     []string  `json:"phones"`
	Email      string    `json:"email"`
	Website    string    `json:"website"`
	Latitude   float64   `json:"latitude"` // WGS 84 degrees; NaN when not given (NewParticulars)
	Longitude  float64   `json:"longitude"`
	Businesses []string  `json:"businesses"` // business type codes
	Note       i18n.Text `json:"note"`
	Demo       bool      `json:"demo"` // a fictional demonstration centre
	// Sources say where the facts come from (none for what officers
	// author); Translated lists the texts rendered from the other
	// language, e.g. "address.zh-CN".
	Sources    []Source `json:"sources"`
	Translated []string `json:"translated"`
}

// NewParticulars are particulars with nothing given yet, to decode an
// officer's request over. Their coordinates are NaN, which JSON cannot
// write: they stay NaN exactly when the request leaves them out (or null),
// and Validate then refuses them as missing rather than taking 0,0 for a
// place in the Gulf of Guinea.
func NewParticulars() Particulars {
	return Particulars{Latitude: math.NaN(), Longitude: math.NaN()}
}

// Located reports whether the centre's position is known; a centre no
// source places is stored at 0,0, in the Gulf of Guinea, far from any hall.
func (c *Center) Located() bool { return c.Latitude != 0 || c.Longitude != 0 }

// Handles reports whether the centre accepts a business type.
func (c *Center) Handles(code string) bool {
	for _, b := range c.Businesses {
		if b == code {
			return true
		}
	}
	return false
}

// Period is one opening span of a day, in minutes after local midnight,
// Opens inclusive and Closes exclusive.
type Period struct {
	Opens  int
	Closes int
}

// Week holds the opening periods of each ISO weekday: index 1 is Monday, 7
// Sunday; index 0 is unused. Periods of a day are sorted and disjoint.
type Week [8][]Period

// OpeningPeriod is one period of one weekday, the form officers edit.
type OpeningPeriod struct {
	Weekday int // ISO 1–7
	Period
}

// Closure is a day a particular centre is shut beyond the national calendar.
type Closure struct {
	Date   calendar.Date
	Reason i18n.Text
}

// Day kinds of the national calendar.
const (
	KindHoliday = "holiday"
	KindMakeup  = "makeup"
)

// CalendarDay is one exception to the Monday–Friday week.
type CalendarDay struct {
	Date        calendar.Date
	Kind        string // KindHoliday or KindMakeup
	Name        i18n.Text
	Provisional bool // not yet confirmed by a State Council notice
}

// Status is whether a centre is open at an instant and what comes next.
type Status struct {
	OpenNow     bool
	ClosesAt    *time.Time // end of the current period when open
	NextOpening *time.Time // start of the next period after the instant; nil if none within the horizon
}

// isoWeekday converts Go's Sunday-first weekday to ISO 1–7.
func isoWeekday(wd time.Weekday) int {
	if wd == time.Sunday {
		return 7
	}
	return int(wd)
}
