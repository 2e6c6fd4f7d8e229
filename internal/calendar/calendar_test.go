package calendar

import (
	"testing"
	"time"
)

func mustDate(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// National Day 2026 as a State Council-style notice: Oct 1–7 off, the
// Sunday before and the Saturday after worked.
func nationalDay(t *testing.T) *Calendar {
	var hol []Date
	for d := 1; d <= 7; d++ {
		hol = append(hol, Date{2026, time.October, d})
	}
	return New(hol, []Date{mustDate(t, "2026-09-27"), mustDate(t, "2026-10-10")})
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	c := nationalDay(t)
	tests := []struct {
		date string
		want bool
	}{
		{"2026-09-25", true},  // Friday
		{"2026-09-26", false}, // Saturday
		{"2026-09-27", true},  // make-up Sunday
		{"2026-10-01", false}, // holiday Thursday
		{"2026-10-05", false}, // holiday Monday
		{"2026-10-08", true},  // Thursday after
		{"2026-10-10", true},  // make-up Saturday
		{"2026-10-11", false}, // ordinary Sunday
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(mustDate(t, tt.date)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := nationalDay(t)
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"plain week", "2026-11-02", 5, "2026-11-09"},
		{"over a weekend", "2026-11-05", 2, "2026-11-09"},
		{"counts make-up Sunday", "2026-09-25", 1, "2026-09-27"},
		{"skips the holiday week", "2026-09-29", 2, "2026-10-08"},
		{"counts make-up Saturday", "2026-10-09", 1, "2026-10-10"},
		{"zero is the same day", "2026-10-03", 0, "2026-10-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := c.AddWorkingDays(mustDate(t, tt.from), tt.n)
			if got.String() != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
			if tt.n > 0 && c.WorkingDaysBetween(mustDate(t, tt.from), got) != tt.n {
				t.Fatalf("WorkingDaysBetween disagrees")
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "2026-13-01", "2026-02-30", "27/11/2026", "2026-1-1"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestLocalDateUsesShanghai(t *testing.T) {
	t.Parallel()
	// 17:30 UTC is 01:30 the next day in Shanghai.
	got := LocalDate(time.Date(2026, 11, 27, 17, 30, 0, 0, time.UTC))
	if got.String() != "2026-11-28" {
		t.Fatalf("got %s", got)
	}
}

func TestHoursOf(t *testing.T) {
	t.Parallel()
	c := nationalDay(t)
	tests := []struct {
		date string
		want time.Weekday
		open bool
	}{
		{"2026-09-25", time.Friday, true},
		{"2026-09-26", time.Saturday, true}, // an ordinary Saturday keeps its own hours
		{"2026-09-27", time.Monday, true},   // make-up Sunday: a full working day
		{"2026-10-10", time.Monday, true},   // make-up Saturday, not Saturday's short hours
		{"2026-10-05", 0, false},            // holiday Monday
		{"2026-10-03", 0, false},            // holiday Saturday
	}
	for _, tt := range tests {
		got, open := c.HoursOf(mustDate(t, tt.date))
		if open != tt.open || (open && got != tt.want) {
			t.Errorf("HoursOf(%s) = %v, %v; want %v, %v", tt.date, got, open, tt.want, tt.open)
		}
	}
	var none *Calendar
	if got, open := none.HoursOf(mustDate(t, "2026-10-10")); !open || got != time.Saturday {
		t.Errorf("nil calendar: HoursOf = %v, %v; want Saturday, open", got, open)
	}
}
