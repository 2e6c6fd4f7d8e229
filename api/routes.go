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

	s.appointmentRoutes(r)
}

// appointmentRoutes: appointments and the caller's notifications (issue 7).
func (s *server) appointmentRoutes(r *gin.Engine) {
	resident := s.requireRole(RoleResident)
	staff := s.requireRole(RoleOfficer, RoleAdmin)
	v1 := r.Group("/api/v1", s.needAppointments)
	v1.GET("/service-centers/:id/slots", s.handleSlots)
	v1.POST("/appointments", resident, s.handleBook)
	v1.GET("/appointments", resident, s.handleListAppointments)
	v1.GET("/appointments/:id", resident, s.handleGetAppointment)
	v1.POST("/appointments/:id/cancel", resident, s.handleCancelAppointment)
	v1.POST("/appointments/:id/reschedule", resident, s.handleRescheduleAppointment)
	v1.GET("/appointments/:id/calendar.ics", resident, s.handleAppointmentCalendar)
	v1.GET("/admin/service-centers/:id/appointments", staff, s.handleCenterDay)
	v1.POST("/admin/appointments/:id/attendance", staff, s.handleAttendance)
	v1.GET("/admin/service-centers/:id/slot-config", staff, s.handleGetSlotConfig)
	v1.PUT("/admin/service-centers/:id/slot-config", staff, s.handlePutSlotConfig)
	r.GET("/api/v1/me/notifications", s.requireRole(RoleResident), s.handleMyNotifications)

	// Accounts, residents' own documents and the registry (issue 3).
	s.registryRoutes(r)

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
