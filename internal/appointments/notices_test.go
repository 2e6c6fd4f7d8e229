package appointments

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// noticesOf is personID's notifications, newest first.
func noticesOf(t testing.TB, db *storage.DB, personID string) []notifications.Notification {
	t.Helper()
	page, err := notifications.NewStore(db).List(context.Background(), personID, paging.Request{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// wantNotice checks that n is of kind, about a, and says each of says in
// English and each of saysZh in Chinese; every notice names the centre,
// its address and the confirmation code in both.
func wantNotice(t testing.TB, n notifications.Notification, kind string, a Appointment, says, saysZh []string) {
	t.Helper()
	c := testCenters()[a.CenterID]
	en := append([]string{c.Name.En, c.Address.En, a.ConfirmationCode}, says...)
	zh := append([]string{c.Name.Zh, c.Address.Zh, a.ConfirmationCode}, saysZh...)
	if n.Kind != kind || n.Ref != a.ID || n.PersonID != a.PersonID || n.Subject.En == "" || n.Subject.Zh == "" {
		t.Fatalf("notice %+v, want %s about %s", n, kind, a.ID)
	}
	for _, s := range en {
		if !strings.Contains(n.Body.En, s) {
			t.Errorf("English body lacks %q: %s", s, n.Body.En)
		}
	}
	for _, s := range zh {
		if !strings.Contains(n.Body.Zh, s) {
			t.Errorf("Chinese body lacks %q: %s", s, n.Body.Zh)
		}
	}
}

func TestBookingNotifiesThePerson(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 30))
		got := noticesOf(t, db, "p1")
		if len(got) != 1 {
			t.Fatalf("%d notices, want 1", len(got))
		}
		wantNotice(t, got[0], "appointment.booked", a,
			[]string{"Visa extension", "2026-12-01", "09:30", "10:00"}, []string{"签证延期", "2026-12-01", "09:30–10:00"})
		if strings.Contains(got[0].Body.En, "helper") {
			t.Errorf("own booking credited to a helper: %s", got[0].Body.En)
		}
	}, dbtest.WithClock(clk))
}

func TestRescheduleNotifiesThePerson(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 30))
		moved, err := f.svc.Reschedule(context.Background(), resident, "p1", a.ID, at(2, 14, 0))
		if err != nil {
			t.Fatal(err)
		}
		got := noticesOf(t, db, "p1")
		if len(got) != 2 {
			t.Fatalf("%d notices, want the booking's and the move's", len(got))
		}
		wantNotice(t, got[0], "appointment.rescheduled", moved,
			[]string{"2026-12-01 09:30", "2026-12-02", "14:00", "14:30"}, []string{"2026-12-01 09:30", "2026-12-02 14:00–14:30"})
	}, dbtest.WithClock(clk))
}

func TestCancelNotifiesThePerson(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		a := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 30))
		if _, err := f.svc.Cancel(context.Background(), resident, "p1", a.ID); err != nil {
			t.Fatal(err)
		}
		got := noticesOf(t, db, "p1")
		if len(got) != 2 {
			t.Fatalf("%d notices, want the booking's and the cancellation's", len(got))
		}
		wantNotice(t, got[0], "appointment.cancelled", a,
			[]string{"2026-12-01", "09:30", "at your request"}, []string{"2026-12-01 09:30–10:00", "应您的要求", "已取消"})
	}, dbtest.WithClock(clk))
}

// TestHelperChangesNotifyThePrincipal: what a helper does for a person is
// announced to the person, and says a helper did it.
func TestHelperChangesNotifyThePrincipal(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		helper := audit.Actor{ID: "acct-helper", Role: "resident", OnBehalfOf: "p1"}
		a, _, err := f.svc.Book(ctx, BookRequest{PersonID: "p1", Business: business.VisaExtension,
			CenterID: "c1", SlotStart: at(1, 9, 0), By: helper})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reschedule(ctx, helper, "p1", a.ID, at(1, 9, 30)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Cancel(ctx, helper, "p1", a.ID); err != nil {
			t.Fatal(err)
		}
		got := noticesOf(t, db, "p1")
		if len(got) != 3 {
			t.Fatalf("%d notices for the principal, want 3", len(got))
		}
		for _, n := range got {
			if !strings.Contains(n.Body.En, "helper you authorised") || !strings.Contains(n.Body.Zh, "您授权的协办人") {
				t.Errorf("%s does not say a helper did it: %+v", n.Kind, n.Body)
			}
		}
		if n := noticesOf(t, db, "acct-helper"); len(n) != 0 {
			t.Fatalf("the helper's account was notified instead: %+v", n)
		}
	}, dbtest.WithClock(clk))
}

// TestRefusedChangeLeavesNoNotice: a booking, move or cancellation that is
// refused rolls its notice back with it.
func TestRefusedChangeLeavesNoNotice(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		ctx := context.Background()
		a := f.mustBook(t, "p1", business.ResidenceWork, at(1, 9, 0))
		f.mustBook(t, "filler", business.ResidenceWork, at(1, 10, 0))
		if _, err := f.book("p1", business.VisaExtension, at(1, 9, 30)); err == nil {
			t.Fatal("overlapping booking accepted")
		}
		if _, err := f.svc.Reschedule(ctx, resident, "p1", a.ID, at(1, 10, 0)); err == nil {
			t.Fatal("move into a full slot accepted")
		}
		clk.Set(a.Start.Add(-ChangeDeadline + 1))
		if _, err := f.svc.Cancel(ctx, resident, "p1", a.ID); err == nil {
			t.Fatal("late cancellation accepted")
		}
		if got := noticesOf(t, db, "p1"); len(got) != 1 || got[0].Kind != "appointment.booked" {
			t.Fatalf("notices after refused changes: %+v", got)
		}
	}, dbtest.WithClock(clk))
}

// TestAppointmentsNameTheirCentre: every method that returns appointments
// says where they are, from the directory as it is now; a past
// appointment at a centre no longer listed says so rather than failing.
func TestAppointmentsNameTheirCentre(t *testing.T) {
	clk := clock.NewFake(testNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db, clk)
		f.withC2(t)
		ctx := context.Background()
		c1, c2 := f.centers["c1"], f.centers["c2"]
		want := func(what string, a Appointment, sc CenterSchedule) {
			t.Helper()
			if a.CenterName != sc.Name || a.CenterAddress != sc.Address {
				t.Errorf("%s: centre named %v at %v, want %v at %v", what, a.CenterName, a.CenterAddress, sc.Name, sc.Address)
			}
		}
		booked := f.mustBook(t, "p1", business.VisaExtension, at(1, 9, 0))
		want("Book", booked, c1)
		other, err := f.bookAt("p1", "c2", business.VisaRenewal, at(2, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		want("Book at c2", other, c2)
		retry := BookRequest{PersonID: "p2", Business: business.VisaExtension, CenterID: "c2", SlotStart: at(2, 9, 0),
			IdempotencyKey: "retry-key-1", By: audit.Actor{ID: "acct-p2", Role: "resident"}}
		for range 2 {
			a, _, err := f.svc.Book(ctx, retry)
			if err != nil {
				t.Fatal(err)
			}
			want("Book and its replay", a, c2)
		}
		got, _ := f.svc.Get(ctx, "p1", booked.ID)
		want("Get", got, c1)
		page, _ := f.svc.List(ctx, "p1", paging.Request{Limit: 10})
		if len(page.Items) != 2 {
			t.Fatalf("list: %+v", page)
		}
		want("List c2", page.Items[0], c2)
		want("List c1", page.Items[1], c1)
		moved, _ := f.svc.Reschedule(ctx, resident, "p1", booked.ID, at(1, 9, 30))
		want("Reschedule", moved, c1)
		day, _ := f.svc.CenterDay(ctx, "c2", dateOf(at(2, 0, 0)), paging.Request{Limit: 10})
		if len(day.Items) != 2 {
			t.Fatalf("centre day: %+v", day)
		}
		want("CenterDay", day.Items[0], c2)
		want("CenterDay", day.Items[1], c2)
		cancelled, _ := f.svc.Cancel(ctx, resident, "p1", other.ID)
		want("Cancel", cancelled, c2)
		clk.Set(at(1, 9, 40))
		attended, err := f.svc.MarkAttendance(ctx, officer, booked.ID, Attended)
		if err != nil {
			t.Fatal(err)
		}
		want("MarkAttendance", attended, c1)
		delete(f.centers, "c2")
		gone, err := f.svc.Get(ctx, "p1", other.ID)
		if err != nil || gone.CenterName != unlistedCenter || gone.CenterAddress.En != "" {
			t.Fatalf("appointment at a centre gone: %+v %v", gone, err)
		}
	}, dbtest.WithClock(clk))
}

// TestNoticeAtCentreWithoutKnownAddress: where no source gives a centre's
// address, the notices name the centre alone, with no empty gap where the
// address would be.
func TestNoticeAtCentreWithoutKnownAddress(t *testing.T) {
	a := Appointment{ID: "a1", PersonID: "p1", CenterID: "c9", Business: business.VisaExtension, ConfirmationCode: "ABCDEFGH",
		Start: at(1, 9, 0), End: at(1, 9, 30), CenterName: testCenters()["c1"].Name}
	for _, n := range []notifications.Notification{bookedNotice(a, resident), rescheduledNotice(a, a, resident), cancelledNotice(a, resident)} {
		if !strings.Contains(n.Body.En, a.CenterName.En) || !strings.Contains(n.Body.Zh, a.CenterName.Zh) ||
			strings.Contains(n.Body.En, ", ,") || strings.Contains(n.Body.Zh, "（）") {
			t.Errorf("%s: %+v", n.Kind, n.Body)
		}
	}
}
