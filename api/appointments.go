package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// The appointment routes. The api package declares what it needs
// from the appointments service as small interfaces; *appointments.Service
// satisfies them all.

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

// Appointments is everything the appointment routes use.
type Appointments interface {
	SlotFinder
	AppointmentBooker
	AppointmentReader
	AppointmentDesk
}

var _ Appointments = (*appointments.Service)(nil)

var (
	errAppointmentsOff = &apperr.Error{Kind: apperr.KindUnavailable, Code: "appointments_unavailable",
		Message: i18n.T("Appointments are not available right now.", "预约服务暂不可用。")}
	errNoPerson = apperr.Forbidden("no_person",
		i18n.T("Your account is not linked to a registered person, so it cannot hold appointments.",
			"您的账户未关联登记人员，无法预约。"))
)

// residentPerson is the caller's registry person, required for booking.
func (s *server) residentPerson(c *gin.Context) (string, bool) {
	p := principalOf(c)
	if p.PersonID == "" {
		s.fail(c, errNoPerson)
		return "", false
	}
	return p.PersonID, true
}

func (s *server) handleSlots(c *gin.Context) {
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
	if s.failIf(c, apptFieldsError(fields)) {
		return
	}
	day, err := s.appts.Slots(c.Request.Context(), c.Param("id"), business, date)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, newDaySlotsView(day))
}

func (s *server) handleBook(c *gin.Context) {
	var req bookRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	key, err := parseIdempotencyKey(c.GetHeader("Idempotency-Key"))
	if s.failIf(c, err) {
		return
	}
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	a, replayed, err := s.appts.Book(c.Request.Context(), appointments.BookRequest{PersonID: person,
		Business: req.Business, CenterID: req.CenterID, SlotStart: req.start, IdempotencyKey: key, By: actorOf(c)})
	if s.failIf(c, err) {
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Header("Location", "/api/v1/appointments/"+a.ID)
	c.JSON(http.StatusCreated, newAppointmentView(a, langOf(c)))
}

func (s *server) handleListAppointments(c *gin.Context) {
	p, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	page, err := s.appts.List(c.Request.Context(), person, p)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Map(page, func(a appointments.Appointment) appointmentView {
		return newAppointmentView(a, langOf(c))
	}))
}

func (s *server) handleGetAppointment(c *gin.Context) {
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	a, err := s.appts.Get(c.Request.Context(), person, c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newAppointmentView(a, langOf(c)))
}

func (s *server) handleCancelAppointment(c *gin.Context) {
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	a, err := s.appts.Cancel(c.Request.Context(), actorOf(c), person, c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newAppointmentView(a, langOf(c)))
}

func (s *server) handleRescheduleAppointment(c *gin.Context) {
	var req rescheduleRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	a, err := s.appts.Reschedule(c.Request.Context(), actorOf(c), person, c.Param("id"), req.start)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newAppointmentView(a, langOf(c)))
}

func (s *server) handleAppointmentCalendar(c *gin.Context) {
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	body, err := s.appts.Calendar(c.Request.Context(), person, c.Param("id"), langOf(c))
	if s.failIf(c, err) {
		return
	}
	c.Header("Content-Disposition", `attachment; filename="appointment.ics"`)
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
}
