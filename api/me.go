package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/registry"
)

// MyDocuments reads a resident's own registry data; *registry.Service
// implements it. Handlers pass only the caller's own person ID, never one
// from the request, so no resident route can reach another person.
type MyDocuments interface {
	Person(ctx context.Context, id string) (registry.Person, error)
	CurrentPassport(ctx context.Context, personID string) (registry.Passport, error)
	CurrentFPRCard(ctx context.Context, personID string) (registry.FPRCard, error)
}

var _ MyDocuments = (*registry.Service)(nil)

// handleMe describes the signed-in account and, for a resident, the
// registry person it belongs to.
func (h registryHandler) handleMe(c *gin.Context) {
	p := principalOf(c)
	out := meResponse{AccountID: p.AccountID, Username: p.Username, Role: p.Role}
	if p.PersonID != "" {
		person, err := h.Mine.Person(c.Request.Context(), p.PersonID)
		if h.failIf(c, err) {
			return
		}
		j := toPersonJSON(person, langOf(c))
		out.Person = &j
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

func (h registryHandler) handleMyPassport(c *gin.Context) {
	pass, err := h.Mine.CurrentPassport(c.Request.Context(), principalOf(c).PersonID)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toPassportJSON(pass, langOf(c)))
}

func (h registryHandler) handleMyFPRCard(c *gin.Context) {
	card, err := h.Mine.CurrentFPRCard(c.Request.Context(), principalOf(c).PersonID)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toFPRCardJSON(card, langOf(c)))
}
