package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
)

// Officer routes of appointments (the day's list at a centre, attendance,
// slot configuration) and the caller's notifications.

// AppointmentDesk is what officers do with appointments and slots.
type AppointmentDesk interface {
	CenterDay(ctx context.Context, centerID string, date calendar.Date, p paging.Request) (paging.Page[appointments.Appointment], error)
	MarkAttendance(ctx context.Context, by audit.Actor, id string, status appointments.Status) (appointments.Appointment, error)
	SlotConfig(ctx context.Context, centerID string) (appointments.SlotConfig, error)
	SetSlotConfig(ctx context.Context, by audit.Actor, centerID string, cfg appointments.SlotConfig) (appointments.SlotConfig, error)
}

// NotificationLister lists the messages left for a person.
type NotificationLister interface {
	List(ctx context.Context, personID string, p paging.Request) (paging.Page[notifications.Notification], error)
}

var _ NotificationLister = (*notifications.Store)(nil)

func (s *server) handleCenterDay(c *gin.Context) {
	date, err := calendar.ParseDate(c.Query("date"))
	if err != nil {
		s.fail(c, apperr.Invalid("invalid_date", "date", i18n.T("date must be a YYYY-MM-DD date.", "日期须为 YYYY-MM-DD 格式。")))
		return
	}
	p, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	page, err := s.appts.CenterDay(c.Request.Context(), c.Param("id"), date, p)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Map(page, func(a appointments.Appointment) appointmentView {
		v := newAppointmentView(a, langOf(c))
		v.PersonID = a.PersonID
		return v
	}))
}

func (s *server) handleAttendance(c *gin.Context) {
	var req attendanceRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	a, err := s.appts.MarkAttendance(c.Request.Context(), actorOf(c), c.Param("id"), appointments.Status(req.Status))
	if s.failIf(c, err) {
		return
	}
	v := newAppointmentView(a, langOf(c))
	v.PersonID = a.PersonID
	c.JSON(http.StatusOK, v)
}

type slotWindowJSON struct {
	FromDays int `json:"from_days"`
	ToDays   int `json:"to_days"`
}

type slotGroupJSON struct {
	Name        string   `json:"name"`
	Businesses  []string `json:"businesses"`
	SlotMinutes int      `json:"slot_minutes"`
	Capacity    int      `json:"capacity"`
}

// slotConfigJSON is both the PUT body and the answer. A null window means
// the service default, in both: what a GET returns can be PUT back
// unchanged. The window in force is effective_window (read only, as is
// default_window).
type slotConfigJSON struct {
	Window          *slotWindowJSON `json:"window"`
	DefaultWindow   bool            `json:"default_window"`
	EffectiveWindow *slotWindowJSON `json:"effective_window,omitempty"`
	Groups          []slotGroupJSON `json:"groups"`
}

func (r *slotConfigJSON) Validate() error {
	if r.Groups == nil {
		f := apptMissingField("groups")
		return apperr.Invalid(f.Code, f.Field, f.Message)
	}
	return nil
}

func (r slotConfigJSON) config() appointments.SlotConfig {
	cfg := appointments.SlotConfig{DefaultWindow: r.Window == nil}
	if r.Window != nil {
		cfg.Window = appointments.Window{From: r.Window.FromDays, To: r.Window.ToDays}
	}
	for _, g := range r.Groups {
		cfg.Groups = append(cfg.Groups, appointments.SlotGroup{Name: g.Name, Businesses: g.Businesses,
			SlotMinutes: g.SlotMinutes, Capacity: g.Capacity})
	}
	return cfg
}

func newSlotConfigJSON(cfg appointments.SlotConfig) slotConfigJSON {
	w := &slotWindowJSON{FromDays: cfg.Window.From, ToDays: cfg.Window.To}
	out := slotConfigJSON{DefaultWindow: cfg.DefaultWindow, EffectiveWindow: w, Groups: []slotGroupJSON{}}
	if !cfg.DefaultWindow {
		out.Window = w
	}
	for _, g := range cfg.Groups {
		out.Groups = append(out.Groups, slotGroupJSON{Name: g.Name, Businesses: g.Businesses,
			SlotMinutes: g.SlotMinutes, Capacity: g.Capacity})
	}
	return out
}

func (s *server) handleGetSlotConfig(c *gin.Context) {
	cfg, err := s.appts.SlotConfig(c.Request.Context(), c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newSlotConfigJSON(cfg))
}

func (s *server) handlePutSlotConfig(c *gin.Context) {
	var req slotConfigJSON
	if s.failIf(c, decode(c, &req)) {
		return
	}
	cfg, err := s.appts.SetSlotConfig(c.Request.Context(), actorOf(c), c.Param("id"), req.config())
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newSlotConfigJSON(cfg))
}

type notificationView struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Subject   string  `json:"subject"`
	Body      string  `json:"body"`
	Ref       string  `json:"ref,omitempty"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at,omitempty"`
}

func (s *server) handleMyNotifications(c *gin.Context) {
	p, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	person, ok := s.residentPerson(c)
	if !ok {
		return
	}
	page, err := s.notes.List(c.Request.Context(), person, p)
	if s.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store") // personal data
	c.JSON(http.StatusOK, paging.Map(page, func(n notifications.Notification) notificationView {
		v := notificationView{ID: n.ID, Kind: n.Kind, Subject: n.Subject.In(lang), Body: n.Body.In(lang),
			Ref: n.Ref, CreatedAt: apptLocalTime(n.CreatedAt)}
		if n.ReadAt != nil {
			r := apptLocalTime(*n.ReadAt)
			v.ReadAt = &r
		}
		return v
	}))
}
