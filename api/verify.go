package api

import (
	"context"
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// DocumentVerifier answers the verify API.
type DocumentVerifier interface {
	Verify(ctx context.Context, caller relyingparties.Party, req attestations.VerifyRequest, requestID string) (attestations.Verification, error)
}

// APIKeyAuthenticator resolves a relying party's API key.
type APIKeyAuthenticator interface {
	Authenticate(ctx context.Context, key string) (relyingparties.Party, error)
}

// VerifyLimiter is the per-key token bucket.
type VerifyLimiter interface {
	Allow(partyID string) error
}

// RelyingPartyAdmin manages relying parties (admins only).
type RelyingPartyAdmin interface {
	Create(ctx context.Context, by audit.Actor, req relyingparties.CreateRequest) (relyingparties.WithKey, error)
	List(ctx context.Context, page paging.Request) (paging.Page[relyingparties.Party], error)
	Disable(ctx context.Context, by audit.Actor, id string) (relyingparties.Party, error)
	Rotate(ctx context.Context, by audit.Actor, id string) (relyingparties.WithKey, error)
}

var (
	_ DocumentVerifier    = (*attestations.Service)(nil)
	_ APIKeyAuthenticator = (*relyingparties.Service)(nil)
	_ VerifyLimiter       = (*relyingparties.Limiter)(nil)
	_ RelyingPartyAdmin   = (*relyingparties.Service)(nil)
)

const ctxParty = "fprlink.relying_party"

var errNoAPIKey = apperr.Unauthenticated("invalid_api_key",
	i18n.T("The API key is missing, unknown, rotated or disabled.", "API 密钥缺失、无效、已轮换或已停用。"))

// requireAPIKey admits relying parties with a working key, within their
// rate. It runs before the body is read, so strangers cost no parsing.
// Without an API-key service no key can be checked, so every caller gets
// 401, as requireRole answers without an Authenticator.
func (s *server) requireAPIKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		key, ok := bearerToken(c)
		if !ok || s.edocs.APIKeys == nil {
			s.fail(c, errNoAPIKey)
			return
		}
		p, err := s.edocs.APIKeys.Authenticate(c.Request.Context(), key)
		if s.failIf(c, err) {
			return
		}
		if s.edocs.Limiter != nil {
			if s.failIf(c, s.edocs.Limiter.Allow(p.ID)) {
				return
			}
		}
		c.Set(ctxParty, p)
		c.Next()
	}
}

// verifyBody is attestations.VerifyRequest without its methods: decode
// then only parses it, and Service.Verify validates it, once.
type verifyBody attestations.VerifyRequest

func (s *server) handleVerify(c *gin.Context) {
	var req verifyBody
	if s.failIf(c, decode(c, &req)) {
		return
	}
	party, _ := c.Get(ctxParty)
	caller := party.(relyingparties.Party)
	v, err := s.edocs.Verifier.Verify(c.Request.Context(), caller, attestations.VerifyRequest(req), requestIDOf(c))
	if s.failIf(c, err) {
		return
	}
	s.metrics.verifications.WithLabelValues(string(caller.Sector), v.Status).Inc()
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, verificationJSONOf(v, langOf(c)))
}

// verificationJSON is a verification with each check's message in the
// caller's language; its Checks hide the embedded ones in JSON.
type verificationJSON struct {
	attestations.Verification
	Checks []checkJSON `json:"checks"`
}

type checkJSON struct {
	attestations.Check
	Message string `json:"message"`
}

func verificationJSONOf(v attestations.Verification, lang i18n.Lang) verificationJSON {
	out := verificationJSON{Verification: v, Checks: make([]checkJSON, len(v.Checks))}
	for i, ch := range v.Checks {
		out.Checks[i] = checkJSON{Check: ch, Message: ch.Message.In(lang)}
	}
	if d := v.Document; d != nil {
		// The names go beside the codes the sector may see, in the
		// caller's language, on a copy so the verification is not changed.
		doc := *d
		doc.Passport = maps.Clone(d.Passport)
		for code, name := range map[string]string{"nationality": "nationality_name", "issuing_state": "issuing_state_name"} {
			if v, ok := doc.Passport[code]; ok {
				if n := countryName(v, lang); n != "" {
					doc.Passport[name] = n
				}
			}
		}
		out.Document = &doc
	}
	return out
}

func (s *server) handleCreateRelyingParty(c *gin.Context) {
	var req relyingparties.CreateRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	p, err := s.edocs.RelyingParties.Create(c.Request.Context(), actorOf(c), req)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, p)
}

func (s *server) handleListRelyingParties(c *gin.Context) {
	page, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	out, err := s.edocs.RelyingParties.List(c.Request.Context(), page)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *server) handleDisableRelyingParty(c *gin.Context) {
	p, err := s.edocs.RelyingParties.Disable(c.Request.Context(), actorOf(c), c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *server) handleRotateRelyingPartyKey(c *gin.Context) {
	p, err := s.edocs.RelyingParties.Rotate(c.Request.Context(), actorOf(c), c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, p)
}
