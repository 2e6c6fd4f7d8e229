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
// routes whose services are configured. Roles are enforced here, before
// any handler runs; api/authz_test.go checks every route.
func (s *server) registryRoutes(r *gin.Engine) {
	anyone := s.requireRole(RoleResident, RoleOfficer, RoleAdmin)
	resident := s.requireRole(RoleResident)
	staff := s.requireRole(RoleOfficer, RoleAdmin)
	admin := s.requireRole(RoleAdmin)
	if s.accounts != nil {
		r.POST("/api/v1/auth/register", s.handleRegister)
		r.POST("/api/v1/auth/login", s.handleLogin)
		r.POST("/api/v1/auth/logout", anyone, s.handleLogout)
		r.POST("/api/v1/admin/accounts", admin, s.handleCreateStaff)
	}
	if s.myDocs != nil {
		r.GET("/api/v1/me", anyone, s.handleMe)
		r.GET("/api/v1/me/passport", resident, s.handleMyPassport)
		r.GET("/api/v1/me/fpr-card", resident, s.handleMyFPRCard)
	}
	if s.persons != nil {
		r.GET("/api/v1/admin/persons", staff, s.handleListPersons)
		r.POST("/api/v1/admin/persons", staff, s.handleCreatePerson)
		r.GET("/api/v1/admin/persons/:id", staff, s.handleGetPerson)
		r.PATCH("/api/v1/admin/persons/:id", staff, s.handleUpdatePerson)
	}
	if s.documents != nil {
		r.POST("/api/v1/admin/persons/:id/passports", staff, s.handleAddPassport)
		r.POST("/api/v1/admin/persons/:id/fpr-cards", staff, s.handleAddFPRCard)
		r.POST("/api/v1/admin/passports/:id/status", staff, s.handleMarkPassport)
		r.POST("/api/v1/admin/fpr-cards/:id/status", staff, s.handleMarkFPRCard)
	}
	if s.importer != nil {
		r.POST("/api/v1/admin/imports", staff, s.handleImport)
	}
}
