package directory

import (
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustWeek(t testing.TB, spec map[int][][2]string) Week {
	t.Helper()
	var ps []OpeningPeriod
	for wd, spans := range spec {
		for _, sp := range spans {
			o, err1 := ParseClock(sp[0])
			c, err2 := ParseClock(sp[1])
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			ps = append(ps, OpeningPeriod{Weekday: wd, Period: Period{o, c}})
		}
	}
	w, err := BuildWeek(ps)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// lunchBreakWeek: weekdays 09:00–12:00 and 13:30–17:00, Saturday morning only.
func lunchBreakWeek(t testing.TB) Week {
	day := [][2]string{{"09:00", "12:00"}, {"13:30", "17:00"}}
	return mustWeek(t, map[int][][2]string{1: day, 2: day, 3: day, 4: day, 5: day, 6: {{"09:00", "12:00"}}})
}

// national2026 is the 2026 National Day arrangement from the State Council
// notice: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
func national2026(t testing.TB) *calendar.Calendar {
	var hol []calendar.Date
	for d := 1; d <= 7; d++ {
		hol = append(hol, calendar.Date{Year: 2026, Month: time.October, Day: d})
	}
	return calendar.New(hol, []calendar.Date{mustDate(t, "2026-09-20"), mustDate(t, "2026-10-10")})
}

func shanghai(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Shanghai())
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestStatusAt(t *testing.T) {
	c := &Center{Particulars: Particulars{Code: "t"}, Hours: lunchBreakWeek(t),
		Closures: []Closure{{Date: mustDate(t, "2026-11-25"), Reason: i18n.T("Renovation", "装修")}}}
	cal := national2026(t)
	tests := []struct {
		name     string
		at       string // Asia/Shanghai
		open     bool
		closesAt string
		next     string
	}{
		{"weekday morning", "2026-11-23 10:00", true, "2026-11-23 12:00", "2026-11-23 13:30"},
		{"opening minute", "2026-11-23 09:00", true, "2026-11-23 12:00", "2026-11-23 13:30"},
		{"lunch break", "2026-11-23 12:30", false, "", "2026-11-23 13:30"},
		{"closing minute of morning", "2026-11-23 12:00", false, "", "2026-11-23 13:30"},
		{"weekday afternoon", "2026-11-23 16:59", true, "2026-11-23 17:00", "2026-11-24 09:00"},
		{"public holiday Thursday", "2026-10-01 10:00", false, "", "2026-10-08 09:00"},
		{"public holiday on a Saturday", "2026-10-03 10:00", false, "", "2026-10-08 09:00"},
		{"make-up working Saturday afternoon", "2026-10-10 15:00", true, "2026-10-10 17:00", "2026-10-12 09:00"},
		{"make-up working Sunday", "2026-09-20 10:00", true, "2026-09-20 12:00", "2026-09-20 13:30"},
		{"ordinary Saturday afternoon", "2026-11-28 15:00", false, "", "2026-11-30 09:00"},
		{"ordinary Sunday", "2026-11-29 10:00", false, "", "2026-11-30 09:00"},
		{"centre closure", "2026-11-25 10:00", false, "", "2026-11-26 09:00"},
		{"Friday evening", "2026-11-27 18:00", false, "", "2026-11-28 09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Pass the instant in UTC: the status must be computed in Shanghai.
			st := c.StatusAt(cal, clock.Shanghai(), shanghai(t, tt.at).UTC())
			if st.OpenNow != tt.open {
				t.Fatalf("open = %v, want %v", st.OpenNow, tt.open)
			}
			if got := fmtTime(st.ClosesAt); got != tt.closesAt {
				t.Errorf("closes at %q, want %q", got, tt.closesAt)
			}
			if got := fmtTime(st.NextOpening); got != tt.next {
				t.Errorf("next opening %q, want %q", got, tt.next)
			}
		})
	}
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(clock.Shanghai()).Format("2006-01-02 15:04")
}

func TestNoNextOpeningWhenNeverOpen(t *testing.T) {
	c := &Center{Particulars: Particulars{Code: "shut"}}
	if st := c.StatusAt(national2026(t), clock.Shanghai(), shanghai(t, "2026-11-23 10:00")); st.OpenNow || st.NextOpening != nil {
		t.Fatalf("a centre without hours is never open: %+v", st)
	}
}

func TestParseClock(t *testing.T) {
	good := map[string]int{"00:00": 0, "09:30": 570, "23:59": 1439, "24:00": 1440}
	for s, want := range good {
		if got, err := ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "9:30", "09:60", "24:01", "25:00", "0930", "09-30", "ab:cd", "09:3a", "+9:30"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}

func TestBuildWeekRejects(t *testing.T) {
	p := func(wd, o, c int) OpeningPeriod { return OpeningPeriod{Weekday: wd, Period: Period{o, c}} }
	tests := []struct {
		name    string
		periods []OpeningPeriod
		code    string
		field   string
	}{
		{"weekday zero", []OpeningPeriod{p(0, 540, 600)}, "invalid_weekday", "hours[0].weekday"},
		{"weekday eight", []OpeningPeriod{p(1, 540, 600), p(8, 540, 600)}, "invalid_weekday", "hours[1].weekday"},
		{"closes before opening", []OpeningPeriod{p(1, 600, 540)}, "invalid_period", "hours[0]"},
		{"empty period", []OpeningPeriod{p(1, 600, 600)}, "invalid_period", "hours[0]"},
		{"past midnight", []OpeningPeriod{p(1, 600, 1500)}, "invalid_period", "hours[0]"},
		{"overlap", []OpeningPeriod{p(2, 540, 720), p(2, 700, 800)}, "overlapping_periods", "hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := BuildWeek(tt.periods)
			assertErr(t, err, tt.code, tt.field)
		})
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "24:00", "99:99", "", "1:00", "\x00\x00:\x00\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseClock(s)
		if err != nil {
			return
		}
		if m < 0 || m > 1440 || FormatClock(m) != s {
			t.Fatalf("ParseClock(%q) = %d does not round-trip", s, m)
		}
	})
}

// TestClosesAtIsTheRealClosing: back-to-back periods, or a period ending at
// 24:00 followed by one at 00:00, do not close the centre in between; a
// centre open round the clock has no closing time within the horizon.
func TestClosesAtIsTheRealClosing(t *testing.T) {
	split := [][2]string{{"09:00", "12:00"}, {"12:00", "17:00"}}
	c := &Center{Particulars: Particulars{Code: "split"}, Hours: mustWeek(t, map[int][][2]string{1: split, 2: split})}
	st := c.StatusAt(calendar.New(nil, nil), clock.Shanghai(), shanghai(t, "2026-11-23 10:00"))
	if got := fmtTime(st.ClosesAt); !st.OpenNow || got != "2026-11-23 17:00" {
		t.Fatalf("back-to-back periods: open %v, closes %q; want 17:00", st.OpenNow, got)
	}
	late := mustWeek(t, map[int][][2]string{1: {{"18:00", "24:00"}}, 2: {{"00:00", "02:00"}}})
	st = (&Center{Particulars: Particulars{Code: "late"}, Hours: late}).StatusAt(calendar.New(nil, nil), clock.Shanghai(), shanghai(t, "2026-11-23 23:30"))
	if got := fmtTime(st.ClosesAt); !st.OpenNow || got != "2026-11-24 02:00" {
		t.Fatalf("over midnight: open %v, closes %q; want Tuesday 02:00", st.OpenNow, got)
	}
	all := map[int][][2]string{}
	for d := 1; d <= 7; d++ {
		all[d] = [][2]string{{"00:00", "24:00"}}
	}
	st = (&Center{Particulars: Particulars{Code: "always"}, Hours: mustWeek(t, all)}).StatusAt(calendar.New(nil, nil), clock.Shanghai(), shanghai(t, "2026-11-23 23:30"))
	if !st.OpenNow || st.ClosesAt != nil {
		t.Fatalf("round the clock: open %v, closes %v; want no closing", st.OpenNow, fmtTime(st.ClosesAt))
	}
}
