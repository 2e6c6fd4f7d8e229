package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service. It is the one place to see
// the whole API surface; the OpenAPI coverage test walks what it registers.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	// E-documents: resident attestations, the verify API for relying
	// parties, relying-party administration, status lists and the JWKS.
	me := r.Group("/api/v1/me/attestations", s.requireRole(RoleResident))
	me.POST("", s.handleIssueAttestation)
	me.GET("", s.handleListAttestations)
	me.GET("/:id", s.handleGetAttestation)
	me.GET("/:id/qr.png", s.handleAttestationFile("png"))
	me.GET("/:id/qr.svg", s.handleAttestationFile("svg"))
	me.GET("/:id/document.pdf", s.handleAttestationFile("pdf"))
	me.POST("/:id/revoke", s.handleRevokeAttestation)
	me.GET("/:id/verifications", s.handleAttestationVerifications)
	r.POST("/api/v1/verify", s.requireAPIKey(), s.handleVerify)
	rp := r.Group("/api/v1/admin/relying-parties", s.requireRole(RoleAdmin))
	rp.POST("", s.handleCreateRelyingParty)
	rp.GET("", s.handleListRelyingParties)
	rp.POST("/:id/disable", s.handleDisableRelyingParty)
	rp.POST("/:id/rotate-key", s.handleRotateRelyingPartyKey)
	r.GET("/api/v1/status-lists/:id", s.handleStatusList)
	r.GET("/.well-known/jwks.json", s.handleJWKS)
}
