package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// MyHelpers is the principal's side of their grants.
type MyHelpers interface {
	Invite(ctx context.Context, by audit.Actor, personID, username string, t assistance.Terms) (assistance.Grant, error)
	Helpers(ctx context.Context, personID string, p paging.Request) (paging.Page[assistance.Grant], error)
	EndAsPrincipal(ctx context.Context, by audit.Actor, personID, id string) (assistance.Grant, error)
	Confirm(ctx context.Context, by audit.Actor, personID, id string) (assistance.Grant, error)
}

// MyPrincipals is the helper's side: the grants they hold or asked for.
type MyPrincipals interface {
	Principals(ctx context.Context, helperID string, p paging.Request) (paging.Page[assistance.Grant], error)
	Accept(ctx context.Context, by audit.Actor, helperID, id string) (assistance.Grant, error)
	EndAsHelper(ctx context.Context, by audit.Actor, helperID, id string) (assistance.Grant, error)
	RequestDependant(ctx context.Context, by audit.Actor, helper assistance.Account, who assistance.Identity, t assistance.Terms) (assistance.Grant, error)
}

// MyActivity lists what helpers did for the caller.
type MyActivity interface {
	ActivityFor(ctx context.Context, personID string, p paging.Request) (paging.Page[assistance.Activity], error)
}

// AssistanceOfficers records, finds and decides grants for dependants.
type AssistanceOfficers interface {
	RecordDependant(ctx context.Context, by audit.Actor, personID, helperUsername string, t assistance.Terms) (assistance.Grant, error)
	Find(ctx context.Context, q assistance.Search, p paging.Request) (paging.Page[assistance.Grant], error)
	Get(ctx context.Context, id string) (assistance.Grant, error)
}

// AssistanceDecisions are an officer's decisions on a grant.
type AssistanceDecisions interface {
	Approve(ctx context.Context, by audit.Actor, id string) (assistance.Grant, error)
	Refuse(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (assistance.Grant, error)
	EndAsOfficer(ctx context.Context, by audit.Actor, id string) (assistance.Grant, error)
}

var (
	_ MyHelpers           = (*assistance.Service)(nil)
	_ MyPrincipals        = (*assistance.Service)(nil)
	_ MyActivity          = (*assistance.Service)(nil)
	_ AssistanceOfficers  = (*assistance.Service)(nil)
	_ AssistanceDecisions = (*assistance.Service)(nil)
)

// Assistance are the services behind acting for someone: the gate every
// request with On-Behalf-Of passes, and the routes that manage grants. One
// *assistance.Service satisfies every field; a nil field makes the routes
// that call it answer 503.
type Assistance struct {
	Gate       AssistanceGate
	Helpers    MyHelpers
	Principals MyPrincipals
	Activity   MyActivity
	Officers   AssistanceOfficers
	Decisions  AssistanceDecisions
}

type assistanceHandler struct {
	responder
	Assistance
}

// termsBody is what a grant allows and until when.
type termsBody struct {
	Scopes       []string `json:"scopes"`
	ExpiresAt    string   `json:"expires_at"`
	Relationship string   `json:"relationship"`
	Evidence     string   `json:"evidence"`
}

func (b termsBody) terms() (assistance.Terms, error) {
	t := assistance.Terms{Relationship: assistance.Relationship(b.Relationship), Evidence: b.Evidence}
	for _, s := range b.Scopes {
		t.Scopes = append(t.Scopes, assistance.Scope(s))
	}
	if b.ExpiresAt != "" {
		at, err := time.Parse(time.RFC3339, b.ExpiresAt)
		if err != nil {
			return t, badTime("expires_at")
		}
		at = at.UTC()
		t.ExpiresAt = &at
	}
	return t, nil
}

func badTime(field string) error {
	return apperr.Invalid("invalid_time", field,
		i18n.T(field+" must be an RFC 3339 date and time.", "时间须为 RFC 3339 格式的日期和时间。"))
}

// inviteRequest is the body of POST /api/v1/me/helpers.
type inviteRequest struct {
	Username string `json:"username"`
	termsBody
}

func (r inviteRequest) Validate() error { return requireFields(required("username", r.Username)) }

// dependantRequest is the body of POST /api/v1/me/dependants/requests:
// the dependant named by their documents, and what the helper asks for.
type dependantRequest struct {
	PassportNumber string `json:"passport_number"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	FPRCardNumber  string `json:"fpr_card_number"`
	termsBody
}

func (r dependantRequest) Validate() error {
	return requireFields(required("passport_number", r.PassportNumber), required("nationality", r.Nationality),
		required("birth_date", r.BirthDate), required("relationship", r.Relationship), required("evidence", r.Evidence))
}

func (h assistanceHandler) render(c *gin.Context, status int, g assistance.Grant) {
	c.Header("Cache-Control", "no-store")
	c.JSON(status, grantJSONOf(g, langOf(c)))
}

func (h assistanceHandler) renderPage(c *gin.Context, page paging.Page[assistance.Grant]) {
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(page, func(g assistance.Grant) grantJSON { return grantJSONOf(g, lang) }))
}

func (h assistanceHandler) handleInvite(c *gin.Context) {
	var req inviteRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	t, err := req.terms()
	if h.failIf(c, err) {
		return
	}
	g, err := h.Helpers.Invite(c.Request.Context(), actorOf(c), principalOf(c).PersonID, req.Username, t)
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/me/helpers/"+g.ID)
	h.render(c, http.StatusCreated, g)
}

func (h assistanceHandler) handleListHelpers(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Helpers.Helpers(c.Request.Context(), principalOf(c).PersonID, p)
	if h.failIf(c, err) {
		return
	}
	h.renderPage(c, page)
}

func (h assistanceHandler) handleEndHelper(c *gin.Context) {
	g, err := h.Helpers.EndAsPrincipal(c.Request.Context(), actorOf(c), principalOf(c).PersonID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}

func (h assistanceHandler) handleConfirmHelper(c *gin.Context) {
	g, err := h.Helpers.Confirm(c.Request.Context(), actorOf(c), principalOf(c).PersonID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}

func (h assistanceHandler) handleListPrincipals(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Principals.Principals(c.Request.Context(), principalOf(c).AccountID, p)
	if h.failIf(c, err) {
		return
	}
	h.renderPage(c, page)
}

func (h assistanceHandler) handleAccept(c *gin.Context) {
	g, err := h.Principals.Accept(c.Request.Context(), actorOf(c), principalOf(c).AccountID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}

func (h assistanceHandler) handleLeave(c *gin.Context) {
	g, err := h.Principals.EndAsHelper(c.Request.Context(), actorOf(c), principalOf(c).AccountID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}

func (h assistanceHandler) handleRequestDependant(c *gin.Context) {
	var req dependantRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	birth, err := calendar.ParseDate(req.BirthDate)
	if err != nil {
		h.fail(c, apperr.Invalid("invalid_date", "birth_date", i18n.T("birth_date must be a YYYY-MM-DD date.", "出生日期须为 YYYY-MM-DD 格式。")))
		return
	}
	t, err := req.terms()
	if h.failIf(c, err) {
		return
	}
	p := principalOf(c)
	who := assistance.Identity{PassportNumber: req.PassportNumber, Nationality: strings.ToUpper(strings.TrimSpace(req.Nationality)),
		BirthDate: birth, FPRCardNumber: req.FPRCardNumber}
	g, err := h.Principals.RequestDependant(c.Request.Context(), actorOf(c),
		assistance.Account{ID: p.AccountID, Username: p.Username, Role: p.Role, PersonID: p.PersonID}, who, t)
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/me/principals/"+g.ID)
	h.render(c, http.StatusCreated, g)
}

func (h assistanceHandler) handleMyActivity(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Activity.ActivityFor(c.Request.Context(), principalOf(c).PersonID, p)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(page, func(a assistance.Activity) activityJSON { return activityJSONOf(a, lang) }))
}
