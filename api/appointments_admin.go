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
	ListFor(ctx context.Context, to notifications.Recipient, p paging.Request) (paging.Page[notifications.Notification], error)
}

var _ NotificationLister = (*notifications.Store)(nil)

func (h appointmentsHandler) handleCenterDay(c *gin.Context) {
	date, err := calendar.ParseDate(c.Query("date"))
	if err != nil {
		h.fail(c, apperr.Invalid("invalid_date", "date", i18n.T("date must be a YYYY-MM-DD date.", "日期须为 YYYY-MM-DD 格式。")))
		return
	}
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Desk.CenterDay(c.Request.Context(), c.Param("id"), date, p)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Map(page, func(a appointments.Appointment) appointmentView {
		v := newAppointmentView(a, langOf(c))
		v.PersonID = a.PersonID
		return v
	}))
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

func (h appointmentsHandler) handleAttendance(c *gin.Context) {
	var req attendanceRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	a, err := h.Desk.MarkAttendance(c.Request.Context(), actorOf(c), c.Param("id"), appointments.Status(req.Status))
	if h.failIf(c, err) {
		return
	}
	v := newAppointmentView(a, langOf(c))
	v.PersonID = a.PersonID
	c.JSON(http.StatusOK, v)
}

func (h appointmentsHandler) handleGetSlotConfig(c *gin.Context) {
	cfg, err := h.Desk.SlotConfig(c.Request.Context(), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newSlotConfigJSON(cfg))
}

func (h appointmentsHandler) handlePutSlotConfig(c *gin.Context) {
	var req slotConfigJSON
	if h.failIf(c, decode(c, &req)) {
		return
	}
	cfg, err := h.Desk.SetSlotConfig(c.Request.Context(), actorOf(c), c.Param("id"), req.config())
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, newSlotConfigJSON(cfg))
}

func (h appointmentsHandler) handleMyNotifications(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	// Any signed-in account reads what is addressed to it, and a
	// resident also what is addressed to their person.
	me := principalOf(c)
	page, err := h.Notifications.ListFor(c.Request.Context(), notifications.Recipient{PersonID: me.PersonID, AccountID: me.AccountID}, p)
	if h.failIf(c, err) {
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
