package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// ApplicationViews is what applicants may see of applications: their own,
// signed in, or one they can prove is theirs by passport and birth date.
type ApplicationViews interface {
	ListOwn(ctx context.Context, personID string, p paging.Request) (paging.Page[applications.Application], error)
	Own(ctx context.Context, personID string, n applications.Number) (applications.Public, error)
	Inquire(ctx context.Context, q applications.Inquiry) (applications.Public, error)
}

// ApplicationDesk is the officers' side: register, move, list, read.
type ApplicationDesk interface {
	Register(ctx context.Context, by audit.Actor, r applications.Registration) (applications.Record, error)
	AddEvent(ctx context.Context, by audit.Actor, n applications.Number, st applications.Step) (applications.Record, error)
	Search(ctx context.Context, f applications.Filter, p paging.Request) (paging.Page[applications.Application], error)
	Get(ctx context.Context, n applications.Number) (applications.Record, error)
}

var (
	_ ApplicationViews = (*applications.Service)(nil)
	_ ApplicationDesk  = (*applications.Service)(nil)
)

// Applications are the services behind the application routes; one
// *applications.Service satisfies both. Unless both are given the routes
// answer 503.
type Applications struct {
	Views ApplicationViews
	Desk  ApplicationDesk
	// InquiryLimit is the per-address rate of anonymous inquiries;
	// DefaultInquiryLimit when zero.
	InquiryLimit InquiryLimit
}

// applicationsHandler serves the application routes. The clock dates
// inquiries and drives the per-address limiter.
type applicationsHandler struct {
	responder
	Applications
	clock   clock.Clock
	limiter *addressLimiter
}

func newApplicationsHandler(r responder, a Applications, clk clock.Clock) applicationsHandler {
	return applicationsHandler{responder: r, Applications: a, clock: clk, limiter: newAddressLimiter(a.InquiryLimit)}
}

func (h applicationsHandler) on() bool { return h.Views != nil && h.Desk != nil }

var errApplicationsOff = capabilityOff("applications_unavailable",
	i18n.T("Application status is not available on this server.", "本服务器不提供申请进度查询。"))

// numberParam reads the {number} path parameter, naming it on error.
func numberParam(c *gin.Context) (applications.Number, error) {
	n, err := applications.ParseNumber(c.Param("number"))
	return n, apperr.AtField(err, "number")
}

// handleListOwnApplications is GET /api/v1/applications.
func (h applicationsHandler) handleListOwnApplications(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Views.ListOwn(c.Request.Context(), principalOf(c).PersonID, p)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, summaryPage(page, langOf(c)))
}

// handleOwnApplication is GET /api/v1/applications/{number}.
func (h applicationsHandler) handleOwnApplication(c *gin.Context) {
	n, err := numberParam(c)
	if h.failIf(c, err) {
		return
	}
	pub, err := h.Views.Own(c.Request.Context(), principalOf(c).PersonID, n)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, publicJSON(pub, langOf(c)))
}

type inquiryRequest struct {
	ApplicationNumber string `json:"application_number"`
	PassportNumber    string `json:"passport_number"`
	BirthDate         string `json:"birth_date"`
}

// handleInquiry is POST /api/v1/inquiries, open to anyone and rate
// limited per address. The number's check character is validated before
// anything is looked up.
func (h applicationsHandler) handleInquiry(c *gin.Context) {
	var req inquiryRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	q, err := applications.ParseInquiry(req.ApplicationNumber, req.PassportNumber, req.BirthDate,
		calendar.LocalDate(h.clock.Now()))
	if h.failIf(c, err) {
		return
	}
	pub, err := h.Views.Inquire(c.Request.Context(), q)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, publicJSON(pub, langOf(c)))
}

// handleSearchApplications is GET /api/v1/admin/applications.
func (h applicationsHandler) handleSearchApplications(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	f, err := applications.ParseFilter(c.Query("center_id"), c.Query("status"), c.Query("overdue"))
	if h.failIf(c, err) {
		return
	}
	page, err := h.Desk.Search(c.Request.Context(), f, p)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, officerSummaryPage(page, langOf(c)))
}

// handleGetApplication is GET /api/v1/admin/applications/{number}.
func (h applicationsHandler) handleGetApplication(c *gin.Context) {
	n, err := numberParam(c)
	if h.failIf(c, err) {
		return
	}
	rec, err := h.Desk.Get(c.Request.Context(), n)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, officerJSON(rec, langOf(c)))
}

// handleRegisterApplication is POST /api/v1/admin/applications.
func (h applicationsHandler) handleRegisterApplication(c *gin.Context) {
	var req registerApplicationRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	rec, err := h.Desk.Register(c.Request.Context(), actorOf(c), req.registration())
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/admin/applications/"+rec.Number.String())
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, officerJSON(rec, langOf(c)))
}

// handleAddApplicationEvent is POST /api/v1/admin/applications/{number}/events.
func (h applicationsHandler) handleAddApplicationEvent(c *gin.Context) {
	n, err := numberParam(c)
	if h.failIf(c, err) {
		return
	}
	var req applicationEventRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	rec, err := h.Desk.AddEvent(c.Request.Context(), actorOf(c), n, req.step())
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, officerJSON(rec, langOf(c)))
}

// registerApplicationRequest is the body of POST /api/v1/admin/applications.
type registerApplicationRequest struct {
	PersonID      string `json:"person_id"`
	BusinessType  string `json:"business_type"`
	CenterID      string `json:"center_id"`
	AppointmentID string `json:"appointment_id"`
	SubmittedAt   string `json:"submitted_at"` // RFC 3339; now when empty

	submittedAt time.Time
}

// Validate parses submitted_at and checks the shape of the rest.
func (r *registerApplicationRequest) Validate() error {
	if s := strings.TrimSpace(r.SubmittedAt); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return apperr.Invalid("invalid_time", "submitted_at", i18n.T(
				"submitted_at must be an RFC 3339 time such as 2026-11-02T09:30:00+08:00.",
				"提交时间须为 RFC 3339 格式的时间，例如 2026-11-02T09:30:00+08:00。"))
		}
		r.submittedAt = t
	}
	return r.registration().Validate()
}

func (r *registerApplicationRequest) registration() applications.Registration {
	return applications.Registration{PersonID: strings.TrimSpace(r.PersonID),
		BusinessType: strings.TrimSpace(r.BusinessType), CentreID: strings.TrimSpace(r.CenterID),
		AppointmentID: strings.TrimSpace(r.AppointmentID), SubmittedAt: r.submittedAt}
}

// applicationEventRequest is the body of POST …/applications/{number}/events.
type applicationEventRequest struct {
	Status       string     `json:"status"`
	PublicNote   *i18n.Text `json:"public_note"`
	InternalNote string     `json:"internal_note"`
}

// Validate checks the status and the notes.
func (r *applicationEventRequest) Validate() error { return r.step().Validate() }

func (r *applicationEventRequest) step() applications.Step {
	st := applications.Step{Status: applications.Status(r.Status), InternalNote: r.InternalNote}
	if r.PublicNote != nil {
		st.PublicNote = *r.PublicNote
	}
	return st
}
