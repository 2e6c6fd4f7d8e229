package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

func (s *Site) handleAppointments(c *gin.Context) {
	m := meOf(c)
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/appointments?limit=50", m.token, &list)
	if !ok {
		return
	}
	p := page{Title: tr("My appointments", "我的预约"), Nav: "appointments"}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	p.Data = list.Items
	if c.Query("done") == "booked" {
		p.Notice = tr("Your appointment is booked.", "预约成功。")
	}
	s.render(c, http.StatusOK, "appointments", p)
}

// booking is the state of the booking form, one step after the other:
// business, then centre, then date, then a free slot. The choices so far
// travel in the query (none is personal), so each step works without
// script as a plain GET form.
type booking struct {
	Business, Centre, Date string
	Businesses, Centres    []obj
	Day                    obj
	MinDate                string
	// For a reschedule: the appointment moved.
	Appointment obj
}

func (s *Site) handleBookForm(c *gin.Context) {
	b := booking{Business: c.Query("business"), Centre: c.Query("centre"), Date: c.Query("date")}
	s.bookingPage(c, http.StatusOK, b, nil)
}

func (s *Site) bookingPage(c *gin.Context, status int, b booking, refusal *apiReply) {
	p := page{Title: tr("Book an appointment", "预约办理"), Nav: "appointments"}
	b.MinDate = s.clk.Now().In(shanghai).Format("2006-01-02")
	var types struct{ Items []obj }
	if _, ok := s.getJSON(c, "/api/v1/business-types", "", &types); !ok {
		return
	}
	b.Businesses = types.Items
	if b.Business != "" {
		var list struct{ Items []obj }
		r, ok := s.getJSON(c, "/api/v1/service-centers?limit=100&business="+url.QueryEscape(b.Business), "", &list)
		if !ok {
			return
		}
		if !r.ok() {
			refusal = r
		}
		b.Centres = list.Items
	}
	if b.Business != "" && b.Centre != "" && b.Date != "" && refusal == nil {
		r, ok := s.slots(c, b.Centre, b.Business, b.Date, &b.Day)
		if !ok {
			return
		}
		if !r.ok() {
			refusal = r
		}
	}
	p.Data = &b
	if refusal != nil {
		s.failPage(c, status, "book", p, refusal)
		return
	}
	s.render(c, status, "book", p)
}

func (s *Site) slots(c *gin.Context, centre, business, date string, out *obj) (*apiReply, bool) {
	q := url.Values{"business": {business}, "date": {date}}
	return s.getJSON(c, "/api/v1/service-centers/"+url.PathEscape(centre)+"/slots?"+q.Encode(), "", out)
}

func (s *Site) handleBook(c *gin.Context) {
	m := meOf(c)
	b := booking{Business: c.PostForm("business"), Centre: c.PostForm("centre"), Date: c.PostForm("date")}
	r, err := s.call(c, http.MethodPost, "/api/v1/appointments", m.token, map[string]string{
		"business": b.Business, "center_id": b.Centre, "slot_start": c.PostForm("slot_start")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.bookingPage(c, r.status, b, r)
		return
	}
	c.Redirect(http.StatusSeeOther, "/appointments?done=booked")
}

func (s *Site) handleCancel(c *gin.Context) {
	m := meOf(c)
	r, err := s.call(c, http.MethodPost, "/api/v1/appointments/"+url.PathEscape(c.Param("id"))+"/cancel", m.token, nil)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.refused(c, page{Title: tr("My appointments", "我的预约"), Nav: "appointments"}, r)
		return
	}
	c.Redirect(http.StatusSeeOther, "/appointments")
}

// appointment reads one of the caller's appointments.
func (s *Site) appointment(c *gin.Context) (obj, bool) {
	m := meOf(c)
	var a obj
	r, ok := s.getJSON(c, "/api/v1/appointments/"+url.PathEscape(c.Param("id")), m.token, &a)
	if !ok {
		return nil, false
	}
	if !r.ok() {
		s.refused(c, page{Title: tr("My appointments", "我的预约"), Nav: "appointments"}, r)
		return nil, false
	}
	return a, true
}

func (s *Site) handleRescheduleForm(c *gin.Context) {
	s.reschedulePage(c, http.StatusOK, c.Query("date"), nil)
}

func (s *Site) reschedulePage(c *gin.Context, status int, date string, refusal *apiReply) {
	a, ok := s.appointment(c)
	if !ok {
		return
	}
	b := booking{Appointment: a, Date: date, MinDate: s.clk.Now().In(shanghai).Format("2006-01-02")}
	b.Business, _ = a["business"].(string)
	b.Centre, _ = a["center_id"].(string)
	if b.Date == "" {
		if start, err := time.Parse(time.RFC3339, str(a["slot_start"])); err == nil {
			b.Date = start.In(shanghai).Format("2006-01-02")
		}
	}
	if refusal == nil {
		r, ok := s.slots(c, b.Centre, b.Business, b.Date, &b.Day)
		if !ok {
			return
		}
		if !r.ok() {
			refusal = r
		}
	}
	p := page{Title: tr("Change the appointment", "改约"), Nav: "appointments", Data: &b}
	if refusal != nil {
		s.failPage(c, status, "reschedule", p, refusal)
		return
	}
	s.render(c, status, "reschedule", p)
}

func (s *Site) handleReschedule(c *gin.Context) {
	m := meOf(c)
	r, err := s.call(c, http.MethodPost, "/api/v1/appointments/"+url.PathEscape(c.Param("id"))+"/reschedule", m.token,
		map[string]string{"slot_start": c.PostForm("slot_start")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.reschedulePage(c, r.status, c.PostForm("date"), r)
		return
	}
	c.Redirect(http.StatusSeeOther, "/appointments")
}

// handleCalendar passes the API's calendar file through.
func (s *Site) handleCalendar(c *gin.Context) {
	m := meOf(c)
	r, err := s.call(c, http.MethodGet, "/api/v1/appointments/"+url.PathEscape(c.Param("id"))+"/calendar.ics", m.token, nil)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.refused(c, page{Title: tr("My appointments", "我的预约"), Nav: "appointments"}, r)
		return
	}
	c.Header("Content-Disposition", r.header.Get("Content-Disposition"))
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, r.header.Get("Content-Type"), r.body)
}

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}
