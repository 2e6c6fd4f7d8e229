package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
)

// officerGrantRequest is the body of POST /api/v1/admin/assistance-grants:
// a grant for a dependant, recorded from the evidence an officer saw.
type officerGrantRequest struct {
	PersonID       string `json:"person_id"`
	HelperUsername string `json:"helper_username"`
	termsBody
}

func (r officerGrantRequest) Validate() error {
	return requireFields(required("person_id", r.PersonID), required("helper_username", r.HelperUsername),
		required("relationship", r.Relationship), required("evidence", r.Evidence))
}

// refuseGrantRequest is the body of a refusal.
type refuseGrantRequest struct {
	Reason i18n.Text `json:"reason"`
}

func (h assistanceHandler) handleRecordGrant(c *gin.Context) {
	var req officerGrantRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	t, err := req.terms()
	if h.failIf(c, err) {
		return
	}
	g, err := h.Officers.RecordDependant(c.Request.Context(), actorOf(c), req.PersonID, req.HelperUsername, t)
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/admin/assistance-grants/"+g.ID)
	h.render(c, http.StatusCreated, g)
}

func (h assistanceHandler) handleFindGrants(c *gin.Context) {
	p, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	q := assistance.Search{State: assistance.State(c.Query("state")), PersonID: strings.TrimSpace(c.Query("person_id")),
		HelperID: strings.TrimSpace(c.Query("helper_account_id"))}
	page, err := h.Officers.Find(c.Request.Context(), q, p)
	if h.failIf(c, err) {
		return
	}
	h.renderPage(c, page)
}

func (h assistanceHandler) handleGetGrant(c *gin.Context) {
	g, err := h.Officers.Get(c.Request.Context(), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}

type grantDecision func(ctx context.Context, by audit.Actor, id string) (assistance.Grant, error)

// handleDecision serves approve and end, which take no body.
func (h assistanceHandler) handleDecision(pick func(AssistanceDecisions) grantDecision) gin.HandlerFunc {
	return func(c *gin.Context) {
		g, err := pick(h.Decisions)(c.Request.Context(), actorOf(c), c.Param("id"))
		if h.failIf(c, err) {
			return
		}
		h.render(c, http.StatusOK, g)
	}
}

func (h assistanceHandler) handleRefuseGrant(c *gin.Context) {
	var req refuseGrantRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	g, err := h.Decisions.Refuse(c.Request.Context(), actorOf(c), c.Param("id"), req.Reason)
	if h.failIf(c, err) {
		return
	}
	h.render(c, http.StatusOK, g)
}
