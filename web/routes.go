package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Register adds every page, static file and form route to the engine.
// This is the whole web surface.
func (s *Site) Register(r *gin.Engine) {
	g := r.Group("", s.headers(), s.language(), s.csrf())
	g.GET("/static/*file", s.handleStatic)
	g.POST("/language", s.handleLanguage)

	// Public pages.
	g.GET("/", s.handleHome)
	g.GET("/centres", s.handleCentres)
	g.POST("/centres/near", s.handleNearCentres)
	g.GET("/centres/:id", s.handleCentre)
	g.GET("/guidelines", s.handleGuidelines)
	g.GET("/guidelines/:business", s.handleGuideline)
	g.GET("/inquiry", s.handleInquiryForm)
	g.POST("/inquiry", s.handleInquiry)

	// Accounts.
	g.GET("/enrol", s.handleEnrolForm)
	g.POST("/enrol/code", s.handleEnrolCode)
	g.POST("/enrol", s.handleEnrol)
	g.GET("/sign-in", s.handleSignInForm)
	g.POST("/sign-in", s.handleSignIn)
	g.POST("/sign-out", s.handleSignOut)

	// A resident's own pages.
	me := g.Group("", s.signedIn())
	me.GET("/account/password", s.handlePasswordForm)
	me.POST("/account/password", s.handlePassword)
	me.GET("/me", s.handleMe)
	me.GET("/documents", s.handleDocuments)
	me.POST("/documents", s.handleIssue)
	me.GET("/documents/:id", s.handleDocument)
	me.GET("/documents/:id/share", s.handleShare)
	me.GET("/documents/:id/qr.png", s.handleDocumentFile("qr.png"))
	me.GET("/documents/:id/document.pdf", s.handleDocumentFile("document.pdf"))
	me.POST("/documents/:id/revoke", s.handleRevoke)
	me.GET("/appointments", s.handleAppointments)
	me.GET("/appointments/new", s.handleBookForm)
	me.POST("/appointments", s.handleBook)
	me.POST("/appointments/:id/cancel", s.handleCancel)
	me.GET("/appointments/:id/reschedule", s.handleRescheduleForm)
	me.POST("/appointments/:id/reschedule", s.handleReschedule)
	me.GET("/appointments/:id/calendar.ics", s.handleCalendar)
	me.GET("/applications", s.handleApplications)
	me.GET("/notifications", s.handleNotifications)

	// Helpers and the people they help.
	me.GET("/helpers", s.handleHelpers)
	me.POST("/helpers", s.handleInvite)
	me.POST("/helpers/:id/confirm", s.grantAction(http.MethodPost, "/api/v1/me/helpers/", "/confirm", true))
	me.POST("/helpers/:id/end", s.grantAction(http.MethodDelete, "/api/v1/me/helpers/", "", true))
	me.GET("/principals", s.handlePrincipals)
	me.POST("/principals/:id/accept", s.grantAction(http.MethodPost, "/api/v1/me/principals/", "/accept", false))
	me.POST("/principals/:id/leave", s.grantAction(http.MethodDelete, "/api/v1/me/principals/", "", false))
	me.POST("/dependants/requests", s.handleDependantRequest)
	me.POST("/acting-for", s.handleActFor)
	me.POST("/acting-for/stop", s.handleStopActing)

	// The verifier page of relying parties' counter staff.
	g.GET("/verifier/", s.handleVerifier)
	g.GET("/verifier/sw.js", s.handleServiceWorker)
	g.POST("/verifier/sign-in", s.handleVerifierSignIn)
	g.POST("/verifier/sign-out", s.handleVerifierSignOut)
	g.POST("/verifier/verify", s.handleVerifierVerify)
	r.GET("/verifier", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/verifier/") })
}
