package appointments

import (
	"context"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Centers is what appointments needs to know about a service centre. The
// directory owns centres; a small adapter over it satisfies this and
// reports an unknown centre as ErrCenterNotFound (any apperr NotFound will
// do: it reaches the client as a 404).
type Centers interface {
	Schedule(ctx context.Context, centerID string) (CenterSchedule, error)
	// HoldTx makes sure, inside a booking's transaction, that the centre
	// still exists and stays until the transaction ends, so a booking and
	// the centre's removal cannot cross (ErrCenterNotFound when it is
	// gone).
	HoldTx(tx storage.Tx, centerID string) error
	// PeriodsTx is the centre's opening periods on d as tx sees them, read
	// after HoldTx: a closure, holiday or change of hours committed
	// before the booking took the centre is always seen, whatever the
	// cached schedule says.
	PeriodsTx(tx storage.Tx, centerID string, d calendar.Date) ([]Period, error)
}

// ErrCenterNotFound is what a Centers implementation returns for an
// unknown centre.
var ErrCenterNotFound = errCenterNotFound

// CenterSchedule is a centre's identity and opening hours as far as
// booking is concerned.
type CenterSchedule struct {
	ID         string
	Name       i18n.Text
	Address    i18n.Text
	Businesses []string                  // business type codes the centre handles
	Weekly     map[time.Weekday][]Period // regular opening periods per weekday
	Closures   []calendar.Date           // extra days the centre is closed
	Calendar   *calendar.Calendar        // public holidays and make-up days; nil means none
}

// Period is an opening period of a day in local (Asia/Shanghai) time, as
// offsets from midnight: 9h to 12h is 09:00–12:00. End may be 24h, the end
// of the day, which the directory allows as a closing time. China has no
// daylight saving, so local midnight plus the offset is the wall time.
type Period struct {
	Start time.Duration
	End   time.Duration
}

func (c CenterSchedule) handles(business string) bool {
	for _, b := range c.Businesses {
		if b == business {
			return true
		}
	}
	return false
}

func (c CenterSchedule) closedOn(d calendar.Date) bool {
	for _, cd := range c.Closures {
		if cd == d {
			return true
		}
	}
	return false
}

// periodsOn returns the opening periods of day d. Public holidays and
// closures have none; a make-up working day keeps Monday's hours, as the
// directory shows them (calendar.HoursOf). Other days follow the centre's
// weekly hours, so a hall open on Saturdays stays open then.
func (c CenterSchedule) periodsOn(d calendar.Date) []Period {
	wd, open := c.Calendar.HoursOf(d)
	if !open || c.closedOn(d) {
		return nil
	}
	return c.Weekly[wd]
}

// within reports whether [start, end) lies inside one of the periods of
// day d.
func within(periods []Period, d calendar.Date, start, end time.Time) bool {
	midnight := d.Time(clock.Shanghai())
	for _, p := range periods {
		if !start.Before(midnight.Add(p.Start)) && !midnight.Add(p.End).Before(end) {
			return true
		}
	}
	return false
}

// slotTimes lays slots of the given length end to end inside each period of
// day d and returns their starts and ends as UTC instants.
func slotTimes(periods []Period, d calendar.Date, length time.Duration) [][2]time.Time {
	midnight := d.Time(clock.Shanghai())
	var out [][2]time.Time
	for _, p := range periods {
		for s := p.Start; s+length <= p.End; s += length {
			start := midnight.Add(s)
			out = append(out, [2]time.Time{start.UTC(), start.Add(length).UTC()})
		}
	}
	return out
}
