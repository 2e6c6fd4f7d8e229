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

func (s *server) handleCreateCenter(c *gin.Context) {
	req := directory.NewParticulars()
	if s.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := s.directory.CreateCenter(c.Request.Context(), actorOf(c), req)
	if s.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/service-centers/"+ctr.ID)
	c.JSON(http.StatusCreated, dirCenterAdminViewOf(ctr))
}

func (s *server) handleUpdateCenter(c *gin.Context) {
	req := directory.NewParticulars()
	if s.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := s.directory.UpdateCenter(c.Request.Context(), actorOf(c), c.Param("id"), req)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, dirCenterAdminViewOf(ctr))
}

func (s *server) handleAdminGetCenter(c *gin.Context) {
	m, err := s.directory.Detail(c.Request.Context(), c.Param("id"), s.clock.Now())
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, dirCenterAdminViewOf(m.Center))
}

func (s *server) handleDeleteCenter(c *gin.Context) {
	if s.failIf(c, s.directory.DeleteCenter(c.Request.Context(), actorOf(c), c.Param("id"))) {
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *server) handleSetHours(c *gin.Context) {
	var req dirHoursRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := s.directory.SetHours(c.Request.Context(), actorOf(c), c.Param("id"), req.week.Periods())
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, dirCenterAdminViewOf(ctr))
}

func (s *server) handleAddClosure(c *gin.Context) {
	var req dirClosureRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	ctr, err := s.directory.AddClosure(c.Request.Context(), actorOf(c), c.Param("id"), directory.Closure{Date: req.date, Reason: req.Reason})
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, dirCenterAdminViewOf(ctr))
}

func (s *server) handleRemoveClosure(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if s.failIf(c, err) {
		return
	}
	if s.failIf(c, s.directory.RemoveClosure(c.Request.Context(), actorOf(c), c.Param("id"), d)) {
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *server) handlePutCalendarDay(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if s.failIf(c, err) {
		return
	}
	var req dirCalendarDayRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	day := directory.CalendarDay{Date: d, Kind: req.Kind, Name: req.Name, Provisional: req.Provisional}
	created, err := s.directory.PutCalendarDay(c.Request.Context(), actorOf(c), day)
	if s.failIf(c, err) {
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, calendarDayAdminView{Date: d.String(), Kind: day.Kind, Name: day.Name, Provisional: day.Provisional})
}

func (s *server) handleDeleteCalendarDay(c *gin.Context) {
	d, err := dirParseDate(c.Param("date"), "date")
	if s.failIf(c, err) {
		return
	}
	if s.failIf(c, s.directory.DeleteCalendarDay(c.Request.Context(), actorOf(c), d)) {
		return
	}
	c.Status(http.StatusNoContent)
}
