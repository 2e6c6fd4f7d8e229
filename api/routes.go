package api

import "github.com/gin-gonic/gin"

// routes registers every route of the service, capability by capability:
// this file is the whole API surface, and no route is registered anywhere
// else. The OpenAPI coverage test walks what it registers.
//
// Each capability's routes go to its handler (h), and each route that calls
// a service the deployment may leave out goes through capabilityOn, which
// answers 503 while it is. On an authenticated route the role (or API-key)
// check comes first, so an anonymous caller always gets 401;
// api/authz_test.go and TestUnwiredServicesAnswer401Then503 hold every
// route to that.
func (s *server) routes(r *gin.Engine) {
	r.GET("/healthz", s.handleHealthz)
	r.GET("/readyz", s.handleReadyz)
	r.GET("/metrics", s.handleMetrics())
	r.GET("/openapi.json", s.handleOpenAPI)

	s.accountRoutes(r)
	s.registryRoutes(r)
	s.auditRoutes(r)
	s.applicationRoutes(r)
	s.appointmentRoutes(r)
	s.directoryRoutes(r)
	s.guidelineRoutes(r)
	s.edocumentRoutes(r)
	s.verifyRoutes(r)
	s.relyingPartyRoutes(r)
	s.publicationRoutes(r)
	s.assistanceRoutes(r)
}

// The roles a route admits.
func (s *server) anyone() gin.HandlerFunc {
	return s.requireRole(RoleResident, RoleHelper, RoleOfficer, RoleAdmin)
}
func (s *server) resident() gin.HandlerFunc { return s.requireRole(RoleResident) }
func (s *server) staff() gin.HandlerFunc    { return s.requireRole(RoleOfficer, RoleAdmin) }
func (s *server) admin() gin.HandlerFunc    { return s.requireRole(RoleAdmin) }

// accountRoutes: registration, sign-in, passwords and the admins' account
// management.
func (s *server) accountRoutes(r *gin.Engine) {
	h := s.accounts
	enrolment := s.capabilityOn(h.Enrolment != nil, errAccountsOff)
	signIn := s.capabilityOn(h.SignIn != nil, errAccountsOff)
	passwords := s.capabilityOn(h.Passwords != nil, errAccountsOff)
	accounts := s.capabilityOn(h.Admin != nil, errAccountsOff)
	v1 := r.Group("/api/v1")
	v1.POST("/auth/enrolment-codes", enrolment, h.handleRequestCode)
	v1.POST("/auth/register", enrolment, h.handleRegister)
	v1.POST("/auth/login", signIn, h.handleLogin)
	v1.POST("/auth/logout", s.anyone(), signIn, h.handleLogout)
	v1.POST("/auth/password", passwords, h.handleSetPassword)
	v1.POST("/me/password", s.anyone(), passwords, h.handleChangePassword)
	v1.POST("/admin/accounts", s.admin(), accounts, h.handleCreateStaff)
	v1.GET("/admin/accounts", s.admin(), accounts, h.handleListAccounts)
	v1.POST("/admin/accounts/:id/disable", s.admin(), accounts, h.handleSetAccountDisabled(true))
	v1.POST("/admin/accounts/:id/enable", s.admin(), accounts, h.handleSetAccountDisabled(false))
	v1.POST("/admin/accounts/:id/reset-password", s.staff(), passwords, h.handleResetPassword)
	v1.POST("/admin/persons/:id/enrolment-code", s.staff(), enrolment, h.handleCounterCode)
	helpers := s.capabilityOn(h.Helpers != nil, errAccountsOff)
	v1.POST("/auth/helper-enrolment-codes", helpers, h.handleRequestHelperCode)
	v1.POST("/admin/helpers", s.staff(), helpers, h.handleRecordHelper)
	v1.POST("/admin/helpers/lookup", s.staff(), helpers, h.handleFindHelper)
	v1.POST("/admin/helpers/:id/enrolment-code", s.staff(), helpers, h.handleHelperCounterCode)
}

// registryRoutes: the caller's own records, and the officers' registry of
// persons, passports and FPR cards.
func (s *server) registryRoutes(r *gin.Engine) {
	h := s.registry
	mine := s.capabilityOn(h.Mine != nil, errRegistryOff)
	persons := s.capabilityOn(h.Persons != nil, errRegistryOff)
	documents := s.capabilityOn(h.Documents != nil, errRegistryOff)
	reissues := s.capabilityOn(h.Reissues != nil, errRegistryOff)
	v1 := r.Group("/api/v1")
	v1.GET("/me", s.anyone(), mine, h.handleMe)
	v1.GET("/me/passport", s.resident(), mine, h.handleMyPassport)
	v1.GET("/me/fpr-card", s.resident(), mine, h.handleMyFPRCard)
	v1.GET("/admin/persons", s.staff(), persons, h.handleListPersons)
	v1.POST("/admin/persons", s.staff(), persons, h.handleCreatePerson)
	v1.GET("/admin/persons/:id", s.staff(), persons, h.handleGetPerson)
	v1.PATCH("/admin/persons/:id", s.staff(), persons, h.handleUpdatePerson)
	v1.POST("/admin/persons/:id/passports", s.staff(), documents, h.handleAddPassport)
	v1.POST("/admin/persons/:id/fpr-cards", s.staff(), documents, h.handleAddFPRCard)
	v1.POST("/admin/passports/:id/status", s.staff(), documents, h.handleMarkPassport)
	v1.POST("/admin/fpr-cards/:id/status", s.staff(), documents, h.handleMarkFPRCard)
	v1.POST("/admin/fpr-cards/:id/renewal", s.staff(), reissues, h.handleRenewFPRCard)
	v1.POST("/admin/fpr-cards/:id/replacement", s.staff(), reissues, h.handleReplaceFPRCard)
	r.POST(importPath, s.staff(), s.capabilityOn(h.Importer != nil, errRegistryOff), h.handleImport)
}

// auditRoutes: the audit trail, for admins.
func (s *server) auditRoutes(r *gin.Engine) {
	h := s.audit
	r.GET("/api/v1/admin/audit", s.admin(), s.capabilityOn(h.Trail != nil, errAuditOff), h.handleAuditSearch)
}

// applicationRoutes: applications and status inquiries. Inquiries need no
// account, so they are rate limited per client address instead.
func (s *server) applicationRoutes(r *gin.Engine) {
	h := s.apps
	apps := s.capabilityOn(h.on(), errApplicationsOff)
	v1 := r.Group("/api/v1")
	v1.GET("/applications", s.resident(), apps, h.handleListOwnApplications)
	v1.GET("/applications/:number", s.resident(), apps, h.handleOwnApplication)
	v1.POST("/inquiries", s.onBehalfOptional(), apps, h.limitInquiries(), h.handleInquiry)
	v1.POST("/admin/applications", s.staff(), apps, h.handleRegisterApplication)
	v1.GET("/admin/applications", s.staff(), apps, h.handleSearchApplications)
	v1.GET("/admin/applications/:number", s.staff(), apps, h.handleGetApplication)
	v1.POST("/admin/applications/:number/events", s.staff(), apps, h.handleAddApplicationEvent)
}

// appointmentRoutes: free slots, residents' bookings, the officers' desk
// and the caller's notifications.
func (s *server) appointmentRoutes(r *gin.Engine) {
	h := s.appts
	finder := s.capabilityOn(h.Finder != nil, errAppointmentsOff)
	bookings := s.capabilityOn(h.Bookings != nil, errAppointmentsOff)
	own := s.capabilityOn(h.Own != nil, errAppointmentsOff)
	desk := s.capabilityOn(h.Desk != nil, errAppointmentsOff)
	notes := s.capabilityOn(h.Notifications != nil, errAppointmentsOff)
	v1 := r.Group("/api/v1")
	v1.GET("/service-centers/:id/slots", finder, h.handleSlots)
	v1.POST("/appointments", s.resident(), bookings, h.handleBook)
	v1.GET("/appointments", s.resident(), own, h.handleListAppointments)
	v1.GET("/appointments/:id", s.resident(), own, h.handleGetAppointment)
	v1.POST("/appointments/:id/cancel", s.resident(), bookings, h.handleCancelAppointment)
	v1.POST("/appointments/:id/reschedule", s.resident(), bookings, h.handleRescheduleAppointment)
	v1.GET("/appointments/:id/calendar.ics", s.resident(), own, h.handleAppointmentCalendar)
	v1.GET("/admin/service-centers/:id/appointments", s.staff(), desk, h.handleCenterDay)
	v1.POST("/admin/appointments/:id/attendance", s.staff(), desk, h.handleAttendance)
	v1.GET("/admin/service-centers/:id/slot-config", s.staff(), desk, h.handleGetSlotConfig)
	v1.PUT("/admin/service-centers/:id/slot-config", s.staff(), desk, h.handlePutSlotConfig)
	v1.GET("/me/notifications", s.anyone(), notes, h.handleMyNotifications)
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
	v1.POST("/admin/service-centers", s.staff(), editor, h.handleCreateCenter)
	v1.GET("/admin/service-centers/:id", s.staff(), centers, h.handleAdminGetCenter)
	v1.PUT("/admin/service-centers/:id", s.staff(), editor, h.handleUpdateCenter)
	v1.DELETE("/admin/service-centers/:id", s.staff(), editor, h.handleDeleteCenter)
	v1.PUT("/admin/service-centers/:id/hours", s.staff(), editor, h.handleSetHours)
	v1.POST("/admin/service-centers/:id/closures", s.staff(), schedule, h.handleAddClosure)
	v1.DELETE("/admin/service-centers/:id/closures/:date", s.staff(), schedule, h.handleRemoveClosure)
	v1.PUT("/admin/calendar-days/:date", s.staff(), schedule, h.handlePutCalendarDay)
	v1.DELETE("/admin/calendar-days/:date", s.staff(), schedule, h.handleDeleteCalendarDay)
}

// guidelineRoutes: application guidelines. Reads are public and served
// from memory with ETags; publishing needs an officer or admin.
func (s *server) guidelineRoutes(r *gin.Engine) {
	h := s.guidelines
	reader := s.capabilityOn(h.Reader != nil, errGuidelinesOff)
	publisher := s.capabilityOn(h.Publisher != nil, errGuidelinesOff)
	v1 := r.Group("/api/v1")
	v1.GET("/guidelines", reader, h.handleListGuidelines)
	v1.GET("/guidelines/:business", reader, h.handleGetGuideline)
	v1.GET("/guidelines/:business/versions", reader, h.handleGuidelineVersions)
	v1.GET("/guidelines/:business/versions/:version", reader, h.handleGuidelineVersion)
	v1.PUT("/admin/guidelines/:business", s.staff(), publisher, h.handlePublishGuideline)
}

// edocumentRoutes: residents' attestations, officers' decisions on them,
// and the admins' revocation of a compromised signing key.
func (s *server) edocumentRoutes(r *gin.Engine) {
	h := s.edocs
	docs := s.capabilityOn(h.Documents != nil, errEDocumentsOff)
	files := s.capabilityOn(h.Files != nil, errEDocumentsOff)
	officers := s.capabilityOn(h.Officers != nil, errEDocumentsOff)
	me := r.Group("/api/v1/me/attestations", s.resident())
	me.POST("", docs, h.handleIssueAttestation)
	me.GET("", docs, h.handleListAttestations)
	me.GET("/:id", docs, h.handleGetAttestation)
	me.GET("/:id/qr.png", files, h.handleAttestationFile("png"))
	me.GET("/:id/qr.svg", files, h.handleAttestationFile("svg"))
	me.GET("/:id/document.pdf", files, h.handleAttestationFile("pdf"))
	me.POST("/:id/revoke", docs, h.handleRevokeAttestation)
	me.GET("/:id/verifications", files, h.handleAttestationVerifications)
	adm := r.Group("/api/v1/admin/attestations", s.staff())
	adm.GET("", officers, h.handleFindAttestations)
	adm.POST("/:id/suspend", officers, h.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Suspend }))
	adm.POST("/:id/reinstate", officers, h.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.Reinstate }))
	adm.POST("/:id/revoke", officers, h.handleOfficerDecision(func(o EDocumentOfficers) officerDecision { return o.RevokeAsOfficer }))
	r.POST("/api/v1/admin/signing-keys/:kid/revoke", s.admin(), s.capabilityOn(h.Keys != nil, errEDocumentsOff), h.handleRevokeSigningKey)
}

// verifyRoutes: the verify API of relying parties, behind their API key.
func (s *server) verifyRoutes(r *gin.Engine) {
	h := s.verify
	r.POST("/api/v1/verify", h.requireAPIKey(), s.capabilityOn(h.Verifier != nil, errEDocumentsOff), h.handleVerify)
	r.GET("/api/v1/verify/caller", h.requireAPIKey(), h.handleCaller)
}

// relyingPartyRoutes: relying parties and their API keys, for admins.
func (s *server) relyingPartyRoutes(r *gin.Engine) {
	h := s.parties
	parties := s.capabilityOn(h.Admin != nil, errEDocumentsOff)
	rp := r.Group("/api/v1/admin/relying-parties", s.admin())
	rp.POST("", parties, h.handleCreateRelyingParty)
	rp.GET("", parties, h.handleListRelyingParties)
	rp.POST("/:id/disable", parties, h.handleDisableRelyingParty)
	rp.POST("/:id/rotate-key", parties, h.handleRotateRelyingPartyKey)
}

// publicationRoutes: what offline verifiers fetch. Public, with CORS, and
// cacheable for as long as the keys and lists may be used.
func (s *server) publicationRoutes(r *gin.Engine) {
	h := s.publication
	r.GET("/api/v1/status-lists/:id", s.capabilityOn(h.StatusLists != nil, errEDocumentsOff), h.handleStatusList)
	r.GET("/.well-known/jwks.json", s.capabilityOn(h.JWKS != nil, errEDocumentsOff), h.handleJWKS)
	r.GET("/api/v1/trust-bundle", s.capabilityOn(h.TrustBundles != nil, errEDocumentsOff), h.handleTrustBundle)
}

// assistanceRoutes: grants to act for someone — the principal's helpers,
// the helper's principals and requests for dependants, the principal's
// activity view — and the officers' records and decisions. The routes a
// helper then uses for the principal are the resident routes above, with
// the On-Behalf-Of header (onbehalf.go).
func (s *server) assistanceRoutes(r *gin.Engine) {
	h := s.assistance
	helpers := s.capabilityOn(h.Helpers != nil, errAssistanceOff)
	principals := s.capabilityOn(h.Principals != nil, errAssistanceOff)
	activity := s.capabilityOn(h.Activity != nil, errAssistanceOff)
	officers := s.capabilityOn(h.Officers != nil, errAssistanceOff)
	decisions := s.capabilityOn(h.Decisions != nil, errAssistanceOff)
	helper := s.requireRole(RoleResident, RoleHelper)
	v1 := r.Group("/api/v1")
	v1.GET("/me/helpers", s.resident(), helpers, h.handleListHelpers)
	v1.POST("/me/helpers", s.resident(), helpers, h.handleInvite)
	v1.DELETE("/me/helpers/:id", s.resident(), helpers, h.handleEndHelper)
	v1.POST("/me/helpers/:id/confirm", s.resident(), helpers, h.handleConfirmHelper)
	v1.GET("/me/principals", helper, principals, h.handleListPrincipals)
	v1.POST("/me/principals/:id/accept", helper, principals, h.handleAccept)
	v1.DELETE("/me/principals/:id", helper, principals, h.handleLeave)
	v1.POST("/me/dependants/requests", helper, principals, h.handleRequestDependant)
	v1.GET("/me/activity", s.resident(), activity, h.handleMyActivity)
	adm := r.Group("/api/v1/admin/assistance-grants", s.staff())
	adm.POST("", officers, h.handleRecordGrant)
	adm.GET("", officers, h.handleFindGrants)
	adm.GET("/:id", officers, h.handleGetGrant)
	adm.POST("/:id/approve", decisions, h.handleDecision(func(d AssistanceDecisions) grantDecision { return d.Approve }))
	adm.POST("/:id/refuse", decisions, h.handleRefuseGrant)
	adm.POST("/:id/end", decisions, h.handleDecision(func(d AssistanceDecisions) grantDecision { return d.EndAsOfficer }))
}
