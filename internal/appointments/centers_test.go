package appointments

import (
	"reflect"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
)

// A make-up working Saturday is a full working day: the slots follow
// Monday's hours, as the directory shows the centre open, not the
// Saturday-morning hours the centre keeps on ordinary Saturdays.
func TestMakeupSaturdayKeepsWeekdayHours(t *testing.T) {
	c := testCenters()["c1"]
	saturday := calendar.Date{Year: 2026, Month: 12, Day: 5}
	if got := c.periodsOn(saturday); !reflect.DeepEqual(got, c.Weekly[time.Saturday]) {
		t.Fatalf("ordinary Saturday: %v, want the Saturday hours %v", got, c.Weekly[time.Saturday])
	}
	c.Calendar = calendar.New(nil, []calendar.Date{saturday})
	if got := c.periodsOn(saturday); !reflect.DeepEqual(got, c.Weekly[time.Monday]) {
		t.Fatalf("make-up Saturday: %v, want Monday's hours %v", got, c.Weekly[time.Monday])
	}
	c.Closures = append(c.Closures, saturday)
	if got := c.periodsOn(saturday); got != nil {
		t.Fatalf("make-up Saturday the centre closed: %v, want none", got)
	}
}

// TestSlotsRunToMidnight: the directory lets a hall close at "24:00"; its
// last slot ends at local midnight instead of failing every booking.
func TestSlotsRunToMidnight(t *testing.T) {
	d := calendar.Date{Year: 2026, Month: 12, Day: 1}
	times := slotTimes([]Period{{22 * time.Hour, 24 * time.Hour}}, d, time.Hour)
	if len(times) != 2 {
		t.Fatalf("slots %v", times)
	}
	midnight := calendar.Date{Year: 2026, Month: 12, Day: 2}.Time(clock.Shanghai())
	if !times[1][1].Equal(midnight) {
		t.Fatalf("last slot ends %v, want %v", times[1][1], midnight)
	}
}
