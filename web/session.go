package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/i18n"
)

const ctxMe = "fprlink.web.me"

// me is the signed-in account as GET /api/v1/me gives it.
type me struct {
	token    string
	Username string  `json:"username"`
	Role     string  `json:"role"`
	Person   *person `json:"person"`
}

type person struct {
	ID              string `json:"id"`
	Surname         string `json:"surname"`
	GivenNames      string `json:"given_names"`
	ChineseName     string `json:"chinese_name"`
	Sex             string `json:"sex"`
	BirthDate       string `json:"birth_date"`
	Nationality     string `json:"nationality"`
	NationalityName string `json:"nationality_name"`
}

// signedIn admits a visitor whose session the API still accepts; anyone
// else is sent to sign in, and comes back to the page afterwards (its
// path only: the pages behind it carry no personal data in their URL).
func (s *Site) signedIn() gin.HandlerFunc {
	return func(c *gin.Context) {
		token, err := c.Cookie(cookieSession)
		if err == nil && token != "" {
			r, err := s.call(c, http.MethodGet, "/api/v1/me", token, nil)
			if err != nil {
				s.internalError(c, err)
				c.Abort()
				return
			}
			if r.ok() {
				var m me
				if err := r.decode(&m); err != nil {
					s.internalError(c, err)
					c.Abort()
					return
				}
				m.token = token
				c.Set(ctxMe, &m)
				s.loadActing(c, &m)
				c.Next()
				return
			}
			s.setCookie(c, cookieSession, "", -1, http.SameSiteLaxMode)
		}
		next := ""
		if c.Request.Method == http.MethodGet {
			next = "?next=" + url.QueryEscape(c.Request.URL.Path)
		}
		c.Redirect(http.StatusSeeOther, "/sign-in"+next)
		c.Abort()
	}
}

func meOf(c *gin.Context) *me { return c.MustGet(ctxMe).(*me) }

// localPath accepts only a path of this site as where to go after a form,
// never another host ("//evil", "/\\evil").
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return "/"
	}
	return p
}

// handleLanguage is the language switch: a cookie for a year, then back to
// the page it was pressed on.
func (s *Site) handleLanguage(c *gin.Context) {
	lang, ok := i18n.Parse(c.PostForm("lang"))
	if !ok {
		lang = i18n.EN
	}
	s.setCookie(c, cookieLang, string(lang), int((365 * 24 * time.Hour).Seconds()), http.SameSiteLaxMode)
	c.Redirect(http.StatusSeeOther, localPath(c.PostForm("next")))
}

func (s *Site) handleSignInForm(c *gin.Context) {
	s.render(c, http.StatusOK, "signin", page{Title: tr("Sign in", "登录"),
		Data: map[string]string{"Next": localPath(c.DefaultQuery("next", "/me"))}})
}

func (s *Site) handleSignIn(c *gin.Context) {
	next := localPath(c.DefaultPostForm("next", "/me"))
	p := page{Title: tr("Sign in", "登录"), Data: map[string]string{"Next": next, "Username": c.PostForm("username")}}
	r, err := s.call(c, http.MethodPost, "/api/v1/auth/login", "",
		map[string]string{"username": c.PostForm("username"), "password": c.PostForm("password")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.failPage(c, 0, "signin", p, r)
		return
	}
	var login struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	if err := r.decode(&login); err != nil {
		s.internalError(c, err)
		return
	}
	// A session cookie (no Max-Age): the token's own expiry still applies
	// on the server, and the browser forgets it when closed.
	s.setCookie(c, cookieSession, login.Token, 0, http.SameSiteLaxMode)
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Site) handleSignOut(c *gin.Context) {
	if token, err := c.Cookie(cookieSession); err == nil && token != "" {
		if _, err := s.call(c, http.MethodPost, "/api/v1/auth/logout", token, nil); err != nil {
			s.log.Warn("web: sign-out", "error", err.Error())
		}
	}
	s.setCookie(c, cookieSession, "", -1, http.SameSiteLaxMode)
	s.render(c, http.StatusOK, "message", page{Title: tr("Signed out", "已退出登录"),
		Message: tr("You are signed out. Close the browser if others use this device.", "您已退出登录。如他人也使用此设备，请关闭浏览器。")})
}

func (s *Site) handlePasswordForm(c *gin.Context) {
	s.render(c, http.StatusOK, "password", page{Title: tr("Change password", "修改密码"), Nav: "account"})
}

func (s *Site) handlePassword(c *gin.Context) {
	m := meOf(c)
	p := page{Title: tr("Change password", "修改密码"), Nav: "account"}
	if c.PostForm("new_password") != c.PostForm("new_password_again") {
		p.Problem = &problem{Field: "new_password_again",
			Detail: tr("The two new passwords differ.", "两次输入的新密码不一致。").In(langOf(c))}
		s.render(c, http.StatusUnprocessableEntity, "password", p)
		return
	}
	r, err := s.call(c, http.MethodPost, "/api/v1/me/password", m.token,
		map[string]string{"current_password": c.PostForm("current_password"), "new_password": c.PostForm("new_password")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.failPage(c, 0, "password", p, r)
		return
	}
	p.Notice = tr("Your password is changed. Your other sessions are signed out.", "密码已修改，您在其他设备上的登录已退出。")
	s.render(c, http.StatusOK, "password", p)
}
