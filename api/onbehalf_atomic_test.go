package api

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// lostAnswers is the real gate, except that what it records once a
// request is answered is lost (the node stopped) and, when failTx is set,
// the in-transaction record fails.
type lostAnswers struct {
	AssistanceGate
	failTx bool
}

func (lostAnswers) RecordActivity(context.Context, assistance.Grant, assistance.Activity, *i18n.Text) error {
	return nil
}

func (g lostAnswers) RecordActivityTx(tx storage.Tx, gr assistance.Grant, a assistance.Activity, n *i18n.Text) error {
	if g.failTx {
		return errors.New("activity store down")
	}
	return g.AssistanceGate.RecordActivityTx(tx, gr, a, n)
}

func atomicWorld(t *testing.T, db *storage.DB, clk *clock.Fake, failTx bool) (w *assistWorld, engine http.Handler, principal string) {
	w = newAssistWorld(t, db, clk)
	hana := w.account("hana", RoleResident, w.person("HELPER", calendar.Date{Year: 1980, Month: 1, Day: 1}))
	pia := w.account("pia", RoleResident, w.person("PRINCIPAL", calendar.Date{Year: 1940, Month: 1, Day: 1}))
	w.auth["officer"] = Principal{AccountID: "acct-officer", Username: "officer", Role: RoleOfficer}
	w.grant(pia, hana, "active", assistance.AppointmentsRead, assistance.AppointmentsWrite)
	svc, err := appointments.New(db, clk, apptCenters{}, appointments.Options{})
	if err != nil {
		t.Fatal(err)
	}
	deps := w.deps()
	deps.Gate = lostAnswers{AssistanceGate: deps.Gate, failTx: failTx}
	_, e := newTestServer(t, Deps{Clock: clk, DB: db, Auth: w.auth, Assistance: deps,
		Appointments: Appointments{Finder: svc, Bookings: svc, Own: svc, Desk: svc,
			Notifications: notifications.NewStore(db), Bookers: assistWorldAccounts{w}}})
	wantStatus(t, send(t, e, "PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer",
		`{"window":null,"groups":[{"name":"visa","businesses":["visa_extension"],"slot_minutes":30,"capacity":1}]}`), http.StatusOK)
	return w, e, pia.PersonID
}

// TestHelperWriteIsRecordedWithTheChange: a booking made for someone is in
// their activity view even when nothing is recorded after the answer,
// because its row commits in the booking's own transaction.
func TestHelperWriteIsRecordedWithTheChange(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk.Set(apptNow)
		w, engine, pia := atomicWorld(t, db, clk, false)
		booked := wantJSON[appointmentView](t, send(t, engine, "POST", "/api/v1/appointments", "hana", bookBody(slot0900),
			HeaderOnBehalfOf, pia), http.StatusCreated)
		page, err := w.svc.ActivityFor(t.Context(), pia, paging.Request{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].Action != "appointment.book" || page.Items[0].Ref != booked.ID ||
			page.Items[0].Status != http.StatusCreated || page.Items[0].HelperUsername != "hana" {
			t.Fatalf("activity = %+v", page.Items)
		}
	})
}

// TestHelperWriteFailsWithoutItsRecord: when the activity row cannot be
// written, the booking is not made either.
func TestHelperWriteFailsWithoutItsRecord(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		clk.Set(apptNow)
		_, engine, pia := atomicWorld(t, db, clk, true)
		// Sent past the OpenAPI check: a 500 is no documented answer.
		req := httptest.NewRequest("POST", "/api/v1/appointments", strings.NewReader(bookBody(slot0900)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer hana")
		req.Header.Set(HeaderOnBehalfOf, pia)
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, req)
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var n int64
		if err := db.Gorm.Table("appointments").Where("person_id = ?", pia).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d appointments booked without their activity row", n)
		}
	})
}
