package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Officer routes for centres, hours, closures and the working-day calendar.
// Every change is audited by the domain with the caller and request ID.

type dirHoursEntry struct {
	Weekday int    `json:"weekday"`
	Opens   string `json:"opens"`
	Closes  string `json:"closes"`
}

type dirHoursRequest struct {
	Hours []dirHoursEntry `json:"hours"`
	week  directory.Week
}

// Validate parses the times and checks the periods fit together.
func (r *dirHoursRequest) Validate() error {
	if r.Hours == nil {
		return apperr.Invalid("missing_hours", "hours", i18n.T("hours is required; send [] for a centre that never opens.", "开放时间为必填项；从不开放的服务中心请提交空列表 []。"))
	}
	periods := make([]directory.OpeningPeriod, len(r.Hours))
	for i, h := range r.Hours {
		opens, err := directory.ParseClock(h.Opens)
		if err != nil {
			return dirBadTime(fmt.Sprintf("hours[%d].opens", i))
		}
		closes, err := directory.ParseClock(h.Closes)
		if err != nil {
			return dirBadTime(fmt.Sprintf("hours[%d].closes", i))
		}
		periods[i] = directory.OpeningPeriod{Weekday: h.Weekday, Period: directory.Period{Opens: opens, Closes: closes}}
	}
	w, err := directory.BuildWeek(periods)
	r.week = w
	return err
}

func dirBadTime(field string) error {
	return apperr.Malformed("invalid_time", field, i18n.T(field+" must be a time of day as HH:MM.", "时间必须为 HH:MM 格式。"))
}

type dirClosureRequest struct {
	Date   string    `json:"date"`
	Reason i18n.Text `json:"reason"`
	date   calendar.Date
}

// Validate parses the date.
func (r *dirClosureRequest) Validate() error {
	d, err := dirParseDate(r.Date, "date")
	r.date = d
	return err
}

func dirParseDate(s, field string) (calendar.Date, error) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return d, apperr.Malformed("invalid_date", field, i18n.T(field+" must be a date as YYYY-MM-DD.", "日期必须为 YYYY-MM-DD 格式。"))
	}
	return d, nil
}

type dirCalendarDayRequest struct {
	Kind        string    `json:"kind"`
	Name        i18n.Text `json:"name"`
	Provisional bool      `json:"provisional"`
}

func (h directoryHandler) handleCreateCenter(c *gin.Context) {
	req := directory.NewParticulars()
	if h.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := h.Editor.CreateCenter(c.Request.Context(), actorOf(c), req)
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/service-centers/"+ctr.ID)
	c.JSON(http.StatusCreated, dirCenterAdminViewOf(ctr))
}

func (h directoryHandler) handleUpdateCenter(c *gin.Context) {
	req := directory.NewParticulars()
	if h.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := h.Editor.UpdateCenter(c.Request.Context(), actorOf(c), c.Param("id"), req)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, dirCenterAdminViewOf(ctr))
}

func (h directoryHandler) handleAdminGetCenter(c *gin.Context) {
	m, err := h.Centers.Detail(c.Request.Context(), c.Param("id"), h.clock.Now())
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, dirCenterAdminViewOf(m.Center))
}

func (h directoryHandler) handleDeleteCenter(c *gin.Context) {
	if h.failIf(c, h.Editor.DeleteCenter(c.Request.Context(), actorOf(c), c.Param("id"))) {
		return
	}
	c.Status(http.StatusNoContent)
}

func (h directoryHandler) handleSetHours(c *gin.Context) {
	var req dirHoursRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := h.Editor.SetHours(c.Request.Context(), actorOf(c), c.Param("id"), req.week.Periods())
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, dirCenterAdminViewOf(ctr))
}

func (h directoryHandler) handleAddClosure(c *gin.Context) {
	var req dirClosureRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := h.Schedule.AddClosure(c.Request.Context(), actorOf(c), c.Param("id"), directory.Closure{Date: req.date, Reason: req.Reason})
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, dirCenterAdminViewOf(ctr))
}

func (h directoryHandler) handleRemoveClosure(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if h.failIf(c, err) {
		return
	}
	if h.failIf(c, h.Schedule.RemoveClosure(c.Request.Context(), actorOf(c), c.Param("id"), d)) {
		return
	}
	c.Status(http.StatusNoContent)
}

func (h directoryHandler) handlePutCalendarDay(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if h.failIf(c, err) {
		return
	}
	var req dirCalendarDayRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	day := directory.CalendarDay{Date: d, Kind: req.Kind, Name: req.Name, Provisional: req.Provisional}
	created, err := h.Schedule.PutCalendarDay(c.Request.Context(), actorOf(c), day)
	if h.failIf(c, err) {
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, calendarDayAdminView{Date: d.String(), Kind: day.Kind, Name: day.Name, Provisional: day.Provisional})
}

func (h directoryHandler) handleDeleteCalendarDay(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if h.failIf(c, err) {
		return
	}
	if h.failIf(c, h.Schedule.DeleteCalendarDay(c.Request.Context(), actorOf(c), d)) {
		return
	}
	c.Status(http.StatusNoContent)
}
