package directory

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/refdata"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var officer = audit.Actor{ID: "acct-officer", Role: "officer", RequestID: "req-1"}

func newTestService(t *testing.T, db *storage.DB, clk clock.Clock) *Service {
	t.Helper()
	s := New(db, clk, Hooks{}, time.Hour)
	if err := s.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func demoInput() Particulars {
	return Particulars{
		Code: "demo-gz", Name: i18n.T("Demo centre (fictional)", "演示中心（虚构）"),
		Address: i18n.T("1 Demo Road", "演示路1号"), Province: i18n.T("Guangdong", "广东省"),
		City: i18n.T("Guangzhou", "广州市"), Phones: []string{"12367"}, Latitude: 23.1291, Longitude: 113.2644,
		Businesses: []string{business.VisaExtension}, Demo: true,
	}
}

func TestRowsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &centerRow{}, &hoursRow{}, &closureRow{}, &calendarDayRow{}, &refdata.Load{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSeedLoadsReferenceDataOnce(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)) // Monday 10:00 in Shanghai
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		q, _ := ParseQuery(RawQuery{Limit: "100"})
		page, err := s.Search(ctx, q, clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got := codesOf(page.Items); !strings.Contains(got, "bj-andingmen") || !strings.Contains(got, "sh-minsheng") || len(page.Items) < 31 {
			t.Fatalf("seeded centres: %s", codesOf(page.Items))
		}
		bj := page.Items[0]
		if !bj.Status.OpenNow || bj.Center.Address.Zh != "北京市东城区安定门东大街2号" || len(bj.Center.Businesses) != 6 {
			t.Fatalf("Beijing centre: %+v", bj)
		}
		// An officer removes a seeded holiday; a restart must not bring it back.
		if err := s.DeleteCalendarDay(ctx, officer, mustDate(t, "2026-10-07")); err != nil {
			t.Fatal(err)
		}
		if err := New(db, clk, Hooks{}, time.Hour).Seed(ctx); err != nil {
			t.Fatal(err)
		}
		days, _ := s.CalendarDays(ctx, 2026)
		for _, d := range days {
			if d.Date.String() == "2026-10-07" {
				t.Fatal("seed overwrote an officer's deletion")
			}
		}
		if len(days) != 38 {
			t.Fatalf("2026 has %d calendar days, want 38", len(days))
		}
		d2027, _ := s.CalendarDays(ctx, 2027)
		for _, d := range d2027 {
			if !d.Provisional || d.Kind != KindHoliday {
				t.Fatalf("2027 must be provisional holidays only: %+v", d)
			}
		}
	})
}

func TestCalendarFromDatabase(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		cal, err := s.Calendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			date string
			work bool
		}{
			{"2026-02-14", true},  // make-up Saturday before Spring Festival
			{"2026-02-16", false}, // Spring Festival Monday
			{"2026-10-10", true},  // make-up Saturday after National Day
			{"2026-10-05", false}, // National Day Monday
			{"2027-02-08", false}, // provisional Spring Festival Monday
		}
		for _, tt := range tests {
			if got := cal.IsWorkingDay(mustDate(t, tt.date)); got != tt.work {
				t.Errorf("IsWorkingDay(%s) = %v", tt.date, got)
			}
		}
		// 7 working days from Friday 25 September: three before the week off,
		// then Thursday, Friday, the make-up Saturday and Monday 12 October.
		if got := cal.AddWorkingDays(mustDate(t, "2026-09-25"), business.ProcessingDays(business.VisaExtension)); got.String() != "2026-10-12" {
			t.Errorf("visa deadline %s", got)
		}
	})
}

func TestIsOpenDay(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		c, err := s.CreateCenter(ctx, officer, demoInput())
		if err != nil {
			t.Fatal(err)
		}
		day := [][2]string{{"09:00", "12:00"}, {"13:30", "17:00"}}
		if _, err := s.SetHours(ctx, officer, c.ID, mustWeek(t, map[int][][2]string{1: day, 6: day}).Periods()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddClosure(ctx, officer, c.ID, Closure{Date: mustDate(t, "2026-11-30"), Reason: i18n.T("Training", "培训")}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			date string
			open bool
		}{
			{"2026-11-23", true},  // Monday
			{"2026-11-24", false}, // Tuesday: no hours
			{"2026-11-28", true},  // Saturday
			{"2026-11-29", false}, // Sunday
			{"2026-11-30", false}, // the centre's own closure
			{"2026-10-03", false}, // National Day Saturday
			{"2026-09-20", true},  // make-up Sunday works like a Monday
		}
		for _, tt := range tests {
			got, err := s.IsOpenDay(ctx, c.ID, mustDate(t, tt.date))
			if err != nil || got != tt.open {
				t.Errorf("IsOpenDay(%s) = %v, %v", tt.date, got, err)
			}
		}
		_, err = s.IsOpenDay(ctx, "nope", mustDate(t, "2026-11-23"))
		assertErr(t, err, "service_center_not_found", "")
	})
}
