package api

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// HeaderOnBehalfOf names the person a helper's request acts for.
const HeaderOnBehalfOf = "On-Behalf-Of"

// onBehalfRoute is what acting for someone on a route needs and how the
// principal's activity view names it.
type onBehalfRoute struct {
	scope  assistance.Scope
	action string
	label  i18n.Text
	// notify tells the principal at once; the appointment routes leave
	// their own notice of every change, naming the helper.
	notify bool
}

// onBehalfRoutes is the one table of the routes a helper may use for a
// principal, keyed by method and route template, with the scope each
// needs: reads need the :read scope, changes the :write one, and every
// e-document route edocuments:issue. A header on any other route is
// refused (on_behalf_not_supported). TestOnBehalfRouteTable holds it to
// the registered routes.
var onBehalfRoutes = map[string]onBehalfRoute{
	"GET /api/v1/appointments": {assistance.AppointmentsRead, "appointment.list",
		i18n.T("Looked at your appointments", "查看了您的预约"), false},
	"GET /api/v1/appointments/:id": {assistance.AppointmentsRead, "appointment.view",
		i18n.T("Looked at an appointment", "查看了一项预约"), false},
	"GET /api/v1/appointments/:id/calendar.ics": {assistance.AppointmentsRead, "appointment.calendar",
		i18n.T("Downloaded an appointment to a calendar", "下载了一项预约的日历文件"), false},
	"POST /api/v1/appointments": {assistance.AppointmentsWrite, "appointment.book",
		i18n.T("Booked an appointment", "预约了办理时间"), false},
	"POST /api/v1/appointments/:id/cancel": {assistance.AppointmentsWrite, "appointment.cancel",
		i18n.T("Cancelled an appointment", "取消了一项预约"), false},
	"POST /api/v1/appointments/:id/reschedule": {assistance.AppointmentsWrite, "appointment.reschedule",
		i18n.T("Moved an appointment", "改约了一项预约"), false},
	"GET /api/v1/applications": {assistance.ApplicationsRead, "application.list",
		i18n.T("Looked at your applications", "查看了您的申请"), false},
	"GET /api/v1/applications/:number": {assistance.ApplicationsRead, "application.view",
		i18n.T("Looked at an application", "查看了一项申请"), false},
	"POST /api/v1/inquiries": {assistance.ApplicationsRead, "application.inquiry",
		i18n.T("Inquired about an application", "查询了一项申请的办理进度"), false},
	"GET /api/v1/me/passport": {assistance.DocumentsRead, "passport.view",
		i18n.T("Looked at your passport details", "查看了您的护照信息"), false},
	"GET /api/v1/me/fpr-card": {assistance.DocumentsRead, "fpr_card.view",
		i18n.T("Looked at your permanent residence card details", "查看了您的永久居留身份证信息"), false},
	"GET /api/v1/me/attestations": {assistance.EDocumentsIssue, "edocument.list",
		i18n.T("Looked at your e-documents", "查看了您的电子证明"), false},
	"POST /api/v1/me/attestations": {assistance.EDocumentsIssue, "edocument.issue",
		i18n.T("Obtained an e-document for you", "为您申领了电子证明"), true},
	"GET /api/v1/me/attestations/:id": {assistance.EDocumentsIssue, "edocument.view",
		i18n.T("Looked at an e-document", "查看了一份电子证明"), false},
	"GET /api/v1/me/attestations/:id/qr.png": {assistance.EDocumentsIssue, "edocument.download",
		i18n.T("Downloaded an e-document", "下载了一份电子证明"), false},
	"GET /api/v1/me/attestations/:id/qr.svg": {assistance.EDocumentsIssue, "edocument.download",
		i18n.T("Downloaded an e-document", "下载了一份电子证明"), false},
	"GET /api/v1/me/attestations/:id/document.pdf": {assistance.EDocumentsIssue, "edocument.download",
		i18n.T("Downloaded an e-document", "下载了一份电子证明"), false},
	"GET /api/v1/me/attestations/:id/verifications": {assistance.EDocumentsIssue, "edocument.verifications",
		i18n.T("Looked at who verified an e-document", "查看了电子证明的核验记录"), false},
	"POST /api/v1/me/attestations/:id/revoke": {assistance.EDocumentsIssue, "edocument.revoke",
		i18n.T("Revoked an e-document", "撤销了一份电子证明"), true},
}

// ActionLabel names an activity's action in both languages.
func ActionLabel(action string) i18n.Text {
	for _, r := range onBehalfRoutes {
		if r.action == action {
			return r.label
		}
	}
	return i18n.T(action, "其他操作")
}

var (
	errOnBehalfNotSupported = apperr.Malformed("on_behalf_not_supported", HeaderOnBehalfOf,
		i18n.T("This route cannot be used on someone's behalf: send it without the On-Behalf-Of header.",
			"此功能不支持代他人办理，请勿在请求中指定被代办人。"))
	errOnBehalfMalformed = apperr.Malformed("invalid_on_behalf_of", HeaderOnBehalfOf,
		i18n.T("On-Behalf-Of must be the person ID of the one you act for.", "被代办人须以其人员编号指定。"))
	errAssistanceOff = capabilityOff("assistance_unavailable",
		i18n.T("Acting for someone else is not available right now.", "代办服务暂不可用。"))
)

// AssistanceGate decides and records acting for someone; the
// *assistance.Service implements it.
type AssistanceGate interface {
	Authorize(ctx context.Context, helperID, personID string, scope assistance.Scope) (assistance.Grant, error)
	RecordActivity(ctx context.Context, g assistance.Grant, a assistance.Activity, notice *i18n.Text) error
	RecordActivityTx(tx storage.Tx, g assistance.Grant, a assistance.Activity, notice *i18n.Text) error
}

var _ AssistanceGate = (*assistance.Service)(nil)

// Acting is set on the Principal of a request that acts for someone.
type Acting struct {
	GrantID     string
	OwnPersonID string // the helper's own registry person, if any
	// record keeps the activity in the transaction of any change the
	// request makes (actorOf hands it on as audit.Actor.Also).
	record audit.Recorder
}

// activityInTx writes a helper's activity row inside the transaction of
// the change it records. The row is written with the status the change
// answers when it commits; once answered, RecordActivity sets the real
// one, finding the row by its ID.
type activityInTx struct {
	gate   AssistanceGate
	grant  assistance.Grant
	act    assistance.Activity
	notice *i18n.Text
}

func (r *activityInTx) RecordTx(tx storage.Tx, _ time.Time, e audit.Entry) error {
	a := r.act
	if a.Ref == "" {
		a.Ref = e.EntityID // what the change created
	}
	return r.gate.RecordActivityTx(tx, r.grant, a, r.notice)
}

// doneStatus is what a change answers when it commits: 201 for one that
// creates (a POST on a collection), else 200.
func doneStatus(c *gin.Context) int {
	if c.Request.Method == http.MethodPost && !strings.Contains(c.FullPath(), ":") {
		return http.StatusCreated
	}
	return http.StatusOK
}

func onBehalfKey(c *gin.Context) string { return c.Request.Method + " " + c.FullPath() }

// refuseOnBehalfElsewhere refuses the header on every route that does
// not support it, before anything else runs, so a helper never believes a
// request was made for someone when it was made as themselves.
func (s *server) refuseOnBehalfElsewhere() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader(HeaderOnBehalfOf) == "" || c.FullPath() == "" {
			c.Next()
			return
		}
		if _, ok := onBehalfRoutes[onBehalfKey(c)]; !ok {
			s.fail(c, errOnBehalfNotSupported)
			return
		}
		c.Next()
	}
}

// onBehalfOptional authenticates a public route's caller only when the
// request is made for someone (an inquiry a helper makes for a
// principal), so the grant can be checked and recorded.
func (s *server) onBehalfOptional() gin.HandlerFunc {
	check := s.requireRole(RoleResident)
	return func(c *gin.Context) {
		if c.GetHeader(HeaderOnBehalfOf) == "" {
			c.Next()
			return
		}
		check(c)
	}
}

// actFor runs the rest of the request as the principal the header names,
// once the grant allows the route's scope, and records it for the
// principal. It is called by requireRole on every request carrying the
// header, so the grant is checked on each one.
func (s *server) actFor(c *gin.Context, p Principal, header string) {
	route, ok := onBehalfRoutes[onBehalfKey(c)]
	if !ok {
		s.fail(c, errOnBehalfNotSupported)
		return
	}
	if s.assist == nil {
		s.fail(c, errAssistanceOff)
		return
	}
	person := strings.TrimSpace(header)
	if _, err := uuid.Parse(person); err != nil {
		s.fail(c, errOnBehalfMalformed)
		return
	}
	g, err := s.assist.Authorize(c.Request.Context(), p.AccountID, person, route.scope)
	if err != nil {
		s.fail(c, err)
		return
	}
	actID, err := uuid.NewV7()
	if err != nil {
		s.fail(c, apperr.Internal("api: activity id: %w", err))
		return
	}
	inTx := &activityInTx{gate: s.assist, grant: g, act: assistance.Activity{ID: actID.String(), Action: route.action,
		Scope: route.scope, Ref: activityRef(c), Status: doneStatus(c), RequestID: requestIDOf(c)}}
	if route.notify {
		inTx.notice = &route.label
	}
	own := p.PersonID
	p.PersonID, p.Acting = person, &Acting{GrantID: g.ID, OwnPersonID: own, record: inTx}
	c.Set(ctxPrincipal, p)
	c.Next()

	var notice *i18n.Text
	status := c.Writer.Status()
	if route.notify && status < http.StatusBadRequest {
		notice = &route.label
	}
	a := assistance.Activity{ID: inTx.act.ID, Action: route.action, Scope: route.scope, Ref: activityRef(c), Status: status, RequestID: requestIDOf(c)}
	// A change already wrote its row with the change itself; this records
	// reads and refusals, and the answer's status. The answer is already
	// written; the record must not depend on the client still listening.
	if err := s.assist.RecordActivity(context.WithoutCancel(c.Request.Context()), g, a, notice); err != nil {
		s.log.ErrorContext(c.Request.Context(), "recording a helper's activity failed",
			slog.String("request_id", a.RequestID), slog.String("error", err.Error()))
	}
}

// activityRef is what the request was about: the record its path names,
// or the one it created.
func activityRef(c *gin.Context) string {
	for _, p := range []string{"id", "number"} {
		if v := c.Param(p); v != "" {
			return v
		}
	}
	if loc := c.Writer.Header().Get("Location"); loc != "" {
		return path.Base(loc)
	}
	return ""
}

// onBehalfActor is the actor of a request made for someone, and the zero
// Actor otherwise, for the services that name the person's own account
// themselves.
func onBehalfActor(c *gin.Context) audit.Actor {
	if principalOf(c).Acting == nil {
		return audit.Actor{}
	}
	return actorOf(c)
}
