package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func bookBusiness(business, slot string) string {
	return `{"business":"` + business + `","center_id":"c1","slot_start":"` + slot + `"}`
}

// TestBookingOverlapHTTP: a booking or a move onto a time the person has
// already booked is a 409 that names the appointment in the way, in the
// reader's language, and books nothing.
func TestBookingOverlapHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		a := decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900)))
		t.Run("fail-booking-overlaps", func(t *testing.T) {
			for _, lang := range []struct{ tag, centre string }{{"en", "Exit-Entry Hall"}, {"zh-CN", "出入境接待大厅"}} {
				p := wantProblem(t, h.do("POST", "/api/v1/appointments?lang="+lang.tag, "alice", bookBusiness("residence_work", slot0900)),
					http.StatusConflict, "appointment_overlap", "slot_start")
				if p.ConflictsWith != a.ID || !strings.Contains(p.Detail, a.ConfirmationCode) ||
					!strings.Contains(p.Detail, lang.centre) || !strings.Contains(p.Detail, "09:00") {
					t.Fatalf("%s problem does not name %s: %+v", lang.tag, a.ConfirmationCode, p)
				}
			}
		})
		work := decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments", "alice", bookBusiness("residence_work", "2026-12-01T10:00:00+08:00")))
		t.Run("fail-reschedule-overlaps", func(t *testing.T) {
			p := wantProblem(t, h.do("POST", "/api/v1/appointments/"+work.ID+"/reschedule", "alice", `{"slot_start":"`+slot0900+`"}`),
				http.StatusConflict, "appointment_overlap", "slot_start")
			if p.ConflictsWith != a.ID {
				t.Fatalf("conflicts with %q, want %s", p.ConflictsWith, a.ID)
			}
		})
		rec := h.do("GET", "/api/v1/appointments", "alice", "")
		page := decodeJSON[paging.Page[appointmentView]](t, rec)
		if len(page.Items) != 2 || page.Items[0].SlotStart != "2026-12-01T10:00:00+08:00" {
			t.Fatalf("refused requests changed the bookings: %s", rec.Body)
		}
		if rec := h.do("POST", "/api/v1/appointments", "bob", bookBusiness("residence_work", slot0900)); rec.Code != http.StatusCreated {
			t.Fatalf("another person at the same time: %d %s", rec.Code, rec.Body)
		}
	}, dbtest.WithClock(clk))
}

// TestResidentChangesNotifiedHTTP: booking, moving and cancelling leave
// the resident a notice each, in the language they read them in.
func TestResidentChangesNotifiedHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		a := decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900)))
		if rec := h.do("POST", "/api/v1/appointments/"+a.ID+"/reschedule", "alice", `{"slot_start":"2026-12-02T10:30:00+08:00"}`); rec.Code != 200 {
			t.Fatalf("reschedule: %s", rec.Body)
		}
		if rec := h.do("POST", "/api/v1/appointments/"+a.ID+"/cancel", "alice", ""); rec.Code != 200 {
			t.Fatalf("cancel: %s", rec.Body)
		}
		rec := h.do("GET", "/api/v1/me/notifications?lang=zh-CN", "alice", "")
		page := decodeJSON[paging.Page[notificationView]](t, rec)
		want := []string{"appointment.cancelled", "appointment.rescheduled", "appointment.booked"}
		if len(page.Items) != len(want) {
			t.Fatalf("notices: %s", rec.Body)
		}
		for i, n := range page.Items {
			if n.Kind != want[i] || n.Ref != a.ID || !strings.Contains(n.Body, "出入境接待大厅") || !strings.Contains(n.Body, a.ConfirmationCode) {
				t.Errorf("notice %d: %+v, want %s naming the centre", i, n, want[i])
			}
		}
		if page := decodeJSON[paging.Page[notificationView]](t, h.do("GET", "/api/v1/me/notifications", "bob", "")); len(page.Items) != 0 {
			t.Fatal("bob was told of alice's appointment")
		}
	}, dbtest.WithClock(clk))
}

// TestAppointmentNamesItsCentreHTTP: every appointment answer names the
// centre and its address in the reader's language.
func TestAppointmentNamesItsCentreHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		named := func(what string, v appointmentView, zh bool) {
			t.Helper()
			name, addr := "Exit-Entry Hall", "2 Andingmen East Street, Beijing"
			if zh {
				name, addr = "出入境接待大厅", "北京市安定门东大街2号"
			}
			if v.CenterName != name || v.CenterAddress != addr {
				t.Errorf("%s: centre %q at %q, want %q at %q", what, v.CenterName, v.CenterAddress, name, addr)
			}
		}
		a := decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900)))
		named("book", a, false)
		named("get", decodeJSON[appointmentView](t, h.do("GET", "/api/v1/appointments/"+a.ID+"?lang=zh-CN", "alice", "")), true)
		page := decodeJSON[paging.Page[appointmentView]](t, h.do("GET", "/api/v1/appointments", "alice", "", "Accept-Language", "zh-CN"))
		if len(page.Items) != 1 {
			t.Fatalf("list: %+v", page)
		}
		named("list", page.Items[0], true)
		named("reschedule", decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments/"+a.ID+"/reschedule", "alice",
			`{"slot_start":"2026-12-02T10:30:00+08:00"}`)), false)
		named("cancel", decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments/"+a.ID+"/cancel?lang=zh-CN", "alice", "")), true)
	}, dbtest.WithClock(clk))
}

// TestApplicationNamesItsCentreHTTP: every application answer, the
// officer's, the applicant's and the anonymous inquiry's, names the centre
// and its address in the reader's language.
func TestApplicationNamesItsCentreHTTP(t *testing.T) {
	eachAppServer(t, InquiryLimit{Every: time.Millisecond, Burst: 100}, func(t *testing.T, e *appEnv) {
		named := func(what string, v applicationSummary, lang string) {
			t.Helper()
			c := appCentres["centre-bj"]
			name, addr := c.Name.En, c.Address.En
			if lang == "zh-CN" {
				name, addr = c.Name.Zh, c.Address.Zh
			}
			if v.CenterName != name || v.CenterAddress != addr {
				t.Errorf("%s: centre %q at %q, want %q at %q", what, v.CenterName, v.CenterAddress, name, addr)
			}
		}
		a := e.register("person-alice", "visa_extension")
		named("register", a.applicationSummary, "en")
		named("officer view", decodeJSON[officerApplication](t, e.do("GET", "/api/v1/admin/applications/"+a.Number+"?lang=zh-CN", "tok-officer", "")).applicationSummary, "zh-CN")
		list := decodeJSON[paging.Page[applicationSummary]](t, e.do("GET", "/api/v1/applications?lang=zh-CN", "tok-alice", ""))
		if len(list.Items) != 1 {
			t.Fatalf("own list: %+v", list)
		}
		named("own list", list.Items[0], "zh-CN")
		named("own view", decodeJSON[publicApplication](t, e.do("GET", "/api/v1/applications/"+a.Number, "tok-alice", "")).applicationSummary, "en")
		w := e.do("POST", "/api/v1/inquiries?lang=zh-CN", "",
			`{"application_number":"`+a.Number+`","passport_number":"E12345678","birth_date":"1990-04-01"}`)
		named("inquiry", decodeJSON[publicApplication](t, w).applicationSummary, "zh-CN")
	})
}
