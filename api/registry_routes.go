package api

import "github.com/gin-gonic/gin"

// registryDeps are the services behind the account and registry routes.
type registryDeps struct {
	accounts  AccountService
	persons   PersonStore
	documents DocumentStore
	importer  RegistryImporter
	myDocs    MyDocuments
}

func newRegistryDeps(d Deps) registryDeps {
	return registryDeps{accounts: d.Accounts, persons: d.Persons, documents: d.Documents,
		importer: d.Importer, myDocs: d.MyDocuments}
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

	accounts := s.serviceOn(s.accounts != nil, errServiceUnavailable)
	v1.POST("/auth/enrolment-codes", accounts, s.handleRequestCode)
	v1.POST("/auth/register", accounts, s.handleRegister)
	v1.POST("/auth/login", accounts, s.handleLogin)
	v1.POST("/auth/logout", anyone, accounts, s.handleLogout)
	v1.POST("/me/password", anyone, accounts, s.handleChangePassword)
	v1.POST("/admin/accounts", admin, accounts, s.handleCreateStaff)
	v1.GET("/admin/accounts", admin, accounts, s.handleListAccounts)
	v1.POST("/admin/accounts/:id/disable", admin, accounts, s.handleSetAccountDisabled(true))
	v1.POST("/admin/accounts/:id/enable", admin, accounts, s.handleSetAccountDisabled(false))
	v1.POST("/admin/accounts/:id/reset-password", staff, accounts, s.handleResetPassword)
	v1.POST("/auth/password", accounts, s.handleSetPassword)
	v1.GET("/admin/audit", admin, s.serviceOn(s.audit != nil, errAuditOff), s.handleAuditSearch)

	myDocs := s.serviceOn(s.myDocs != nil, errServiceUnavailable)
	v1.GET("/me", anyone, myDocs, s.handleMe)
	v1.GET("/me/passport", resident, myDocs, s.handleMyPassport)
	v1.GET("/me/fpr-card", resident, myDocs, s.handleMyFPRCard)

	persons := s.serviceOn(s.persons != nil, errServiceUnavailable)
	v1.GET("/admin/persons", staff, persons, s.handleListPersons)
	v1.POST("/admin/persons", staff, persons, s.handleCreatePerson)
	v1.GET("/admin/persons/:id", staff, persons, s.handleGetPerson)
	v1.PATCH("/admin/persons/:id", staff, persons, s.handleUpdatePerson)
	v1.POST("/admin/persons/:id/enrolment-code", staff, accounts, s.handleCounterCode)

	documents := s.serviceOn(s.documents != nil, errServiceUnavailable)
	v1.POST("/admin/persons/:id/passports", staff, documents, s.handleAddPassport)
	v1.POST("/admin/persons/:id/fpr-cards", staff, documents, s.handleAddFPRCard)
	v1.POST("/admin/passports/:id/status", staff, documents, s.handleMarkPassport)
	v1.POST("/admin/fpr-cards/:id/status", staff, documents, s.handleMarkFPRCard)
	v1.POST("/admin/fpr-cards/:id/renewal", staff, documents, s.handleRenewFPRCard)
	v1.POST("/admin/fpr-cards/:id/replacement", staff, documents, s.handleReplaceFPRCard)

	r.POST(importPath, staff, s.serviceOn(s.importer != nil, errServiceUnavailable), s.handleImport)
}
