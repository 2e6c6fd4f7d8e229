package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// AccountService is what the account routes need; *accounts.Service
// implements it. Its throttles key on clientIP, which the handlers give as
// addressKey of the client address, as the inquiry limit does: an IPv6 /64
// is one client, so rotating addresses within it gains nothing.
type AccountService interface {
	RequestCode(ctx context.Context, r accounts.CodeRequest, clientIP string) (accounts.CodeSent, error)
	IssueCounterCode(ctx context.Context, by audit.Actor, personID string) (accounts.CounterCode, error)
	Register(ctx context.Context, r accounts.Registration, clientIP string) (accounts.Account, error)
	Login(ctx context.Context, username, password, clientIP string) (accounts.Session, error)
	Logout(ctx context.Context, token string) error
	ChangePassword(ctx context.Context, by audit.Actor, accountID, current, next, keepToken, clientIP string) error
	List(ctx context.Context, role string, page paging.Request) (paging.Page[accounts.Account], error)
	SetDisabled(ctx context.Context, by audit.Actor, id string, disabled bool) (accounts.Account, error)
	ResetByStaff(ctx context.Context, by audit.Actor, id string) (accounts.Reset, error)
	SetPassword(ctx context.Context, by audit.Actor, username, current, next, clientIP string) error
	CreateStaff(ctx context.Context, by audit.Actor, username, password, role string) (accounts.Account, error)
}

var _ AccountService = (*accounts.Service)(nil)

// SessionChecker resolves a session token; *accounts.Service implements it.
type SessionChecker interface {
	Authenticate(ctx context.Context, token string) (accounts.Identity, error)
}

// AccountsAuth adapts the accounts package to Authenticator, so that
// accounts never imports api.
type AccountsAuth struct{ Sessions SessionChecker }

var _ Authenticator = AccountsAuth{}

// Authenticate implements Authenticator.
func (a AccountsAuth) Authenticate(ctx context.Context, token string) (Principal, error) {
	id, err := a.Sessions.Authenticate(ctx, token)
	if err != nil {
		return Principal{}, err
	}
	return Principal{AccountID: id.AccountID, Username: id.Username, Role: id.Role, PersonID: id.PersonID}, nil
}

func required(field, value string) *apperr.FieldError {
	if strings.TrimSpace(value) != "" {
		return nil
	}
	return &apperr.FieldError{Field: field, Code: "required",
		Message: i18n.T(field+" is required.", "此项为必填项。")}
}

// requireFields turns missing fields into one Invalid error listing them.
func requireFields(checks ...*apperr.FieldError) error {
	var list []apperr.FieldError
	for _, c := range checks {
		if c != nil {
			list = append(list, *c)
		}
	}
	if len(list) == 0 {
		return nil
	}
	return &apperr.Error{Kind: apperr.KindInvalid, Code: "required", Field: list[0].Field, Message: list[0].Message, Fields: list}
}

// registerRequest opens an account with an enrolment code. It holds no
// document data: that is printed on every e-document, so it proves
// nothing.
type registerRequest struct {
	Code     string `json:"code"`
	Username string `json:"username"`
	Password string `json:"password"`
}

func (r registerRequest) Validate() error {
	return requireFields(required("code", r.Code), required("username", r.Username), required("password", r.Password))
}

type accountJSON struct {
	ID                     string     `json:"id"`
	Username               string     `json:"username"`
	Role                   string     `json:"role"`
	PersonID               string     `json:"person_id,omitempty"`
	CreatedAt              time.Time  `json:"created_at"`
	DisabledAt             *time.Time `json:"disabled_at,omitempty"`
	PasswordChangeRequired bool       `json:"password_change_required,omitempty"`
}

func toAccountJSON(a accounts.Account) accountJSON {
	return accountJSON{ID: a.ID, Username: a.Username, Role: a.Role, PersonID: a.PersonID, CreatedAt: a.CreatedAt,
		DisabledAt: a.DisabledAt, PasswordChangeRequired: a.PasswordChangeRequired}
}

// handleListAccounts lets an admin page through accounts, optionally of
// one role.
func (s *server) handleListAccounts(c *gin.Context) {
	page, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	out, err := s.accounts.List(c.Request.Context(), c.Query("role"), page)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, toAccountJSON))
}

// handleSetAccountDisabled disables (signing the account out everywhere)
// or re-enables an account.
func (s *server) handleSetAccountDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		acc, err := s.accounts.SetDisabled(c.Request.Context(), actorOf(c), c.Param("id"), disabled)
		if s.failIf(c, err) {
			return
		}
		c.JSON(http.StatusOK, toAccountJSON(acc))
	}
}

func (s *server) handleRegister(c *gin.Context) {
	var req registerRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	acc, err := s.accounts.Register(c.Request.Context(), accounts.Registration{Code: req.Code, Username: req.Username,
		Password: req.Password, RequestID: requestIDOf(c)}, addressKey(c.ClientIP()))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, toAccountJSON(acc))
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (r loginRequest) Validate() error {
	return requireFields(required("username", r.Username), required("password", r.Password))
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Role      string    `json:"role"`
}

func (s *server) handleLogin(c *gin.Context) {
	var req loginRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	sess, err := s.accounts.Login(c.Request.Context(), req.Username, req.Password, addressKey(c.ClientIP()))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, Role: sess.Role})
}

func (s *server) handleLogout(c *gin.Context) {
	tok, _ := bearerToken(c) // requireRole has already checked it
	if s.failIf(c, s.accounts.Logout(c.Request.Context(), tok)) {
		return
	}
	c.Status(http.StatusNoContent)
}

type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (r passwordChange) Validate() error {
	return requireFields(required("current_password", r.CurrentPassword), required("new_password", r.NewPassword))
}

// handleChangePassword replaces the caller's own password; the caller stays
// signed in and every other session of the account is signed out.
func (s *server) handleChangePassword(c *gin.Context) {
	var req passwordChange
	if s.failIf(c, decode(c, &req)) {
		return
	}
	tok, _ := bearerToken(c) // requireRole has already checked it
	err := s.accounts.ChangePassword(c.Request.Context(), actorOf(c), principalOf(c).AccountID,
		req.CurrentPassword, req.NewPassword, tok, addressKey(c.ClientIP()))
	if s.failIf(c, err) {
		return
	}
	c.Status(http.StatusNoContent)
}

type passwordSet struct {
	Username        string `json:"username"`
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (r passwordSet) Validate() error {
	return requireFields(required("username", r.Username), required("current_password", r.CurrentPassword),
		required("new_password", r.NewPassword))
}

// handleSetPassword replaces a password without a session: how a resident
// replaces the temporary password an officer gave them.
func (s *server) handleSetPassword(c *gin.Context) {
	var req passwordSet
	if s.failIf(c, decode(c, &req)) {
		return
	}
	err := s.accounts.SetPassword(c.Request.Context(), actorOf(c), // no principal: the account itself acts
		req.Username, req.CurrentPassword, req.NewPassword, addressKey(c.ClientIP()))
	if s.failIf(c, err) {
		return
	}
	c.Status(http.StatusNoContent)
}

type resetJSON struct {
	Account           accountJSON `json:"account"`
	TemporaryPassword string      `json:"temporary_password"`
	ExpiresAt         time.Time   `json:"expires_at"`
}

// handleResetPassword gives an account a temporary password, shown once.
func (s *server) handleResetPassword(c *gin.Context) {
	r, err := s.accounts.ResetByStaff(c.Request.Context(), actorOf(c), c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, resetJSON{Account: toAccountJSON(r.Account), TemporaryPassword: r.TemporaryPassword, ExpiresAt: r.ExpiresAt})
}

type staffRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func (r *staffRequest) Validate() error {
	if r.Role == "" {
		r.Role = RoleOfficer
	}
	return requireFields(required("username", r.Username), required("password", r.Password))
}

// handleCreateStaff lets an admin create officer (or admin) accounts.
func (s *server) handleCreateStaff(c *gin.Context) {
	var req staffRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	acc, err := s.accounts.CreateStaff(c.Request.Context(), actorOf(c), req.Username, req.Password, req.Role)
	if s.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toAccountJSON(acc))
}
