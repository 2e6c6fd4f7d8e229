package directory

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestCenterLifecycleIsAuditedAndSeenAtOnce(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		q, _ := ParseQuery(RawQuery{Province: "Guangdong"})
		before, _ := s.Search(ctx, q, clk.Now()) // warms the cache
		n := len(before.Items)
		c, err := s.CreateCenter(ctx, officer, demoInput())
		if err != nil {
			t.Fatal(err)
		}
		if page, _ := s.Search(ctx, q, clk.Now()); len(page.Items) != n+1 {
			t.Fatal("a created centre must be visible at once: the cache was not invalidated")
		}
		in := demoInput()
		in.Name = i18n.T("Renamed demo centre (fictional)", "改名的演示中心（虚构）")
		if _, err := s.UpdateCenter(ctx, officer, c.ID, in); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Center(ctx, c.ID)
		if got.Name.En != "Renamed demo centre (fictional)" {
			t.Fatalf("update not visible: %q", got.Name.En)
		}
		if err := s.DeleteCenter(ctx, officer, c.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Center(ctx, c.ID); err == nil {
			t.Fatal("deleted centre still served")
		}
		events, _ := audit.List(db.Gorm, "service_center", c.ID)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
			if e.ActorID != "acct-officer" || e.RequestID != "req-1" {
				t.Fatalf("audit row without its actor: %+v", e)
			}
		}
		if strings.Join(actions, ",") != "service_center.create,service_center.update,service_center.delete" {
			t.Fatalf("audit actions %v", actions)
		}
	})
}

func TestAdminRejectsAndChangesNothing(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		demo, err := s.CreateCenter(ctx, officer, demoInput())
		if err != nil {
			t.Fatal(err)
		}
		mod := func(f func(*Particulars)) Particulars { in := demoInput(); f(&in); return in }
		far := 200.0
		tests := []struct {
			name        string
			do          func() error
			code, field string
		}{
			{"code taken", func() error { _, err := s.CreateCenter(ctx, officer, demoInput()); return err }, "service_center_code_taken", ""},
			{"bad code", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Code = "Bad Code" }))
				return err
			}, "invalid_service_center", "code"},
			{"name without Chinese", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Name.Zh = "" }))
				return err
			}, "invalid_service_center", "name"},
			{"no latitude", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Latitude = math.NaN() }))
				return err
			}, "invalid_service_center", "latitude"},
			{"longitude out of range", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Longitude = far }))
				return err
			}, "invalid_service_center", "longitude"},
			{"unknown business", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Businesses = []string{"tourism"} }))
				return err
			}, "invalid_service_center", "businesses"},
			{"unknown business", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Businesses = []string{"no_such"} }))
				return err
			}, "invalid_service_center", "businesses"},
			{"bad phone", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Phones = []string{"call me"} }))
				return err
			}, "invalid_service_center", "phones"},
			{"bad email", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Email = "nobody" }))
				return err
			}, "invalid_service_center", "email"},
			{"bad website", func() error {
				_, err := s.CreateCenter(ctx, officer, mod(func(in *Particulars) { in.Website = "ftp://x" }))
				return err
			}, "invalid_service_center", "website"},
			{"update unknown centre", func() error { _, err := s.UpdateCenter(ctx, officer, "nope", demoInput()); return err }, "service_center_not_found", ""},
			{"delete unknown centre", func() error { return s.DeleteCenter(ctx, officer, "nope") }, "service_center_not_found", ""},
			{"hours of unknown centre", func() error { _, err := s.SetHours(ctx, officer, "nope", nil); return err }, "service_center_not_found", ""},
			{"overlapping hours", func() error {
				_, err := s.SetHours(ctx, officer, demo.ID, []OpeningPeriod{{1, Period{540, 720}}, {1, Period{700, 800}}})
				return err
			}, "overlapping_periods", "hours"},
			{"closure without reason", func() error {
				_, err := s.AddClosure(ctx, officer, demo.ID, Closure{Date: mustDate(t, "2026-12-01")})
				return err
			}, "missing_text", "reason"},
			{"closure without date", func() error {
				_, err := s.AddClosure(ctx, officer, demo.ID, Closure{Reason: i18n.T("x", "x")})
				return err
			}, "invalid_date", "date"},
			{"remove missing closure", func() error { return s.RemoveClosure(ctx, officer, demo.ID, mustDate(t, "2026-12-02")) }, "closure_not_found", ""},
			{"make-up day on a weekday", func() error {
				_, err := s.PutCalendarDay(ctx, officer, CalendarDay{Date: mustDate(t, "2026-12-02"), Kind: KindMakeup, Name: i18n.T("x", "x")})
				return err
			}, "makeup_not_weekend", "date"},
			{"unknown day kind", func() error {
				_, err := s.PutCalendarDay(ctx, officer, CalendarDay{Date: mustDate(t, "2026-12-02"), Kind: "festival", Name: i18n.T("x", "x")})
				return err
			}, "invalid_kind", "kind"},
			{"day without name", func() error {
				_, err := s.PutCalendarDay(ctx, officer, CalendarDay{Date: mustDate(t, "2026-12-02"), Kind: KindHoliday})
				return err
			}, "missing_text", "name"},
			{"delete ordinary day", func() error { return s.DeleteCalendarDay(ctx, officer, mustDate(t, "2026-12-02")) }, "calendar_day_not_found", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { assertErr(t, tt.do(), tt.code, tt.field) })
		}
		got, _ := s.Center(ctx, demo.ID)
		if got.Name.En != demoInput().Name.En || len(got.Hours.Periods()) != 0 || len(got.Closures) != 0 {
			t.Fatalf("a rejected change altered the centre: %+v", got)
		}
		if days, _ := s.CalendarDays(ctx, 2026); len(days) != 39 {
			t.Fatalf("a rejected change altered the calendar: %d days", len(days))
		}
	})
}

func TestClosuresAndCalendarEdits(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		bj := findByCode(t, s, "bj-andingmen")
		cl := Closure{Date: mustDate(t, "2026-11-24"), Reason: i18n.T("System upgrade", "系统升级")}
		if _, err := s.AddClosure(ctx, officer, bj.ID, cl); err != nil {
			t.Fatal(err)
		}
		_, err := s.AddClosure(ctx, officer, bj.ID, cl)
		assertErr(t, err, "closure_exists", "")
		if open, _ := s.IsOpenDay(ctx, bj.ID, cl.Date); open {
			t.Fatal("closed day reported open")
		}
		if err := s.RemoveClosure(ctx, officer, bj.ID, cl.Date); err != nil {
			t.Fatal(err)
		}
		if open, _ := s.IsOpenDay(ctx, bj.ID, cl.Date); !open {
			t.Fatal("reopened day reported closed")
		}
		// The 2027 notice arrives: an officer confirms a provisional day and
		// adds a make-up Sunday.
		created, err := s.PutCalendarDay(ctx, officer, CalendarDay{Date: mustDate(t, "2027-02-08"), Kind: KindHoliday, Name: i18n.T("Spring Festival", "春节")})
		if err != nil || created {
			t.Fatalf("replace: created=%v err=%v", created, err)
		}
		created, err = s.PutCalendarDay(ctx, officer, CalendarDay{Date: mustDate(t, "2027-02-14"), Kind: KindMakeup, Name: i18n.T("Make-up day", "调休上班")})
		if err != nil || !created {
			t.Fatalf("add: created=%v err=%v", created, err)
		}
		if open, _ := s.IsOpenDay(ctx, bj.ID, mustDate(t, "2027-02-14")); !open {
			t.Fatal("make-up Sunday not open")
		}
		events, _ := audit.List(db.Gorm, "calendar_day", "2027-02-08")
		if len(events) != 1 || events[0].BeforeJSON == nil {
			t.Fatalf("calendar audit: %+v", events)
		}
	})
}

func findByCode(t *testing.T, s *Service, code string) Center {
	t.Helper()
	q, _ := ParseQuery(RawQuery{Limit: "100"})
	page, err := s.Search(context.Background(), q, time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		if m.Center.Code == code {
			return m.Center
		}
	}
	t.Fatalf("no centre %s", code)
	return Center{}
}

// TestHoursChangeIsAuditedAsAnObject: the trail keeps the hours before and
// after as {"hours":[{"weekday","opens","closes"}…]}, the shape the audit
// search documents (an object), not a bare list of table rows.
func TestHoursChangeIsAuditedAsAnObject(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		c, err := s.CreateCenter(ctx, officer, demoInput())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetHours(ctx, officer, c.ID, []OpeningPeriod{{1, Period{540, 720}}}); err != nil {
			t.Fatal(err)
		}
		events, _ := audit.List(db.Gorm, "service_center", c.ID)
		last := events[len(events)-1]
		var after struct {
			Hours []struct {
				Weekday       int
				Opens, Closes string
			}
		}
		if last.Action != "service_center.hours" || last.AfterJSON == nil || json.Unmarshal([]byte(*last.AfterJSON), &after) != nil ||
			len(after.Hours) != 1 || after.Hours[0].Weekday != 1 || after.Hours[0].Opens != "09:00" || after.Hours[0].Closes != "12:00" {
			t.Fatalf("audited hours: %+v", last)
		}
		if last.BeforeJSON == nil || !strings.HasPrefix(*last.BeforeJSON, `{"hours":`) {
			t.Fatalf("hours before: %v", last.BeforeJSON)
		}
	})
}
