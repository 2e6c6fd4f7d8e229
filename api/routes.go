package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service. It is the one place to see
// the whole API surface; the OpenAPI coverage test walks what it registers.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	s.directoryRoutes(r)
}

// directoryRoutes: service-centre directory, working-day calendar, business
// types and application guidelines (issue 6). Reads are public and served
// from memory with ETags; changes need an officer or admin.
func (s *server) directoryRoutes(r *gin.Engine) {
	v1 := r.Group("/api/v1")
	v1.GET("/business-types", s.handleBusinessTypes)
	dir := v1.Group("", s.needDirectory)
	dir.GET("/service-centers", s.handleListCenters)
	dir.GET("/service-centers/:id", s.handleGetCenter)
	dir.GET("/calendar-days", s.handleCalendarDays)
	gl := v1.Group("/guidelines", s.needGuidelines)
	gl.GET("", s.handleListGuidelines)
	gl.GET("/:business", s.handleGetGuideline)
	gl.GET("/:business/versions", s.handleGuidelineVersions)
	gl.GET("/:business/versions/:version", s.handleGuidelineVersion)

	admin := v1.Group("/admin", s.requireRole(RoleOfficer, RoleAdmin))
	adir := admin.Group("", s.needDirectory)
	adir.POST("/service-centers", s.handleCreateCenter)
	adir.GET("/service-centers/:id", s.handleAdminGetCenter)
	adir.PUT("/service-centers/:id", s.handleUpdateCenter)
	adir.DELETE("/service-centers/:id", s.handleDeleteCenter)
	adir.PUT("/service-centers/:id/hours", s.handleSetHours)
	adir.POST("/service-centers/:id/closures", s.handleAddClosure)
	adir.DELETE("/service-centers/:id/closures/:date", s.handleRemoveClosure)
	adir.PUT("/calendar-days/:date", s.handlePutCalendarDay)
	adir.DELETE("/calendar-days/:date", s.handleDeleteCalendarDay)
	admin.PUT("/guidelines/:business", s.needGuidelines, s.handlePublishGuideline)
}
