package api

import (
	"regexp"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Request and response bodies of the appointment routes: the wire shapes,
// kept apart from the domain types so either can change alone.

type bookRequest struct {
	Business  string `json:"business"`
	CenterID  string `json:"center_id"`
	SlotStart string `json:"slot_start"`

	start time.Time
}

// Validate checks the shape of every field and reports all bad ones; the
// domain then checks the rules (is the slot real, is there a seat).
func (r *bookRequest) Validate() error {
	var fields []apperr.FieldError
	if strings.TrimSpace(r.Business) == "" {
		fields = append(fields, apptMissingField("business"))
	}
	if strings.TrimSpace(r.CenterID) == "" {
		fields = append(fields, apptMissingField("center_id"))
	}
	if t, err := parseSlotStart(r.SlotStart); err != nil {
		e, _ := apperr.As(err)
		fields = append(fields, apperr.FieldError{Field: e.Field, Code: e.Code, Message: e.Message})
	} else {
		r.start = t
	}
	return apptFieldsError(fields)
}

type rescheduleRequest struct {
	SlotStart string `json:"slot_start"`

	start time.Time
}

func (r *rescheduleRequest) Validate() error {
	t, err := parseSlotStart(r.SlotStart)
	r.start = t
	return err
}

type attendanceRequest struct {
	Status string `json:"status"`
}

func (r *attendanceRequest) Validate() error {
	if r.Status != string(appointments.Attended) && r.Status != string(appointments.NoShow) {
		return apperr.Invalid("invalid_attendance", "status",
			i18n.T(`status must be "attended" or "no_show".`, "到场情况须为“已到场”或“未到场”。"))
	}
	return nil
}

func parseSlotStart(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		f := apptMissingField("slot_start")
		return time.Time{}, apperr.Invalid(f.Code, f.Field, f.Message)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, apperr.Invalid("invalid_slot_start", "slot_start",
			i18n.T("slot_start must be an RFC 3339 time such as 2026-12-01T09:30:00+08:00.",
				"预约时段开始时间须为 RFC 3339 格式的时间，例如 2026-12-01T09:30:00+08:00。"))
	}
	return t.UTC(), nil
}

func apptMissingField(field string) apperr.FieldError {
	return apperr.FieldError{Field: field, Code: "missing_field",
		Message: i18n.T(field+" is required.", "此项为必填项。")}
}

func apptFieldsError(fields []apperr.FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	e := apperr.Invalid(fields[0].Code, fields[0].Field, fields[0].Message)
	e.Fields = fields
	return e
}

// idempotencyKeyPattern admits UUIDs and similar opaque tokens, nothing that
// could smuggle anything into logs or keys.
var idempotencyKeyPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,128}$`)

func parseIdempotencyKey(h string) (string, error) {
	if h == "" {
		return "", nil
	}
	if !idempotencyKeyPattern.MatchString(h) {
		return "", apperr.Malformed("invalid_idempotency_key", "Idempotency-Key",
			i18n.T("Idempotency-Key must be 8 to 128 letters, digits or . _ : -", "幂等键须为 8 至 128 个字母、数字或 . _ : - 字符。"))
	}
	return h, nil
}

type appointmentView struct {
	ID               string  `json:"id"`
	ConfirmationCode string  `json:"confirmation_code"`
	Business         string  `json:"business"`
	BusinessName     string  `json:"business_name"`
	CenterID         string  `json:"center_id"`
	CenterName       string  `json:"center_name"`
	CenterAddress    string  `json:"center_address"`
	SlotStart        string  `json:"slot_start"`
	SlotEnd          string  `json:"slot_end"`
	Status           string  `json:"status"`
	StatusLabel      string  `json:"status_label"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
	CancelledAt      *string `json:"cancelled_at,omitempty"`
	CancelReason     string  `json:"cancel_reason,omitempty"`
	PersonID         string  `json:"person_id,omitempty"` // officers only
	CalendarURL      string  `json:"calendar_url"`
}

// apptLocalTime writes instants at the centres' offset (+08:00), which is what
// a person reads on the hall's clock.
func apptLocalTime(t time.Time) string { return t.In(clock.Shanghai()).Format(time.RFC3339) }

func newAppointmentView(a appointments.Appointment, lang i18n.Lang) appointmentView {
	v := appointmentView{ID: a.ID, ConfirmationCode: a.ConfirmationCode, Business: a.Business,
		BusinessName: appointments.BusinessName(a.Business).In(lang), CenterID: a.CenterID,
		CenterName: a.CenterName.In(lang), CenterAddress: a.CenterAddress.In(lang),
		SlotStart: apptLocalTime(a.Start), SlotEnd: apptLocalTime(a.End), Status: string(a.Status), StatusLabel: a.Status.Label().In(lang),
		CreatedAt: apptLocalTime(a.CreatedAt), UpdatedAt: apptLocalTime(a.UpdatedAt),
		CancelReason: a.CancelReason.In(lang), CalendarURL: "/api/v1/appointments/" + a.ID + "/calendar.ics"}
	if a.CancelledAt != nil {
		s := apptLocalTime(*a.CancelledAt)
		v.CancelledAt = &s
	}
	return v
}

type slotView struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Capacity  int    `json:"capacity"`
	Remaining int    `json:"remaining"`
}

type daySlotsView struct {
	CenterID string     `json:"center_id"`
	Business string     `json:"business"`
	Date     string     `json:"date"`
	Open     bool       `json:"open"`
	InWindow bool       `json:"in_window"`
	Slots    []slotView `json:"slots"`
}

func newDaySlotsView(d appointments.DaySlots) daySlotsView {
	v := daySlotsView{CenterID: d.CenterID, Business: d.Business, Date: d.Date, Open: d.Open,
		InWindow: d.InWindow, Slots: make([]slotView, len(d.Slots))}
	for i, s := range d.Slots {
		v.Slots[i] = slotView{Start: apptLocalTime(s.Start), End: apptLocalTime(s.End), Capacity: s.Capacity, Remaining: s.Remaining}
	}
	return v
}
