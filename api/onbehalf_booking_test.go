package api

import (
	"net/http"
	"testing"

	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestHelperBookingIsThePrincipals: an appointment a helper books is the
// principal's — it counts against the principal's one-per-business rule,
// not the helper's — it names the helper as booker, the audit records the
// helper as actor and the principal as on_behalf_of, and the principal's
// activity view lists every action the helper took, naming them.
func TestHelperBookingIsThePrincipals(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk.Set(apptNow)
		w := newAssistWorld(t, db, clk)
		hana := w.account("hana", RoleResident, w.person("HELPER", calendar.Date{Year: 1980, Month: 1, Day: 1}))
		pia := w.account("pia", RoleResident, w.person("PRINCIPAL", calendar.Date{Year: 1940, Month: 1, Day: 1}))
		w.auth["officer"] = Principal{AccountID: "acct-officer", Username: "officer", Role: RoleOfficer}
		w.grant(pia, hana, "active", assistance.AppointmentsRead, assistance.AppointmentsWrite)
		svc, err := appointments.New(db, clk, apptCenters{}, appointments.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, engine := newTestServer(t, Deps{Clock: clk, DB: db, Auth: w.auth, Assistance: w.deps(),
			Appointments: Appointments{Finder: svc, Bookings: svc, Own: svc, Desk: svc,
				Notifications: notifications.NewStore(db), Bookers: assistWorldAccounts{w}}})
		wantStatus(t, send(t, engine, "PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer",
			`{"window":null,"groups":[{"name":"visa","businesses":["visa_extension"],"slot_minutes":30,"capacity":1}]}`), http.StatusOK)
		forPia := []string{HeaderOnBehalfOf, pia.PersonID}

		booked := wantJSON[appointmentView](t, send(t, engine, "POST", "/api/v1/appointments", "hana", bookBody(slot0900), forPia...), http.StatusCreated)
		if booked.BookedBy == nil || booked.BookedBy.Username != "hana" || !booked.BookedBy.OnBehalf {
			t.Fatalf("booked_by: %+v", booked.BookedBy)
		}
		// The principal's own rule: a second visa extension is refused,
		// whether the principal or the helper asks for it.
		wantProblem(t, send(t, engine, "POST", "/api/v1/appointments", "pia", bookBody("2026-12-01T09:30:00+08:00")),
			http.StatusConflict, "duplicate_business", "")
		wantProblem(t, send(t, engine, "POST", "/api/v1/appointments", "hana", bookBody("2026-12-01T09:30:00+08:00"), forPia...),
			http.StatusConflict, "duplicate_business", "")
		// The helper's own allowance is untouched.
		mine := wantJSON[appointmentView](t, send(t, engine, "POST", "/api/v1/appointments", "hana", bookBody("2026-12-01T10:00:00+08:00")), http.StatusCreated)
		if mine.BookedBy == nil || mine.BookedBy.OnBehalf {
			t.Fatalf("own booking named as on behalf: %+v", mine.BookedBy)
		}

		list := wantJSON[paging.Page[appointmentView]](t, send(t, engine, "GET", "/api/v1/appointments", "pia", ""), http.StatusOK)
		if len(list.Items) != 1 || list.Items[0].ID != booked.ID || list.Items[0].BookedBy == nil || list.Items[0].BookedBy.Username != "hana" {
			t.Fatalf("principal's list: %+v", list.Items)
		}
		wantStatus(t, send(t, engine, "POST", "/api/v1/appointments/"+booked.ID+"/cancel", "hana", "", forPia...), http.StatusOK)

		events, err := audit.List(db.Gorm, "appointment", booked.ID)
		if err != nil || len(events) < 2 {
			t.Fatalf("audit: %v %+v", err, events)
		}
		for _, e := range events {
			if e.ActorID != hana.AccountID || e.OnBehalfOf != pia.PersonID {
				t.Fatalf("audit names actor %s for %s, want the helper for the principal", e.ActorID, e.OnBehalfOf)
			}
		}

		page := wantJSON[paging.Page[activityJSON]](t, send(t, engine, "GET", "/api/v1/me/activity?lang=zh-CN", "pia", ""), http.StatusOK)
		want := []struct {
			action string
			status int
		}{{"appointment.cancel", 200}, {"appointment.book", 409}, {"appointment.book", 201}}
		if len(page.Items) != len(want) {
			t.Fatalf("activity: %+v", page.Items)
		}
		for i, a := range page.Items {
			if a.Action != want[i].action || a.Status != want[i].status || a.HelperUsername != "hana" || a.HelperAccountID != hana.AccountID {
				t.Fatalf("activity %d: %+v, want %+v by hana", i, a, want[i])
			}
		}
		if page.Items[2].Ref != booked.ID || page.Items[0].ActionLabel != "取消了一项预约" {
			t.Fatalf("activity names: %+v", page.Items)
		}
		notes, err := notifications.NewStore(db).List(t.Context(), pia.PersonID, paging.Request{Limit: 10})
		if err != nil || len(notes.Items) != 3 || notes.Items[1].Kind != "appointment.booked" || notes.Items[2].Kind != "assistance.accepted" {
			t.Fatalf("principal's notices: %v %+v", err, notes.Items)
		}
	})
}
