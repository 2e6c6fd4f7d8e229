package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
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

var (
	_ DocumentVerifier    = (*attestations.Service)(nil)
	_ APIKeyAuthenticator = (*relyingparties.Service)(nil)
	_ VerifyLimiter       = (*relyingparties.Limiter)(nil)
)

// Verify are the services behind the verify API: *attestations.Service
// verifies, *relyingparties.Service knows the API keys and
// relyingparties.NewLimiter holds each key to its rate. Without Verifier
// the route answers 503; without APIKeys no key can be checked, so every
// caller gets 401; without Limiter no rate is enforced.
type Verify struct {
	Verifier DocumentVerifier
	APIKeys  APIKeyAuthenticator
	Limiter  VerifyLimiter
}

// verifyHandler serves the verify API and counts its answers.
type verifyHandler struct {
	responder
	Verify
	verifications *prometheus.CounterVec
}

const ctxParty = "fprlink.relying_party"

var errNoAPIKey = apperr.Unauthenticated("invalid_api_key",
	i18n.T("The API key is missing, unknown, rotated or disabled.", "API 密钥缺失、无效、已轮换或已停用。"))

// requireAPIKey admits relying parties with a working key, within their
// rate. It runs before the body is read, so strangers cost no parsing.
// Without an API-key service no key can be checked, so every caller gets
// 401, as requireRole answers without an Authenticator.
func (h verifyHandler) requireAPIKey() gin.HandlerFunc {
	return func(c *gin.Context) {
		key, ok := bearerToken(c)
		if !ok || h.APIKeys == nil {
			h.fail(c, errNoAPIKey)
			return
		}
		p, err := h.APIKeys.Authenticate(c.Request.Context(), key)
		if h.failIf(c, err) {
			return
		}
		if h.Limiter != nil {
			if h.failIf(c, h.Limiter.Allow(p.ID)) {
				return
			}
		}
		c.Set(ctxParty, p)
		c.Next()
	}
}

// verifyRequest is the body of POST /api/v1/verify: exactly one of qr,
// token, or document_number with verification_code. It has no Validate:
// the attestations service checks the request, once.
type verifyRequest struct {
	QR               string `json:"qr,omitempty"`
	Token            string `json:"token,omitempty"`
	DocumentNumber   string `json:"document_number,omitempty"`
	VerificationCode string `json:"verification_code,omitempty"`
}

func (r verifyRequest) request() attestations.VerifyRequest {
	return attestations.VerifyRequest{QR: r.QR, Token: r.Token, DocumentNumber: r.DocumentNumber,
		VerificationCode: r.VerificationCode}
}

// callerJSON is the relying party an API key belongs to, as the party
// itself may see it: the verifier page learns from it which sector's
// audience check to run in the browser.
type callerJSON struct {
	Name        string `json:"name"`
	Sector      string `json:"sector"`
	SectorLabel string `json:"sector_label"`
	KeyPrefix   string `json:"key_prefix"`
}

func (h verifyHandler) handleCaller(c *gin.Context) {
	party, _ := c.Get(ctxParty)
	p := party.(relyingparties.Party)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, callerJSON{Name: p.Name, Sector: string(p.Sector),
		SectorLabel: p.Sector.Label().In(langOf(c)), KeyPrefix: p.KeyPrefix})
}

func (h verifyHandler) handleVerify(c *gin.Context) {
	var req verifyRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	party, _ := c.Get(ctxParty)
	caller := party.(relyingparties.Party)
	v, err := h.Verifier.Verify(c.Request.Context(), caller, req.request(), requestIDOf(c))
	if h.failIf(c, err) {
		return
	}
	h.verifications.WithLabelValues(string(caller.Sector), v.Status).Inc()
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, verificationJSONOf(v, langOf(c)))
}
