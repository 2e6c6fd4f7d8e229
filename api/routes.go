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
}
