package api

import (
	"context"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Roles of accounts.
const (
	RoleResident = "resident"
	RoleOfficer  = "officer"
	RoleAdmin    = "admin"
	// RoleHelper is an account that holds no registry record (a Chinese
	// citizen helping a family member): it uses resident routes only on
	// someone's behalf.
	RoleHelper = "helper"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	AccountID string
	Username  string
	Role      string
	// PersonID is the registry person whose records the request reads or
	// changes: the resident's own, or, while Acting is set, the principal's
	// the On-Behalf-Of header names and a grant allows. Empty for staff.
	PersonID string
	// Acting is set when the request acts for someone else.
	Acting *Acting
}

// Authenticator turns a bearer session token into a Principal. The accounts
// package implements it; a wrong, expired or revoked token is an
// apperr.KindUnauthenticated error.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (Principal, error)
}

const ctxPrincipal = "fprlink.principal"

var (
	errNoToken = apperr.Unauthenticated("unauthenticated",
		i18n.T("Sign in first: send a bearer token in the Authorization header.", "请先登录：请求须携带有效的访问令牌。"))
	errWrongRole = apperr.Forbidden("forbidden",
		i18n.T("Your account may not do this.", "您的账户无权执行此操作。"))
)

// bearerToken extracts the token of an "Authorization: Bearer …" header.
func bearerToken(c *gin.Context) (string, bool) {
	h := c.GetHeader("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// requireRole authenticates the caller and admits only the given roles.
// Every route that is not public goes through it, so authorization is
// decided before a handler runs.
func (s *server) requireRole(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.auth == nil {
			s.fail(c, errNoToken)
			return
		}
		tok, ok := bearerToken(c)
		if !ok {
			s.fail(c, errNoToken)
			return
		}
		p, err := s.auth.Authenticate(c.Request.Context(), tok)
		if err != nil {
			s.fail(c, err)
			return
		}
		onBehalf := c.GetHeader(HeaderOnBehalfOf)
		// A helper account has no records of its own: it may use a
		// resident route only for someone.
		if !roleIn(p.Role, roles) && !(onBehalf != "" && p.Role == RoleHelper && roleIn(RoleResident, roles)) {
			s.fail(c, errWrongRole)
			return
		}
		c.Set(ctxPrincipal, p)
		if onBehalf != "" {
			s.actFor(c, p, onBehalf)
			return
		}
		c.Next()
	}
}

func roleIn(role string, roles []string) bool {
	for _, r := range roles {
		if role == r {
			return true
		}
	}
	return false
}

// principalOf returns the caller set by requireRole.
func principalOf(c *gin.Context) Principal {
	p, _ := c.Get(ctxPrincipal)
	pr, _ := p.(Principal)
	return pr
}

// actorOf is who makes the change a request asks for, as every capability
// records it: the signed-in account and the request ID the caller sees.
// It is the only place the api builds an audit.Actor: a request made for
// someone records the helper's account as the actor and the principal as
// OnBehalfOf.
func actorOf(c *gin.Context) audit.Actor {
	p := principalOf(c)
	a := audit.Actor{ID: p.AccountID, Role: p.Role, RequestID: requestIDOf(c)}
	if p.Acting != nil {
		a.OnBehalfOf, a.Also = p.PersonID, p.Acting.record
	}
	return a
}
