package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// RelyingPartyAdmin manages relying parties (admins only).
type RelyingPartyAdmin interface {
	Create(ctx context.Context, by audit.Actor, req relyingparties.CreateRequest) (relyingparties.WithKey, error)
	List(ctx context.Context, page paging.Request) (paging.Page[relyingparties.Party], error)
	Disable(ctx context.Context, by audit.Actor, id string) (relyingparties.Party, error)
	Rotate(ctx context.Context, by audit.Actor, id string) (relyingparties.WithKey, error)
}

var _ RelyingPartyAdmin = (*relyingparties.Service)(nil)

// RelyingParties is the service behind the relying-party administration
// routes (admins only): *relyingparties.Service. Nil answers them 503.
type RelyingParties struct {
	Admin RelyingPartyAdmin
}

// relyingPartiesHandler serves the relying-party administration routes.
type relyingPartiesHandler struct {
	responder
	RelyingParties
}

// relyingPartyRequest is the body of POST /api/v1/admin/relying-parties.
// It has no Validate: the relying-party service checks the name and
// sector, once.
type relyingPartyRequest struct {
	Name   string `json:"name"`
	Sector string `json:"sector"`
}

func (h relyingPartiesHandler) handleCreateRelyingParty(c *gin.Context) {
	var req relyingPartyRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	p, err := h.Admin.Create(c.Request.Context(), actorOf(c),
		relyingparties.CreateRequest{Name: req.Name, Sector: relyingparties.Sector(req.Sector)})
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, partyKeyJSONOf(p))
}

func (h relyingPartiesHandler) handleListRelyingParties(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	out, err := h.Admin.List(c.Request.Context(), page)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Map(out, partyJSONOf))
}

func (h relyingPartiesHandler) handleDisableRelyingParty(c *gin.Context) {
	p, err := h.Admin.Disable(c.Request.Context(), actorOf(c), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, partyJSONOf(p))
}

func (h relyingPartiesHandler) handleRotateRelyingPartyKey(c *gin.Context) {
	p, err := h.Admin.Rotate(c.Request.Context(), actorOf(c), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, partyKeyJSONOf(p))
}
