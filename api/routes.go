package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service. It is the one place to see
// the whole API surface; the OpenAPI coverage test walks what it registers.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	// Applications and status inquiries (issue 8); handlers in applications.go.
	apps := r.Group("/api/v1", s.needApplications())
	resident, officer := s.requireRole(RoleResident), s.requireRole(RoleOfficer, RoleAdmin)
	apps.GET("/applications", resident, s.handleListOwnApplications)
	apps.GET("/applications/:number", resident, s.handleOwnApplication)
	apps.POST("/inquiries", s.limitInquiries(), s.handleInquiry)
	apps.POST("/admin/applications", officer, s.handleRegisterApplication)
	apps.GET("/admin/applications", officer, s.handleSearchApplications)
	apps.GET("/admin/applications/:number", officer, s.handleGetApplication)
	apps.POST("/admin/applications/:number/events", officer, s.handleAddApplicationEvent)
}
