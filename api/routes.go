package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service. It is the one place to see
// the whole API surface; the OpenAPI coverage test walks what it registers.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	// Accounts, residents' own documents and the registry (issue 3).
	s.registryRoutes(r)
}
