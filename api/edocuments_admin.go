package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// EDocumentOfficers is what officers do with issued e-documents: find them
// and suspend, reinstate or revoke one, each with a reason.
type EDocumentOfficers interface {
	Find(ctx context.Context, q attestations.Search, page paging.Request) (paging.Page[attestations.Record], error)
	Suspend(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (attestations.Record, error)
	Reinstate(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (attestations.Record, error)
	RevokeAsOfficer(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (attestations.Record, error)
}

var _ EDocumentOfficers = (*attestations.Service)(nil)

func (h edocumentsHandler) handleFindAttestations(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	q := attestations.Search{DocumentNumber: c.Query("document_number"), PersonID: c.Query("person_id")}
	out, err := h.Officers.Find(c.Request.Context(), q, page)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, func(r attestations.Record) recordJSON { return recordJSONOf(r, lang) }))
}

// decisionRequest is the body of an officer's decision.
type decisionRequest struct {
	Reason i18n.Text `json:"reason"`
}

type officerDecision func(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (attestations.Record, error)

// handleOfficerDecision runs one of the officer's decisions, picked from
// the wired service when the request arrives (it may be unwired: 503).
func (h edocumentsHandler) handleOfficerDecision(pick func(EDocumentOfficers) officerDecision) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req decisionRequest
		if h.failIf(c, decode(c, &req)) {
			return
		}
		r, err := pick(h.Officers)(c.Request.Context(), actorOf(c), c.Param("id"), req.Reason)
		if h.failIf(c, err) {
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, recordJSONOf(r, langOf(c)))
	}
}
