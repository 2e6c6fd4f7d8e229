package api

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// SlotFinder answers the public "which slots are free" question.
type SlotFinder interface {
	Slots(ctx context.Context, centerID, business string, date calendar.Date) (appointments.DaySlots, error)
}

// AppointmentBooker changes a resident's own appointments.
type AppointmentBooker interface {
	Book(ctx context.Context, req appointments.BookRequest) (appointments.Appointment, bool, error)
	Cancel(ctx context.Context, by audit.Actor, personID, id string) (appointments.Appointment, error)
	Reschedule(ctx context.Context, by audit.Actor, personID, id string, start time.Time) (appointments.Appointment, error)
}

// AppointmentReader reads a resident's own appointments.
type AppointmentReader interface {
	Get(ctx context.Context, personID, id string) (appointments.Appointment, error)
	List(ctx context.Context, personID string, p paging.Request) (paging.Page[appointments.Appointment], error)
	Calendar(ctx context.Context, personID, id string, lang i18n.Lang) ([]byte, error)
}

var (
	_ SlotFinder        = (*appointments.Service)(nil)
	_ AppointmentBooker = (*appointments.Service)(nil)
	_ AppointmentReader = (*appointments.Service)(nil)
	_ AppointmentDesk   = (*appointments.Service)(nil)
)

// Appointments are the services behind the appointment routes: one
// *appointments.Service satisfies all but Notifications, which
// notifications.NewStore does. A nil field makes the routes that call it
// answer 503.
type Appointments struct {
	Finder        SlotFinder
	Bookings      AppointmentBooker
	Own           AppointmentReader
	Desk          AppointmentDesk
	Notifications NotificationLister
	// Bookers names the account that booked each appointment; nil leaves
	// booked_by out.
	Bookers AppointmentBookers
}

// AppointmentBookers reads the accounts that booked appointments;
// *accounts.Service implements it.
type AppointmentBookers interface {
	ByIDs(ctx context.Context, ids []string) (map[string]accounts.Account, error)
}

var _ AppointmentBookers = (*accounts.Service)(nil)

// views renders appointments for the person they belong to, each naming
// who booked it: the person, or a helper acting for them. A lookup that
// fails leaves booked_by out rather than failing the answer.
func (h appointmentsHandler) views(c *gin.Context, list ...appointments.Appointment) []appointmentView {
	lang := langOf(c)
	out := make([]appointmentView, len(list))
	var who map[string]accounts.Account
	if h.Bookers != nil && len(list) > 0 {
		ids := make([]string, 0, len(list))
		for _, a := range list {
			ids = append(ids, a.BookedBy)
		}
		who, _ = h.Bookers.ByIDs(c.Request.Context(), ids)
	}
	for i, a := range list {
		out[i] = newAppointmentView(a, lang)
		if acc, ok := who[a.BookedBy]; ok {
			out[i].BookedBy = &bookerView{AccountID: acc.ID, Username: acc.Username, OnBehalf: acc.PersonID != a.PersonID}
		}
	}
	return out
}

// appointmentsHandler serves the appointment routes and the caller's
// notifications.
type appointmentsHandler struct {
	responder
	Appointments
}

var (
	errAppointmentsOff = capabilityOff("appointments_unavailable",
		i18n.T("Appointments are not available right now.", "预约服务暂不可用。"))
	errNoPerson = apperr.Forbidden("no_person",
		i18n.T("Your account is not linked to a registered person, so it cannot hold appointments.",
			"您的账户未关联登记人员，无法预约。"))
)

// residentPerson is the caller's registry person, required for booking.
func (h appointmentsHandler) residentPerson(c *gin.Context) (string, bool) {
	p := principalOf(c)
	if p.PersonID == "" {
		h.fail(c, errNoPerson)
		return "", false
	}
	return p.PersonID, true
}

func (h appointmentsHandler) handleSlots(c *gin.Context) {
	business, dateText := c.Query("business"), c.Query("date")
	var fields []apperr.FieldError
	if business == "" {
		fields = append(fields, apptMissingField("business"))
	}
	date, err := calendar.ParseDate(dateText)
	if err != nil {
		fields = append(fields, apperr.FieldError{Field: "date", Code: "invalid_date",
			Message: i18n.T("date must be a YYYY-MM-DD date.", "日期须为 YYYY-MM-DD 格式。")})
	}
	if h.failIf(c, apptFieldsError(fields)) {
		return
	}
	day, err := h.Finder.Slots(c.Request.Context(), c.Param("id"), business, date)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, newDaySlotsView(day))
}

func (h appointmentsHandler) handleBook(c *gin.Context) {
	var req bookRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	key, err := parseIdempotencyKey(c.GetHeader("Idempotency-Key"))
	if h.failIf(c, err) {
		return
	}
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	a, replayed, err := h.Bookings.Book(c.Request.Context(), appointments.BookRequest{PersonID: person,
		Business: req.Business, CenterID: req.CenterID, SlotStart: req.start, IdempotencyKey: key, By: actorOf(c)})
	if h.failIf(c, err) {
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Header("Location", "/api/v1/appointments/"+a.ID)
	c.JSON(http.StatusCreated, h.views(c, a)[0])
}

func (h appointmentsHandler) handleListAppointments(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	page, err := h.Own.List(c.Request.Context(), person, p)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Page[appointmentView]{Items: h.views(c, page.Items...), NextCursor: page.NextCursor})
}

func (h appointmentsHandler) handleGetAppointment(c *gin.Context) {
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	a, err := h.Own.Get(c.Request.Context(), person, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, h.views(c, a)[0])
}

func (h appointmentsHandler) handleCancelAppointment(c *gin.Context) {
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	a, err := h.Bookings.Cancel(c.Request.Context(), actorOf(c), person, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, h.views(c, a)[0])
}

func (h appointmentsHandler) handleRescheduleAppointment(c *gin.Context) {
	var req rescheduleRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	a, err := h.Bookings.Reschedule(c.Request.Context(), actorOf(c), person, c.Param("id"), req.start)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, h.views(c, a)[0])
}

func (h appointmentsHandler) handleAppointmentCalendar(c *gin.Context) {
	person, ok := h.residentPerson(c)
	if !ok {
		return
	}
	body, err := h.Own.Calendar(c.Request.Context(), person, c.Param("id"), langOf(c))
	if h.failIf(c, err) {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="appointment.ics"`)
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
}

// bookRequest is the body of POST /api/v1/appointments.
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
