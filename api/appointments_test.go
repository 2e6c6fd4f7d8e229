package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

const slot0900 = "2026-12-01T09:00:00+08:00"

func bookBody(slot string) string {
	return `{"business":"visa_extension","center_id":"c1","slot_start":"` + slot + `"}`
}

func TestAppointmentJourneyHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		rec := h.do("GET", "/api/v1/service-centers/c1/slots?business=visa_extension&date=2026-12-01", "", "")
		day := decodeJSON[daySlotsView](t, rec)
		if rec.Code != http.StatusOK || len(day.Slots) != 6 || day.Slots[0].Start != slot0900 || day.Slots[0].Remaining != 1 {
			t.Fatalf("slots: %d %s", rec.Code, rec.Body)
		}

		rec = h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900), "Idempotency-Key", "retry-key-0001")
		if rec.Code != http.StatusCreated || rec.Header().Get("Idempotent-Replayed") != "" {
			t.Fatalf("book: %d %s", rec.Code, rec.Body)
		}
		a := decodeJSON[appointmentView](t, rec)
		if len(a.ConfirmationCode) != 8 || a.SlotStart != slot0900 || a.Status != "booked" || rec.Header().Get("Location") != "/api/v1/appointments/"+a.ID {
			t.Fatalf("appointment: %+v", a)
		}
		rec = h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900), "Idempotency-Key", "retry-key-0001")
		if again := decodeJSON[appointmentView](t, rec); rec.Code != http.StatusCreated || again.ID != a.ID || rec.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s", rec.Code, rec.Body)
		}
		rec = h.do("GET", "/api/v1/service-centers/c1/slots?business=visa_extension&date=2026-12-01", "", "")
		if day := decodeJSON[daySlotsView](t, rec); day.Slots[0].Remaining != 0 {
			t.Fatalf("retry booked twice: %s", rec.Body)
		}

		rec = h.do("GET", "/api/v1/appointments?limit=10", "alice", "")
		if page := decodeJSON[paging.Page[appointmentView]](t, rec); len(page.Items) != 1 || page.Items[0].ID != a.ID {
			t.Fatalf("list: %s", rec.Body)
		}
		rec = h.do("GET", "/api/v1/appointments/"+a.ID+"?lang=zh-CN", "alice", "")
		if got := decodeJSON[appointmentView](t, rec); rec.Code != http.StatusOK || got.BusinessName != "签证延期" || got.StatusLabel != "已预约" {
			t.Fatalf("get: %d %s", rec.Code, rec.Body)
		}
		for _, path := range []string{"", "/calendar.ics"} {
			wantProblem(t, h.do("GET", "/api/v1/appointments/"+a.ID+path, "bob", ""), http.StatusNotFound, "appointment_not_found", "")
		}
		wantProblem(t, h.do("POST", "/api/v1/appointments/"+a.ID+"/cancel", "bob", ""), http.StatusNotFound, "appointment_not_found", "")

		rec = h.do("GET", "/api/v1/appointments/"+a.ID+"/calendar.ics", "alice", "")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") ||
			!strings.Contains(body, "DTSTART;TZID=Asia/Shanghai:20261201T090000\r\n") ||
			!strings.Contains(body, `LOCATION:2 Andingmen East Street\, Beijing`) {
			t.Fatalf("ics: %d %s", rec.Code, body)
		}

		rec = h.do("POST", "/api/v1/appointments/"+a.ID+"/reschedule", "alice", `{"slot_start":"2026-12-02T10:30:00+08:00"}`)
		if got := decodeJSON[appointmentView](t, rec); rec.Code != http.StatusOK || got.SlotStart != "2026-12-02T10:30:00+08:00" {
			t.Fatalf("reschedule: %d %s", rec.Code, rec.Body)
		}
		rec = h.do("POST", "/api/v1/appointments/"+a.ID+"/cancel", "alice", "")
		if got := decodeJSON[appointmentView](t, rec); rec.Code != http.StatusOK || got.Status != "cancelled" || got.StatusLabel != "Cancelled" || got.CancelledAt == nil {
			t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
		}
		p := wantProblem(t, h.do("POST", "/api/v1/appointments/"+a.ID+"/cancel", "alice", "", "Accept-Language", "zh-CN"),
			http.StatusConflict, "appointment_not_active", "")
		if !strings.Contains(p.Detail, "预约") {
			t.Fatalf("problem not in Chinese: %+v", p)
		}
	}, dbtest.WithClock(clk))
}

// TestBookRejectionsHTTP: one row per way a booking request is refused at
// the edge or by a rule; none of them may book anything.
func TestBookRejectionsHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		if rec := h.do("POST", "/api/v1/appointments", "bob", bookBody("2026-12-03T11:30:00+08:00")); rec.Code != http.StatusCreated {
			t.Fatalf("setup: %s", rec.Body)
		}
		tests := []struct {
			name, token, body, key string
			status                 int
			code, field            string
		}{
			{"fail-no-token", "", bookBody(slot0900), "", 401, "unauthenticated", ""},
			{"fail-bad-token", "forged", bookBody(slot0900), "", 401, "invalid_token", ""},
			{"fail-officer-is-not-resident", "officer", bookBody(slot0900), "", 403, "forbidden", ""},
			{"fail-account-without-person", "nobody", bookBody(slot0900), "", 403, "no_person", ""},
			{"fail-empty-body", "alice", "", "", 400, "empty_body", ""},
			{"fail-malformed-json", "alice", `{"business":`, "", 400, "malformed_json", ""},
			{"fail-unknown-field", "alice", `{"business":"visa_extension","center_id":"c1","slot_start":"` + slot0900 + `","person_id":"x"}`, "", 400, "unknown_field", "person_id"},
			{"fail-wrong-type", "alice", `{"business":1}`, "", 400, "wrong_type", "business"},
			{"fail-missing-fields", "alice", `{}`, "", 422, "missing_field", "business"},
			{"fail-bad-slot-start", "alice", `{"business":"visa_extension","center_id":"c1","slot_start":"tomorrow 9am"}`, "", 422, "invalid_slot_start", "slot_start"},
			{"fail-bad-idempotency-key", "alice", bookBody(slot0900), "short", 400, "invalid_idempotency_key", "Idempotency-Key"},
			{"fail-unknown-business", "alice", `{"business":"tourism","center_id":"c1","slot_start":"` + slot0900 + `"}`, "", 422, "unknown_business", "business"},
			{"fail-unknown-center", "alice", `{"business":"visa_extension","center_id":"c9","slot_start":"` + slot0900 + `"}`, "", 404, "center_not_found", ""},
			{"fail-business-not-offered", "alice", `{"business":"stay_permit","center_id":"c1","slot_start":"` + slot0900 + `"}`, "", 422, "business_not_offered", "business"},
			{"fail-slot-in-past", "alice", bookBody("2026-11-30T09:00:00+08:00"), "", 422, "slot_in_past", "slot_start"},
			{"fail-outside-window", "alice", bookBody("2026-12-30T09:00:00+08:00"), "", 422, "slot_outside_window", "slot_start"},
			{"fail-center-closed", "alice", bookBody("2026-12-05T09:00:00+08:00"), "", 422, "center_closed", "slot_start"},
			{"fail-no-such-slot", "alice", bookBody("2026-12-01T09:15:00+08:00"), "", 422, "no_such_slot", "slot_start"},
			{"fail-slot-full", "alice", bookBody("2026-12-03T11:30:00+08:00"), "", 409, "slot_full", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var hdr []string
				if tt.key != "" {
					hdr = []string{"Idempotency-Key", tt.key}
				}
				wantProblem(t, h.do("POST", "/api/v1/appointments", tt.token, tt.body, hdr...), tt.status, tt.code, tt.field)
				rec := h.do("GET", "/api/v1/appointments", "alice", "")
				if page := decodeJSON[paging.Page[appointmentView]](t, rec); len(page.Items) != 0 {
					t.Fatalf("a refused request booked: %s", rec.Body)
				}
			})
		}
		t.Run("fail-missing-fields-lists-all", func(t *testing.T) {
			p := wantProblem(t, h.do("POST", "/api/v1/appointments", "alice", `{}`), 422, "missing_field", "business")
			if len(p.Errors) != 3 || p.Errors[2].Field != "slot_start" {
				t.Fatalf("errors: %+v", p.Errors)
			}
		})
		t.Run("fail-duplicate-business", func(t *testing.T) {
			wantProblem(t, h.do("POST", "/api/v1/appointments", "bob", bookBody(slot0900)), 409, "duplicate_business", "")
		})
		t.Run("fail-key-reused", func(t *testing.T) {
			if rec := h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900), "Idempotency-Key", "key-reused-1"); rec.Code != 201 {
				t.Fatalf("first: %s", rec.Body)
			}
			wantProblem(t, h.do("POST", "/api/v1/appointments", "alice", bookBody("2026-12-01T09:30:00+08:00"), "Idempotency-Key", "key-reused-1"),
				422, "idempotency_key_reused", "Idempotency-Key")
		})
	}, dbtest.WithClock(clk))
}

func TestSlotsQueryRejectionsHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		for _, tt := range []struct{ name, query, code, field string }{
			{"fail-missing-business", "date=2026-12-01", "missing_field", "business"},
			{"fail-bad-date", "business=visa_extension&date=2026-13-01", "invalid_date", "date"},
			{"fail-missing-date", "business=visa_extension", "invalid_date", "date"},
			{"fail-unknown-business", "business=x&date=2026-12-01", "unknown_business", "business"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				wantProblem(t, h.do("GET", "/api/v1/service-centers/c1/slots?"+tt.query, "", ""), 422, tt.code, tt.field)
			})
		}
		wantProblem(t, h.do("GET", "/api/v1/service-centers/c9/slots?business=visa_extension&date=2026-12-01", "", ""), 404, "center_not_found", "")
	}, dbtest.WithClock(clk))
}

func TestOfficerRoutesHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		rec := h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900))
		a := decodeJSON[appointmentView](t, rec)
		wantProblem(t, h.do("GET", "/api/v1/admin/service-centers/c1/appointments?date=2026-12-01", "alice", ""), 403, "forbidden", "")
		wantProblem(t, h.do("GET", "/api/v1/admin/service-centers/c1/appointments?date=12/01", "officer", ""), 422, "invalid_date", "date")
		rec = h.do("GET", "/api/v1/admin/service-centers/c1/appointments?date=2026-12-01", "officer", "")
		page := decodeJSON[paging.Page[appointmentView]](t, rec)
		if len(page.Items) != 1 || page.Items[0].PersonID != "person-alice" {
			t.Fatalf("day list: %s", rec.Body)
		}
		wantProblem(t, h.do("POST", "/api/v1/admin/appointments/"+a.ID+"/attendance", "officer", `{"status":"attended"}`), 409, "attendance_too_early", "")
		wantProblem(t, h.do("POST", "/api/v1/admin/appointments/"+a.ID+"/attendance", "officer", `{"status":"late"}`), 422, "invalid_attendance", "status")
		h.clk.Set(apptNow.AddDate(0, 0, 1))
		rec = h.do("POST", "/api/v1/admin/appointments/"+a.ID+"/attendance", "officer", `{"status":"no_show"}`)
		if got := decodeJSON[appointmentView](t, rec); rec.Code != 200 || got.Status != "no_show" {
			t.Fatalf("attendance: %d %s", rec.Code, rec.Body)
		}
		p := wantProblem(t, h.do("PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer",
			`{"window":{"from_days":3,"to_days":1},"groups":[{"name":"BAD","businesses":["stay_permit"],"slot_minutes":1,"capacity":0}]}`),
			422, "invalid_window", "window")
		if len(p.Errors) != 5 {
			t.Fatalf("every bad field should be listed: %+v", p.Errors)
		}
		wantProblem(t, h.do("PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer", `{"window":null}`), 422, "missing_field", "groups")
		rec = h.do("GET", "/api/v1/admin/service-centers/c1/slot-config", "officer", "")
		cfg := decodeJSON[slotConfigJSON](t, rec)
		if len(cfg.Groups) != 2 || !cfg.DefaultWindow || cfg.Window != nil || cfg.EffectiveWindow.ToDays != 14 {
			t.Fatalf("config changed by refused writes: %s", rec.Body)
		}
		// What a GET returns can be PUT back: the default window stays the
		// default, not a copy of it frozen into the centre's own.
		rec = h.do("PUT", "/api/v1/admin/service-centers/c1/slot-config", "officer", rec.Body.String())
		if cfg := decodeJSON[slotConfigJSON](t, rec); rec.Code != 200 || !cfg.DefaultWindow || cfg.Window != nil {
			t.Fatalf("round trip: %d %s", rec.Code, rec.Body)
		}
	}, dbtest.WithClock(clk))
}

func TestMyNotificationsHTTP(t *testing.T) {
	clk := clock.NewFake(apptNow)
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newApptHarness(t, db, clk)
		a := decodeJSON[appointmentView](t, h.do("POST", "/api/v1/appointments", "alice", bookBody(slot0900)))
		n, err := h.svc.CancelForClosure(context.Background(), "c1", calendar.Date{Year: 2026, Month: 12, Day: 1},
			i18n.T("Staff training.", "员工培训。"))
		if err != nil || n != 1 {
			t.Fatalf("closure: %d %v", n, err)
		}
		rec := h.do("GET", "/api/v1/me/notifications", "alice", "", "Accept-Language", "zh-CN")
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Fatalf("notifications cacheable: Cache-Control %q", got)
		}
		page := decodeJSON[paging.Page[notificationView]](t, rec)
		// The closure's notice, then the booking's own.
		if rec.Code != 200 || len(page.Items) != 2 || page.Items[0].Ref != a.ID || !strings.Contains(page.Items[0].Body, "员工培训") {
			t.Fatalf("zh notifications: %s", rec.Body)
		}
		rec = h.do("GET", "/api/v1/me/notifications?lang=en", "alice", "")
		if page := decodeJSON[paging.Page[notificationView]](t, rec); !strings.Contains(page.Items[0].Body, "Staff training.") {
			t.Fatalf("en notifications: %s", rec.Body)
		}
		if page := decodeJSON[paging.Page[notificationView]](t, h.do("GET", "/api/v1/me/notifications", "bob", "")); len(page.Items) != 0 {
			t.Fatal("bob sees alice's notifications")
		}
		wantProblem(t, h.do("GET", "/api/v1/me/notifications?limit=0", "alice", ""), 400, "invalid_limit", "limit")
		wantProblem(t, h.do("GET", "/api/v1/me/notifications", "", ""), 401, "unauthenticated", "")
	}, dbtest.WithClock(clk))
}
