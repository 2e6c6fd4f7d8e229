package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// The account services throttle on clientIP, which the handlers give as
// addressKey of the client address, as the inquiry limit does: an IPv6 /64
// is one client, so rotating addresses within it gains nothing.

// AccountEnrolment opens accounts: an enrolment code goes to the person's
// contact on record, or an officer hands one over at the counter, and the
// code opens the account.
type AccountEnrolment interface {
	RequestCode(ctx context.Context, r accounts.CodeRequest, clientIP string) (accounts.CodeSent, error)
	IssueCounterCode(ctx context.Context, by audit.Actor, personID string) (accounts.CounterCode, error)
	Register(ctx context.Context, r accounts.Registration, clientIP string) (accounts.Account, error)
}

// AccountSignIn opens and closes sessions.
type AccountSignIn interface {
	Login(ctx context.Context, username, password, clientIP string) (accounts.Session, error)
	Logout(ctx context.Context, token string) error
}

// AccountPasswords replaces passwords: the caller's own, one a resident was
// given, or one staff reset.
type AccountPasswords interface {
	ChangePassword(ctx context.Context, by audit.Actor, accountID, current, next, keepToken, clientIP string) error
	SetPassword(ctx context.Context, by audit.Actor, username, current, next, clientIP string) error
	ResetByStaff(ctx context.Context, by audit.Actor, id string) (accounts.Reset, error)
}

// AccountAdmin is what admins do with accounts.
type AccountAdmin interface {
	List(ctx context.Context, role string, page paging.Request) (paging.Page[accounts.Account], error)
	SetDisabled(ctx context.Context, by audit.Actor, id string, disabled bool) (accounts.Account, error)
	CreateStaff(ctx context.Context, by audit.Actor, username, password, role string) (accounts.Account, error)
}

var (
	_ AccountEnrolment = (*accounts.Service)(nil)
	_ AccountSignIn    = (*accounts.Service)(nil)
	_ AccountPasswords = (*accounts.Service)(nil)
	_ AccountAdmin     = (*accounts.Service)(nil)
)

// Accounts are the services behind the account routes; one
// *accounts.Service satisfies every field. A nil field makes the routes
// that call it answer 503.
type Accounts struct {
	Enrolment AccountEnrolment
	SignIn    AccountSignIn
	Passwords AccountPasswords
	Admin     AccountAdmin
	// Helpers records Chinese helpers and enrols them.
	Helpers HelperEnrolment
}

// accountsHandler serves the account routes.
type accountsHandler struct {
	responder
	Accounts
}

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
	// ResidentID is a Chinese helper's: their code works only with it.
	ResidentID string `json:"resident_id"`
}

func (r registerRequest) Validate() error {
	return requireFields(required("code", r.Code), required("username", r.Username), required("password", r.Password))
}

// handleListAccounts lets an admin page through accounts, optionally of
// one role.
func (h accountsHandler) handleListAccounts(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	out, err := h.Admin.List(c.Request.Context(), c.Query("role"), page)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, toAccountJSON))
}

// handleSetAccountDisabled disables (signing the account out everywhere)
// or re-enables an account.
func (h accountsHandler) handleSetAccountDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		acc, err := h.Admin.SetDisabled(c.Request.Context(), actorOf(c), c.Param("id"), disabled)
		if h.failIf(c, err) {
			return
		}
		c.JSON(http.StatusOK, toAccountJSON(acc))
	}
}

func (h accountsHandler) handleRegister(c *gin.Context) {
	var req registerRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	acc, err := h.Enrolment.Register(c.Request.Context(), accounts.Registration{Code: req.Code, Username: req.Username,
		Password: req.Password, ResidentID: req.ResidentID, RequestID: requestIDOf(c)}, addressKey(c.ClientIP()))
	if h.failIf(c, err) {
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

func (h accountsHandler) handleLogin(c *gin.Context) {
	var req loginRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	sess, err := h.SignIn.Login(c.Request.Context(), req.Username, req.Password, addressKey(c.ClientIP()))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, loginResponse{Token: sess.Token, ExpiresAt: sess.ExpiresAt, Role: sess.Role})
}

func (h accountsHandler) handleLogout(c *gin.Context) {
	tok, _ := bearerToken(c) // requireRole has already checked it
	if h.failIf(c, h.SignIn.Logout(c.Request.Context(), tok)) {
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
func (h accountsHandler) handleChangePassword(c *gin.Context) {
	var req passwordChange
	if h.failIf(c, decode(c, &req)) {
		return
	}
	tok, _ := bearerToken(c) // requireRole has already checked it
	err := h.Passwords.ChangePassword(c.Request.Context(), actorOf(c), principalOf(c).AccountID,
		req.CurrentPassword, req.NewPassword, tok, addressKey(c.ClientIP()))
	if h.failIf(c, err) {
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
func (h accountsHandler) handleSetPassword(c *gin.Context) {
	var req passwordSet
	if h.failIf(c, decode(c, &req)) {
		return
	}
	err := h.Passwords.SetPassword(c.Request.Context(), actorOf(c), // no principal: the account itself acts
		req.Username, req.CurrentPassword, req.NewPassword, addressKey(c.ClientIP()))
	if h.failIf(c, err) {
		return
	}
	c.Status(http.StatusNoContent)
}

// handleResetPassword gives an account a temporary password, shown once.
func (h accountsHandler) handleResetPassword(c *gin.Context) {
	r, err := h.Passwords.ResetByStaff(c.Request.Context(), actorOf(c), c.Param("id"))
	if h.failIf(c, err) {
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
func (h accountsHandler) handleCreateStaff(c *gin.Context) {
	var req staffRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	acc, err := h.Admin.CreateStaff(c.Request.Context(), actorOf(c), req.Username, req.Password, req.Role)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toAccountJSON(acc))
}
