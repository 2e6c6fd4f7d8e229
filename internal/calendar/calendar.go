// Package calendar knows which days are working days at a service centre:
// Monday to Friday, minus public holidays, plus the weekend days that a State
// Council notice turns into make-up working days. Deadlines counted in
// working days (visa matters: 7) and appointment slots both depend on it.
package calendar

import (
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
)

// Date is a civil date in Asia/Shanghai, without time or zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Layout is the text form of a Date, as stored and sent over the API.
const Layout = "2006-01-02"

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: %q is not a YYYY-MM-DD date", s)
	}
	return DateOf(t), nil
}

// DateOf is the calendar date of t as written (its own zone).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// LocalDate is the date in Asia/Shanghai at instant t.
func LocalDate(t time.Time) Date { return DateOf(t.In(clock.Shanghai())) }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Time is midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays moves d by n calendar days.
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// Weekday of d.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Calendar holds the exceptions to the Monday–Friday week.
type Calendar struct {
	holidays map[Date]bool
	makeups  map[Date]bool
}

// New builds a calendar from public holidays and make-up working days. A date
// listed as both is a working day: the make-up notice is the later word.
func New(holidays, makeupDays []Date) *Calendar {
	c := &Calendar{holidays: map[Date]bool{}, makeups: map[Date]bool{}}
	for _, d := range holidays {
		c.holidays[d] = true
	}
	for _, d := range makeupDays {
		c.makeups[d] = true
	}
	return c
}

// IsHoliday reports whether d is a public holiday.
func (c *Calendar) IsHoliday(d Date) bool { return c.holidays[d] && !c.makeups[d] }

// IsMakeupDay reports whether d is a weekend day worked by notice.
func (c *Calendar) IsMakeupDay(d Date) bool { return c.makeups[d] }

// IsWorkingDay reports whether offices work on d.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if c.makeups[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HoursOf tells whose weekly opening hours apply on d: none on a public
// holiday (ok false); Monday's on a make-up working day, which is worked as
// an ordinary full working day even when it falls on a Saturday or Sunday
// whose own hours are shorter; otherwise d's own weekday. Every place that
// turns weekly hours into a day's hours (the directory's "open now", the
// appointment slots) asks here, so they cannot disagree. A nil calendar has
// no exceptions.
func (c *Calendar) HoursOf(d Date) (weekday time.Weekday, ok bool) {
	switch {
	case c == nil:
		return d.Weekday(), true
	case c.makeups[d]:
		return time.Monday, true
	case c.holidays[d]:
		return 0, false
	}
	return d.Weekday(), true
}

// AddWorkingDays returns the n-th working day after d (d itself is not
// counted, as in "decided within 7 working days of submission").
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts working days after from up to and including to.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}
