package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service, capability by capability:
// this file is the whole API surface, and no route is registered anywhere
// else. The OpenAPI coverage test walks what it registers.
//
// A route whose capability may be off in a deployment goes through
// capabilityOn, which answers 503 while it is. On an authenticated route the
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
	s.registryRoutes(r)
	s.directoryRoutes(r)
	s.guidelineRoutes(r)
	s.edocumentRoutes(r)
}

// applicationRoutes: applications and status inquiries; handlers in
// applications.go. Inquiries need no account, so they are rate limited
// per client address instead.
func (s *server) applicationRoutes(r *gin.Engine) {
	h := s.apps
	apps := s.capabilityOn(h.on(), errApplicationsOff)
	resident, officer := s.requireRole(RoleResident), s.requireRole(RoleOfficer, RoleAdmin)
	v1 := r.Group("/api/v1")
	v1.GET("/applications", resident, apps, h.handleListOwnApplications)
	v1.GET("/applications/:number", resident, apps, h.handleOwnApplication)
	v1.POST("/inquiries", apps, h.limitInquiries(), h.handleInquiry)
	v1.POST("/admin/applications", officer, apps, h.handleRegisterApplication)
	v1.GET("/admin/applications", officer, apps, h.handleSearchApplications)
	v1.GET("/admin/applications/:number", officer, apps, h.handleGetApplication)
	v1.POST("/admin/applications/:number/events", officer, apps, h.handleAddApplicationEvent)
}

// appointmentRoutes: appointments and the caller's notifications.
func (s *server) appointmentRoutes(r *gin.Engine) {
	h := s.appts
	resident := s.requireRole(RoleResident)
	staff := s.requireRole(RoleOfficer, RoleAdmin)
	finder := s.capabilityOn(h.Finder != nil, errAppointmentsOff)
	bookings := s.capabilityOn(h.Bookings != nil, errAppointmentsOff)
	own := s.capabilityOn(h.Own != nil, errAppointmentsOff)
	desk := s.capabilityOn(h.Desk != nil, errAppointmentsOff)
	v1 := r.Group("/api/v1")
	v1.GET("/service-centers/:id/slots", finder, h.handleSlots)
	v1.POST("/appointments", resident, bookings, h.handleBook)
	v1.GET("/appointments", resident, own, h.handleListAppointments)
	v1.GET("/appointments/:id", resident, own, h.handleGetAppointment)
	v1.POST("/appointments/:id/cancel", resident, bookings, h.handleCancelAppointment)
	v1.POST("/appointments/:id/reschedule", resident, bookings, h.handleRescheduleAppointment)
	v1.GET("/appointments/:id/calendar.ics", resident, own, h.handleAppointmentCalendar)
	v1.GET("/admin/service-centers/:id/appointments", staff, desk, h.handleCenterDay)
	v1.POST("/admin/appointments/:id/attendance", staff, desk, h.handleAttendance)
	v1.GET("/admin/service-centers/:id/slot-config", staff, desk, h.handleGetSlotConfig)
	v1.PUT("/admin/service-centers/:id/slot-config", staff, desk, h.handlePutSlotConfig)
	v1.GET("/me/notifications", resident, s.capabilityOn(h.Notifications != nil, errAppointmentsOff), h.handleMyNotifications)
}

// directoryRoutes: service-centre directory, working-day calendar and
// business types. Reads are public and served from memory with ETags;
// changes need an officer or admin.
func (s *server) directoryRoutes(r *gin.Engine) {
	h := s.directory
	centers := s.capabilityOn(h.Centers != nil, errDirectoryOff)
	editor := s.capabilityOn(h.Editor != nil, errDirectoryOff)
	schedule := s.capabilityOn(h.Schedule != nil, errDirectoryOff)
	v1 := r.Group("/api/v1")
	v1.GET("/business-types", h.handleBusinessTypes)
	v1.GET("/service-centers", centers, h.handleListCenters)
	v1.GET("/service-centers/:id", centers, h.handleGetCenter)
	v1.GET("/calendar-days", centers, h.handleCalendarDays)

	admin := v1.Group("/admin", s.requireRole(RoleOfficer, RoleAdmin))
	admin.POST("/service-centers", editor, h.handleCreateCenter)
	admin.GET("/service-centers/:id", centers, h.handleAdminGetCenter)
	admin.PUT("/service-centers/:id", editor, h.handleUpdateCenter)
	admin.DELETE("/service-centers/:id", editor, h.handleDeleteCenter)
	admin.PUT("/service-centers/:id/hours", editor, h.handleSetHours)
	admin.POST("/service-centers/:id/closures", schedule, h.handleAddClosure)
	admin.DELETE("/service-centers/:id/closures/:date", schedule, h.handleRemoveClosure)
	admin.PUT("/calendar-days/:date", schedule, h.handlePutCalendarDay)
	admin.DELETE("/calendar-days/:date", schedule, h.handleDeleteCalendarDay)
}

// guidelineRoutes: application guidelines. Reads are public and served
// from memory with ETags; publishing needs an officer or admin.
func (s *server) guidelineRoutes(r *gin.Engine) {
	h := s.guidelines
	reader := s.capabilityOn(h.Reader != nil, errGuidelinesOff)
	v1 := r.Group("/api/v1")
	v1.GET("/guidelines", reader, h.handleListGuidelines)
	v1.GET("/guidelines/:business", reader, h.handleGetGuideline)
	v1.GET("/guidelines/:business/versions", reader, h.handleGuidelineVersions)
	v1.GET("/guidelines/:business/versions/:version", reader, h.handleGuidelineVersion)
	v1.PUT("/admin/guidelines/:business", s.requireRole(RoleOfficer, RoleAdmin),
		s.capabilityOn(h.Publisher != nil, errGuidelinesOff), h.handlePublishGuideline)
}

// edocumentRoutes: resident attestations, the verify API for relying
// parties, relying-party administration, status lists, the JWKS and the
// trust bundle.
func (s *server) edocumentRoutes(r *gin.Engine) {
	ed := s.edocs
	docs := s.capabilityOn(ed.Documents != nil, errEDocumentsOff)
	files := s.capabilityOn(ed.Files != nil, errEDocumentsOff)
	me := r.Group("/api/v1/me/attestations", s.requireRole(RoleResident))
	me.POST("", docs, s.handleIssueAttestation)
	me.GET("", docs, s.handleListAttestations)
	me.GET("/:id", docs, s.handleGetAttestation)
	me.GET("/:id/qr.png", files, s.handleAttestationFile("png"))
	me.GET("/:id/qr.svg", files, s.handleAttestationFile("svg"))
	me.GET("/:id/document.pdf", files, s.handleAttestationFile("pdf"))
	me.POST("/:id/revoke", docs, s.handleRevokeAttestation)
	me.GET("/:id/verifications", files, s.handleAttestationVerifications)
	officers := s.capabilityOn(ed.Officers != nil, errEDocumentsOff)
	adm := r.Group("/api/v1/admin/attestations", s.requireRole(RoleOfficer, RoleAdmin))
	adm.GET("", officers, s.handleFindAttestations)
	adm.POST("/:id/suspend", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Suspend }))
	adm.POST("/:id/reinstate", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Reinstate }))
	adm.POST("/:id/revoke", officers, s.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.RevokeAsOfficer }))
	r.POST("/api/v1/verify", s.requireAPIKey(), s.capabilityOn(ed.Verifier != nil, errEDocumentsOff), s.handleVerify)
	parties := s.capabilityOn(ed.RelyingParties != nil, errEDocumentsOff)
	rp := r.Group("/api/v1/admin/relying-parties", s.requireRole(RoleAdmin))
	rp.POST("", parties, s.handleCreateRelyingParty)
	rp.GET("", parties, s.handleListRelyingParties)
	rp.POST("/:id/disable", parties, s.handleDisableRelyingParty)
	rp.POST("/:id/rotate-key", parties, s.handleRotateRelyingPartyKey)
	r.GET("/api/v1/status-lists/:id", s.capabilityOn(ed.StatusLists != nil, errEDocumentsOff), s.handleStatusList)
	r.GET("/.well-known/jwks.json", s.capabilityOn(ed.JWKS != nil, errEDocumentsOff), s.handleJWKS)
	r.GET("/api/v1/trust-bundle", s.capabilityOn(ed.TrustBundles != nil, errEDocumentsOff), s.handleTrustBundle)
}

// registryRoutes registers the account, "me" and registry administration
// routes. Roles are enforced here, before any handler runs and before the
// availability gate, so an anonymous caller gets 401 even where the service
// is not configured; api/authz_test.go checks every route.
func (s *server) registryRoutes(r *gin.Engine) {
	anyone := s.requireRole(RoleResident, RoleOfficer, RoleAdmin)
	resident := s.requireRole(RoleResident)
	staff := s.requireRole(RoleOfficer, RoleAdmin)
	admin := s.requireRole(RoleAdmin)
	v1 := r.Group("/api/v1")

	acc := s.accounts
	signIn := s.capabilityOn(acc.SignIn != nil, errAccountsOff)
	passwords := s.capabilityOn(acc.Passwords != nil, errAccountsOff)
	accounts := s.capabilityOn(acc.Admin != nil, errAccountsOff)
	v1.POST("/auth/register", signIn, acc.handleRegister)
	v1.POST("/auth/login", signIn, acc.handleLogin)
	v1.POST("/auth/logout", anyone, signIn, acc.handleLogout)
	v1.POST("/auth/password", passwords, acc.handleSetPassword)
	v1.POST("/me/password", anyone, passwords, acc.handleChangePassword)
	v1.POST("/admin/accounts", admin, accounts, acc.handleCreateStaff)
	v1.GET("/admin/accounts", admin, accounts, acc.handleListAccounts)
	v1.POST("/admin/accounts/:id/disable", admin, accounts, acc.handleSetAccountDisabled(true))
	v1.POST("/admin/accounts/:id/enable", admin, accounts, acc.handleSetAccountDisabled(false))
	v1.POST("/admin/accounts/:id/reset-password", staff, passwords, acc.handleResetPassword)
	v1.GET("/admin/audit", admin, s.capabilityOn(s.audit.Trail != nil, errAuditOff), s.audit.handleAuditSearch)

	reg := s.registry
	mine := s.capabilityOn(reg.Mine != nil, errRegistryOff)
	v1.GET("/me", anyone, mine, reg.handleMe)
	v1.GET("/me/passport", resident, mine, reg.handleMyPassport)
	v1.GET("/me/fpr-card", resident, mine, reg.handleMyFPRCard)

	persons := s.capabilityOn(reg.Persons != nil, errRegistryOff)
	v1.GET("/admin/persons", staff, persons, reg.handleListPersons)
	v1.POST("/admin/persons", staff, persons, reg.handleCreatePerson)
	v1.GET("/admin/persons/:id", staff, persons, reg.handleGetPerson)
	v1.PATCH("/admin/persons/:id", staff, persons, reg.handleUpdatePerson)

	documents := s.capabilityOn(reg.Documents != nil, errRegistryOff)
	v1.POST("/admin/persons/:id/passports", staff, documents, reg.handleAddPassport)
	v1.POST("/admin/persons/:id/fpr-cards", staff, documents, reg.handleAddFPRCard)
	v1.POST("/admin/passports/:id/status", staff, documents, reg.handleMarkPassport)
	v1.POST("/admin/fpr-cards/:id/status", staff, documents, reg.handleMarkFPRCard)

	r.POST(importPath, staff, s.capabilityOn(reg.Importer != nil, errRegistryOff), reg.handleImport)
}
