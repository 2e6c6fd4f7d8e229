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
	{
		g := r.Group("", s.serviceOn(s.accounts != nil))
		g.POST("/api/v1/auth/register", s.handleRegister)
		g.POST("/api/v1/auth/login", s.handleLogin)
		g.POST("/api/v1/auth/logout", anyone, s.handleLogout)
		g.POST("/api/v1/admin/accounts", admin, s.handleCreateStaff)
	}
	{
		g := r.Group("", s.serviceOn(s.myDocs != nil))
		g.GET("/api/v1/me", anyone, s.handleMe)
		g.GET("/api/v1/me/passport", resident, s.handleMyPassport)
		g.GET("/api/v1/me/fpr-card", resident, s.handleMyFPRCard)
	}
	{
		g := r.Group("", s.serviceOn(s.persons != nil))
		g.GET("/api/v1/admin/persons", staff, s.handleListPersons)
		g.POST("/api/v1/admin/persons", staff, s.handleCreatePerson)
		g.GET("/api/v1/admin/persons/:id", staff, s.handleGetPerson)
		g.PATCH("/api/v1/admin/persons/:id", staff, s.handleUpdatePerson)
	}
	{
		g := r.Group("", s.serviceOn(s.documents != nil))
		g.POST("/api/v1/admin/persons/:id/passports", staff, s.handleAddPassport)
		g.POST("/api/v1/admin/persons/:id/fpr-cards", staff, s.handleAddFPRCard)
		g.POST("/api/v1/admin/passports/:id/status", staff, s.handleMarkPassport)
		g.POST("/api/v1/admin/fpr-cards/:id/status", staff, s.handleMarkFPRCard)
	}
	{
		g := r.Group("", s.serviceOn(s.importer != nil))
		g.POST("/api/v1/admin/imports", staff, s.handleImport)
	}
}
