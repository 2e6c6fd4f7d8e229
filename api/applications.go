package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
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

// applicationsAPI is the applications part of the server.
type applicationsAPI struct {
	views   ApplicationViews
	desk    ApplicationDesk
	limiter *addressLimiter
}

func newApplicationsAPI(d Deps) applicationsAPI {
	return applicationsAPI{views: d.ApplicationViews, desk: d.ApplicationDesk,
		limiter: newAddressLimiter(d.InquiryLimit)}
}

var errApplicationsOff = capabilityOff("applications_unavailable",
	i18n.T("Application status is not available on this server.", "本服务器不提供申请进度查询。"))

// numberParam reads the {number} path parameter, naming it on error.
func numberParam(c *gin.Context) (applications.Number, error) {
	n, err := applications.ParseNumber(c.Param("number"))
	return n, apperr.AtField(err, "number")
}

// handleListOwnApplications is GET /api/v1/applications.
func (s *server) handleListOwnApplications(c *gin.Context) {
	p, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	page, err := s.apps.views.ListOwn(c.Request.Context(), principalOf(c).PersonID, p)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, summaryPage(page, langOf(c)))
}

// handleOwnApplication is GET /api/v1/applications/{number}.
func (s *server) handleOwnApplication(c *gin.Context) {
	n, err := numberParam(c)
	if s.failIf(c, err) {
		return
	}
	pub, err := s.apps.views.Own(c.Request.Context(), principalOf(c).PersonID, n)
	if s.failIf(c, err) {
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
func (s *server) handleInquiry(c *gin.Context) {
	var req inquiryRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	q, err := applications.ParseInquiry(req.ApplicationNumber, req.PassportNumber, req.BirthDate,
		calendar.LocalDate(s.clock.Now()))
	if s.failIf(c, err) {
		return
	}
	pub, err := s.apps.views.Inquire(c.Request.Context(), q)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, publicJSON(pub, langOf(c)))
}

// handleSearchApplications is GET /api/v1/admin/applications.
func (s *server) handleSearchApplications(c *gin.Context) {
	p, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	f, err := applications.ParseFilter(c.Query("centre_id"), c.Query("status"), c.Query("overdue"))
	if s.failIf(c, err) {
		return
	}
	page, err := s.apps.desk.Search(c.Request.Context(), f, p)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, officerSummaryPage(page, langOf(c)))
}

// handleGetApplication is GET /api/v1/admin/applications/{number}.
func (s *server) handleGetApplication(c *gin.Context) {
	n, err := numberParam(c)
	if s.failIf(c, err) {
		return
	}
	rec, err := s.apps.desk.Get(c.Request.Context(), n)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, officerJSON(rec, langOf(c)))
}

// handleRegisterApplication is POST /api/v1/admin/applications.
func (s *server) handleRegisterApplication(c *gin.Context) {
	var req registerApplicationRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	rec, err := s.apps.desk.Register(c.Request.Context(), actorOf(c), req.registration())
	if s.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/admin/applications/"+rec.Number.String())
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, officerJSON(rec, langOf(c)))
}

// handleAddApplicationEvent is POST /api/v1/admin/applications/{number}/events.
func (s *server) handleAddApplicationEvent(c *gin.Context) {
	n, err := numberParam(c)
	if s.failIf(c, err) {
		return
	}
	var req applicationEventRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	rec, err := s.apps.desk.AddEvent(c.Request.Context(), actorOf(c), n, req.step())
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, officerJSON(rec, langOf(c)))
}
