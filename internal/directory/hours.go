package directory

import (
	"fmt"
	"sort"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// horizonDays bounds the search for a next opening: a centre shut for longer
// than two months has no "next opening" worth showing.
const horizonDays = 62

// ParseClock reads "HH:MM" (00:00–24:00) into minutes after midnight.
// "24:00" is allowed as a closing time meaning the end of the day.
func ParseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("directory: %q is not HH:MM", s)
	}
	for i, ch := range []byte(s) {
		if i != 2 && (ch < '0' || ch > '9') {
			return 0, fmt.Errorf("directory: %q is not HH:MM", s)
		}
	}
	h = int(s[0]-'0')*10 + int(s[1]-'0')
	m = int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("directory: %q is not a time of day", s)
	}
	return h*60 + m, nil
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// BuildWeek checks officer-entered periods and groups them by weekday:
// each period must open before it closes, and periods of one day must not
// overlap. The error names the offending entry as hours[i].
func BuildWeek(periods []OpeningPeriod) (Week, error) {
	var w Week
	for i, p := range periods {
		field := fmt.Sprintf("hours[%d]", i)
		if p.Weekday < 1 || p.Weekday > 7 {
			return w, apperr.Invalid("invalid_weekday", field+".weekday",
				i18n.T("weekday must be 1 (Monday) to 7 (Sunday).", "星期须为 1（星期一）到 7（星期日）。"))
		}
		if p.Opens < 0 || p.Closes > 24*60 || p.Opens >= p.Closes {
			return w, apperr.Invalid("invalid_period", field,
				i18n.T("A period must open before it closes, within one day.", "时段的开始时间必须早于结束时间，且在同一天内。"))
		}
		w[p.Weekday] = append(w[p.Weekday], p.Period)
	}
	for d := 1; d <= 7; d++ {
		ps := w[d]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Opens < ps[j].Opens })
		for i := 1; i < len(ps); i++ {
			if ps[i].Opens < ps[i-1].Closes {
				return w, apperr.Invalid("overlapping_periods", "hours",
					i18n.T("Opening periods of the same weekday overlap.", "同一工作日的开放时段相互重叠。"))
			}
		}
	}
	return w, nil
}

// Periods flattens a week back into the officer-editable list.
func (w Week) Periods() []OpeningPeriod {
	var out []OpeningPeriod
	for d := 1; d <= 7; d++ {
		for _, p := range w[d] {
			out = append(out, OpeningPeriod{Weekday: d, Period: p})
		}
	}
	return out
}

// closedOn reports a centre-specific closure on d.
func (c *Center) closedOn(d calendar.Date) bool {
	for _, cl := range c.Closures {
		if cl.Date == d {
			return true
		}
	}
	return false
}

// PeriodsOn is the centre's opening periods on a date. A centre closure or a
// public holiday shuts it, whatever the weekday; a make-up working day keeps
// Monday's hours (calendar.HoursOf).
func (c *Center) PeriodsOn(cal *calendar.Calendar, d calendar.Date) []Period {
	wd, open := cal.HoursOf(d)
	if !open || c.closedOn(d) {
		return nil
	}
	return c.Hours[isoWeekday(wd)]
}

// StatusAt computes, in the centres' zone loc (Asia/Shanghai, see
// clock.Shanghai), whether the centre is open at t, when the current period
// ends and when the next period after t begins. Production callers pass
// clock.Shanghai(), which loads the zone once.
func (c *Center) StatusAt(cal *calendar.Calendar, loc *time.Location, t time.Time) Status {
	local := t.In(loc)
	today := calendar.DateOf(local)
	minute := local.Hour()*60 + local.Minute()
	var st Status
	for _, p := range c.PeriodsOn(cal, today) {
		if p.Opens <= minute && minute < p.Closes {
			st.OpenNow = true
			st.ClosesAt = c.closingAfter(cal, loc, today, p.Closes)
		}
	}
	for i := 0; i <= horizonDays; i++ {
		d := today.AddDays(i)
		for _, p := range c.PeriodsOn(cal, d) {
			if start := at(d, p.Opens, loc); start.After(t) {
				st.NextOpening = &start
				return st
			}
		}
	}
	return st
}

// closingAfter is when the centre really closes once a period ends on day d
// at minute closes: a period that begins exactly then (09:00–12:00 then
// 12:00–17:00, or 24:00 then the next day's 00:00) keeps it open. It is nil
// when the centre stays open past the search horizon.
func (c *Center) closingAfter(cal *calendar.Calendar, loc *time.Location, d calendar.Date, closes int) *time.Time {
	for range horizonDays * 4 {
		if closes == 24*60 {
			d, closes = d.AddDays(1), 0
		}
		next := -1
		for _, p := range c.PeriodsOn(cal, d) {
			if p.Opens == closes && p.Closes > closes {
				next = p.Closes
			}
		}
		if next < 0 {
			end := at(d, closes, loc)
			return &end
		}
		closes = next
	}
	return nil
}

func at(d calendar.Date, minute int, loc *time.Location) time.Time {
	return d.Time(loc).Add(time.Duration(minute) * time.Minute)
}
