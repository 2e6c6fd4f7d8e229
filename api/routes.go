package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service, capability by capability:
// this file and registry_routes.go are the whole API surface. The OpenAPI
// coverage test walks what it registers.
//
// A route whose capability may be left out of a deployment goes through
// serviceOn, which answers 503 while it is. On an authenticated route the
// role (or API-key) check comes first, so an anonymous caller always gets
// 401; api/authz_test.go and TestUnwiredServicesAnswer401Then503 hold every
// route to that.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	s.applicationRoutes(r)
	s.appointmentRoutes(r)
	s.registryRoutes(r) // registry_routes.go
	s.directoryRoutes(r)
	s.edocumentRoutes(r)
}

// applicationRoutes: applications and status inquiries; handlers in
// applications.go. Inquiries need no account, so they are rate limited
// per client address instead.
func (s *server) applicationRoutes(r *gin.Engine) {
	apps := s.serviceOn(s.apps.views != nil && s.apps.desk != nil, errApplicationsUnavailable)
	resident, officer := s.requireRole(RoleResident), s.requireRole(RoleOfficer, RoleAdmin)
	v1 := r.Group("/api/v1")
	v1.GET("/applications", resident, apps, s.handleListOwnApplications)
	v1.GET("/applications/:number", resident, apps, s.handleOwnApplication)
	v1.POST("/inquiries", apps, s.limitInquiries(), s.handleInquiry)
	v1.POST("/admin/applications", officer, apps, s.handleRegisterApplication)
	v1.GET("/admin/applications", officer, apps, s.handleSearchApplications)
	v1.GET("/admin/applications/:number", officer, apps, s.handleGetApplication)
	v1.POST("/admin/applications/:number/events", officer, apps, s.handleAddApplicationEvent)
}

// appointmentRoutes: appointments and the caller's notifications.
func (s *server) appointmentRoutes(r *gin.Engine) {
	resident := s.requireRole(RoleResident)
	staff := s.requireRole(RoleOfficer, RoleAdmin)
	appts := s.serviceOn(s.appts != nil, errAppointmentsOff)
	v1 := r.Group("/api/v1")
	v1.GET("/service-centers/:id/slots", appts, s.handleSlots)
	v1.POST("/appointments", resident, appts, s.handleBook)
	v1.GET("/appointments", resident, appts, s.handleListAppointments)
	v1.GET("/appointments/:id", resident, appts, s.handleGetAppointment)
	v1.POST("/appointments/:id/cancel", resident, appts, s.handleCancelAppointment)
	v1.POST("/appointments/:id/reschedule", resident, appts, s.handleRescheduleAppointment)
	v1.GET("/appointments/:id/calendar.ics", resident, appts, s.handleAppointmentCalendar)
	v1.GET("/admin/service-centers/:id/appointments", staff, appts, s.handleCenterDay)
	v1.POST("/admin/appointments/:id/attendance", staff, appts, s.handleAttendance)
	v1.GET("/admin/service-centers/:id/slot-config", staff, appts, s.handleGetSlotConfig)
	v1.PUT("/admin/service-centers/:id/slot-config", staff, appts, s.handlePutSlotConfig)
	v1.GET("/me/notifications", resident, s.serviceOn(s.notes != nil, errAppointmentsOff), s.handleMyNotifications)
}

// directoryRoutes: service-centre directory, working-day calendar, business
// types and application guidelines. Reads are public and served
// from memory with ETags; changes need an officer or admin.
func (s *server) directoryRoutes(r *gin.Engine) {
	dir := s.serviceOn(s.directory != nil, errDirectoryOff)
	gl := s.serviceOn(s.guidelines != nil, errGuidelinesOff)
	v1 := r.Group("/api/v1")
	v1.GET("/business-types", s.handleBusinessTypes)
	v1.GET("/service-centers", dir, s.handleListCenters)
	v1.GET("/service-centers/:id", dir, s.handleGetCenter)
	v1.GET("/calendar-days", dir, s.handleCalendarDays)
	v1.GET("/guidelines", gl, s.handleListGuidelines)
	v1.GET("/guidelines/:business", gl, s.handleGetGuideline)
	v1.GET("/guidelines/:business/versions", gl, s.handleGuidelineVersions)
	v1.GET("/guidelines/:business/versions/:version", gl, s.handleGuidelineVersion)

	admin := v1.Group("/admin", s.requireRole(RoleOfficer, RoleAdmin))
	admin.POST("/service-centers", dir, s.handleCreateCenter)
	admin.GET("/service-centers/:id", dir, s.handleAdminGetCenter)
	admin.PUT("/service-centers/:id", dir, s.handleUpdateCenter)
	admin.DELETE("/service-centers/:id", dir, s.handleDeleteCenter)
	admin.PUT("/service-centers/:id/hours", dir, s.handleSetHours)
	admin.POST("/service-centers/:id/closures", dir, s.handleAddClosure)
	admin.DELETE("/service-centers/:id/closures/:date", dir, s.handleRemoveClosure)
	admin.PUT("/calendar-days/:date", dir, s.handlePutCalendarDay)
	admin.DELETE("/calendar-days/:date", dir, s.handleDeleteCalendarDay)
	admin.PUT("/guidelines/:business", gl, s.handlePublishGuideline)
}

// edocumentRoutes: resident attestations, the verify API for relying
// parties, relying-party administration, status lists, the JWKS and the
// trust bundle.
func (s *server) edocumentRoutes(r *gin.Engine) {
	ed := s.edocs
	docs := s.serviceOn(ed.Documents != nil, errEDocsOff)
	files := s.serviceOn(ed.Files != nil, errEDocsOff)
	me := r.Group("/api/v1/me/attestations", s.requireRole(RoleResident))
	me.POST("", docs, s.handleIssueAttestation)
	me.GET("", docs, s.handleListAttestations)
	me.GET("/:id", docs, s.handleGetAttestation)
	me.GET("/:id/qr.png", files, s.handleAttestationFile("png"))
	me.GET("/:id/qr.svg", files, s.handleAttestationFile("svg"))
	me.GET("/:id/document.pdf", files, s.handleAttestationFile("pdf"))
	me.POST("/:id/revoke", docs, s.handleRevokeAttestation)
	me.GET("/:id/verifications", files, s.handleAttestationVerifications)
	officers := s.serviceOn(ed.Officers != nil, errEDocsOff)
	adm := r.Group("/api/v1/admin/attestations", s.requireRole(RoleOfficer, RoleAdmin))
	adm.GET("", officers, s.handleFindAttestations)
	adm.POST("/:id/suspend", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Suspend }))
	adm.POST("/:id/reinstate", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Reinstate }))
	adm.POST("/:id/revoke", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.RevokeAsOfficer }))
	r.POST("/api/v1/verify", s.requireAPIKey(), s.serviceOn(ed.Verifier != nil, errEDocsOff), s.handleVerify)
	parties := s.serviceOn(ed.RelyingParties != nil, errEDocsOff)
	rp := r.Group("/api/v1/admin/relying-parties", s.requireRole(RoleAdmin))
	rp.POST("", parties, s.handleCreateRelyingParty)
	rp.GET("", parties, s.handleListRelyingParties)
	rp.POST("/:id/disable", parties, s.handleDisableRelyingParty)
	rp.POST("/:id/rotate-key", parties, s.handleRotateRelyingPartyKey)
	r.GET("/api/v1/status-lists/:id", s.serviceOn(ed.StatusLists != nil, errEDocsOff), s.handleStatusList)
	r.GET("/.well-known/jwks.json", s.serviceOn(ed.JWKS != nil, errEDocsOff), s.handleJWKS)
	r.GET("/api/v1/trust-bundle", s.serviceOn(ed.TrustBundles != nil, errEDocsOff), s.handleTrustBundle) // trustbundle.go
}
