package applications

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// mondayMorning is 09:30 on Monday 2 November 2026 at the centres.
var mondayMorning = shanghai(2026, 11, 2, 9, 30)

// eachDB runs fn on SQLite and, when configured, PostgreSQL, with a fake
// clock at mondayMorning that both the service and gorm read.
func eachDB(t *testing.T, fn func(t *testing.T, e env)) {
	t.Helper()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		fn(t, newEnv(t, db, clock.NewFake(mondayMorning)))
	}, dbtest.WithClock(clock.NewFake(mondayMorning)))
}

func TestRowsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &applicationRow{}, &eventRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestNewRequiresDependencies(t *testing.T) {
	if _, err := New(nil, nil, nil, nil, nil, Options{}); err == nil {
		t.Fatal("New accepted a config without dependencies")
	}
}

func TestRegister(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		if _, err := ParseNumber(rec.Number.String()); err != nil || !strings.HasPrefix(rec.Number.String(), "AP20261102") {
			t.Fatalf("number %s: %v", rec.Number, err)
		}
		if rec.Status != Submitted || rec.ProcessingDays != 7 || rec.Deadline.String() != "2026-11-11" || rec.Overdue {
			t.Fatalf("record: %+v", rec.Application)
		}
		if !rec.SubmittedAt.Equal(mondayMorning) || rec.RegisteredBy != officer {
			t.Fatalf("submission: %+v", rec.Application)
		}
		if len(rec.Events) != 1 || rec.Events[0].Status != Submitted || rec.Events[0].OfficerID != officer {
			t.Fatalf("events: %+v", rec.Events)
		}
		ns, err := notifications.NewStore(e.db).List(context.Background(), alice, paging.Request{Limit: 10})
		if err != nil || len(ns.Items) != 1 || ns.Items[0].Ref != rec.Number.String() || ns.Items[0].Subject.Zh == "" {
			t.Fatalf("notifications: %+v, %v", ns, err)
		}
		trail, err := audit.List(e.db.Gorm, "application", rec.ID)
		if err != nil || len(trail) != 1 || trail[0].Action != "application.register" ||
			trail[0].ActorID != officer || trail[0].RequestID != "req-test-1" {
			t.Fatalf("audit: %+v, %v", trail, err)
		}
	})
}

func TestRegisterBackdatedAndAppointment(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		e.clk.Set(shanghai(2026, 10, 20, 9, 0))
		rec, err := e.svc.Register(context.Background(), theOfficer, Registration{PersonID: bob,
			BusinessType: "residence_work", CentreID: centreSH, AppointmentID: "appt-1",
			SubmittedAt: shanghai(2026, 9, 28, 9, 0)})
		if err != nil {
			t.Fatal(err)
		}
		// 15 working days from Monday 28 September across National Day.
		if rec.Deadline.String() != "2026-10-23" || rec.Overdue || rec.AppointmentID != "appt-1" {
			t.Fatalf("record: %+v", rec.Application)
		}
		e.clk.Set(shanghai(2026, 10, 23, 23, 59)) // the deadline day is still in time
		if rec, _ = e.svc.Get(context.Background(), rec.Number); rec.Overdue {
			t.Fatal("overdue on its deadline day")
		}
		e.clk.Set(shanghai(2026, 10, 24, 0, 0))
		if rec, _ = e.svc.Get(context.Background(), rec.Number); !rec.Overdue {
			t.Fatal("not overdue the day after its deadline")
		}
	})
}

// bobsVisit is bob's registration for a work residence permit at centreSH
// handed in at appointment id.
func bobsVisit(id string) Registration {
	return Registration{PersonID: bob, BusinessType: "residence_work", CentreID: centreSH, AppointmentID: id}
}

func TestRegisterRejects(t *testing.T) {
	ok := Registration{PersonID: alice, BusinessType: "visa_extension", CentreID: centreBJ}
	with := func(f func(*Registration)) Registration { r := ok; f(&r); return r }
	tests := []struct {
		name        string
		reg         Registration
		field, code string
	}{
		{"fail-person-missing", with(func(r *Registration) { r.PersonID = "" }), "person_id", "required"},
		{"fail-business-missing", with(func(r *Registration) { r.BusinessType = "" }), "business_type", "required"},
		{"fail-centre-missing", with(func(r *Registration) { r.CentreID = "" }), "center_id", "required"},
		{"fail-person-too-long", with(func(r *Registration) { r.PersonID = strings.Repeat("p", 65) }), "person_id", "too_long"},
		{"fail-appointment-too-long", with(func(r *Registration) { r.AppointmentID = strings.Repeat("a", 65) }), "appointment_id", "too_long"},
		{"fail-unknown-business-type", with(func(r *Registration) { r.BusinessType = "tourism" }), "business_type", "unknown_business_type"},
		{"fail-unknown-person", with(func(r *Registration) { r.PersonID = "nobody" }), "person_id", "unknown_person"},
		{"fail-unknown-centre", with(func(r *Registration) { r.CentreID = "centre-mars" }), "center_id", "unknown_centre"},
		{"fail-submitted-in-future", with(func(r *Registration) { r.SubmittedAt = mondayMorning.Add(time.Hour) }), "submitted_at", "submitted_in_future"},
		{"fail-submitted-too-long-ago", with(func(r *Registration) { r.SubmittedAt = mondayMorning.AddDate(0, 0, -31) }), "submitted_at", "submitted_too_long_ago"},
		{"fail-appointment-unknown", bobsVisit("appt-404"), "appointment_id", "unknown_appointment"},
		{"fail-appointment-other-persons", with(func(r *Registration) { r.AppointmentID = "appt-1" }), "appointment_id", "unknown_appointment"},
		{"fail-appointment-other-centre", bobsVisit("appt-bj"), "appointment_id", "appointment_mismatch"},
		{"fail-appointment-not-yet-kept", bobsVisit("appt-ahead"), "appointment_id", "appointment_not_yet_kept"},
		{"fail-appointment-missed", bobsVisit("appt-missed"), "appointment_id", "appointment_not_kept"},
	}
	eachDB(t, func(t *testing.T, e env) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.Register(context.Background(), theOfficer, tt.reg)
				ae, ok := apperr.As(err)
				if !ok || ae.Kind != apperr.KindInvalid || ae.Field != tt.field || ae.Code != tt.code {
					t.Fatalf("err = %v; want %s on %s", err, tt.code, tt.field)
				}
				for _, table := range []string{"applications", "application_events", "notifications", "audit_events"} {
					if n := count(t, e.db, table); n != 0 {
						t.Fatalf("%s has %d rows after a rejected registration", table, n)
					}
				}
			})
		}
	})
}

func TestLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ) // deadline Wed 11 Nov
		e.move(t, rec.Number, Accepted)
		e.move(t, rec.Number, UnderReview)
		e.clk.Set(shanghai(2026, 11, 3, 10, 0)) // Tuesday
		e.move(t, rec.Number, SupplementRequested)
		e.clk.Set(shanghai(2026, 11, 6, 15, 0)) // Friday: paused Wed, Thu, Fri
		got := e.move(t, rec.Number, UnderReview)
		if got.Deadline.String() != "2026-11-16" {
			t.Fatalf("deadline after a 3-working-day pause = %s, want 2026-11-16", got.Deadline)
		}
		got, err := e.svc.AddEvent(context.Background(), theOfficer, rec.Number, Step{Status: Approved,
			PublicNote: i18n.T("Approved for 12 months.", "批准 12 个月。"), InternalNote: "checked employer licence"})
		if err != nil {
			t.Fatal(err)
		}
		e.move(t, rec.Number, ReadyForCollection)
		got = e.move(t, rec.Number, Collected)
		want := []Status{Submitted, Accepted, UnderReview, SupplementRequested, UnderReview, Approved, ReadyForCollection, Collected}
		if len(got.Events) != len(want) {
			t.Fatalf("events: %+v", got.Events)
		}
		for i, ev := range got.Events {
			if ev.Status != want[i] || (i > 0 && ev.FromStatus != want[i-1]) {
				t.Fatalf("event %d = %s→%s, want →%s", i, ev.FromStatus, ev.Status, want[i])
			}
		}
		if got.Events[5].InternalNote != "checked employer licence" || got.Events[5].PublicNote.Zh != "批准 12 个月。" {
			t.Fatalf("notes lost: %+v", got.Events[5])
		}
		if n := count(t, e.db, "notifications"); n != int64(len(want)) {
			t.Fatalf("%d notifications, want one per status", n)
		}
		if trail, _ := audit.List(e.db.Gorm, "application", rec.ID); len(trail) != len(want) {
			t.Fatalf("%d audit rows, want %d", len(trail), len(want))
		}
	})
}

func TestRejectedDocumentsAreReturned(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, bob, "stay_permit", centreSH)
		for _, s := range []Status{Accepted, UnderReview, Rejected, ReadyForCollection, Collected} {
			e.move(t, rec.Number, s)
		}
	})
}

func TestInternalNoteStaysInternal(t *testing.T) {
	const secret = "applicant flagged by border control"
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		if _, err := e.svc.AddEvent(context.Background(), theOfficer, rec.Number,
			Step{Status: Accepted, InternalNote: secret, PublicNote: i18n.T("Accepted.", "已受理。")}); err != nil {
			t.Fatal(err)
		}
		own, err := e.svc.Own(context.Background(), alice, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		inq, err := e.svc.Inquire(context.Background(), Inquiry{Number: rec.Number, PassportNumber: "E12345678", BirthDate: date(t, "1990-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		ns, _ := notifications.NewStore(e.db).List(context.Background(), alice, paging.Request{Limit: 10})
		for name, v := range map[string]any{"own": own, "inquiry": inq, "notifications": ns} {
			b, _ := json.Marshal(v)
			if strings.Contains(string(b), secret) || strings.Contains(string(b), officer) {
				t.Fatalf("%s leaks internal data: %s", name, b)
			}
		}
		if own.Timeline[1].Note.En != "Accepted." {
			t.Fatalf("public note missing: %+v", own.Timeline)
		}
	})
}

func TestStepRejects(t *testing.T) {
	tests := []struct {
		name        string
		step        Step
		field, code string
	}{
		{"fail-unknown-status", Step{Status: "lost"}, "status", "unknown_status"},
		{"fail-empty-status", Step{}, "status", "unknown_status"},
		{"fail-note-without-chinese", Step{Status: Accepted, PublicNote: i18n.T("Accepted", "")}, "public_note.zh-CN", "note_language_missing"},
		{"fail-note-without-english", Step{Status: Accepted, PublicNote: i18n.T(" ", "已受理")}, "public_note.en", "note_language_missing"},
		{"fail-public-note-too-long", Step{Status: Accepted, PublicNote: i18n.T(strings.Repeat("a", 2001), "长")}, "public_note", "too_long"},
		{"fail-internal-note-too-long", Step{Status: Accepted, InternalNote: strings.Repeat("长", 4001)}, "internal_note", "too_long"},
	}
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.AddEvent(context.Background(), theOfficer, rec.Number, tt.step)
				ae, ok := apperr.As(err)
				if !ok || ae.Kind != apperr.KindInvalid || ae.Field != tt.field || ae.Code != tt.code {
					t.Fatalf("err = %v; want %s on %s", err, tt.code, tt.field)
				}
				if n := count(t, e.db, "application_events"); n != 1 {
					t.Fatalf("%d events after a rejected step", n)
				}
			})
		}
	})
}

func TestAddEventUnknownNumber(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		_, err := e.svc.AddEvent(context.Background(), theOfficer, Number(validNumber("2026110200000000")), Step{Status: Accepted})
		if !apperr.Is(err, "application_not_found") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestRegisterRetriesTakenNumber feeds the same random digits twice: the
// second registration must move on to a fresh number, not fail.
func TestRegisterRetriesTakenNumber(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		digits := append(append(make([]byte, 8), make([]byte, 8)...), 1, 2, 3, 4, 5, 6, 7, 8)
		e.svc.random = bytes.NewReader(digits)
		first := e.register(t, alice, "visa_extension", centreBJ)
		second := e.register(t, bob, "visa_extension", centreBJ)
		if first.Number != Number(validNumber("2026110200000000")) || second.Number != Number(validNumber("2026110212345678")) {
			t.Fatalf("numbers %s and %s", first.Number, second.Number)
		}
		if n := count(t, e.db, "application_events"); n != 2 {
			t.Fatalf("%d events: the clashing attempt left rows behind", n)
		}
	})
}
