package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/i18n"
)

// The cookies. None holds personal data: the session cookie holds the
// accounts service's session token, the verifier cookie the relying
// party's API key, the CSRF cookie a random value.
const (
	cookieSession  = "fprl_session"
	cookieVerifier = "fprl_verifier"
	cookieCSRF     = "fprl_csrf"
	cookieLang     = "fprl_lang"
	csrfField      = "csrf"
	csrfHeader     = "X-CSRF-Token"
	ctxLang        = "fprlink.web.lang"
	ctxCSRF        = "fprlink.web.csrf"
)

// contentSecurityPolicy allows script only from this origin: no inline
// script, no inline event handlers, no eval. Images may be data: and blob:
// URLs (a photo of a QR being decoded), the camera's stream is a blob.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"media-src 'self' blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// headers sets the security headers of every page and static file.
func (s *Site) headers() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
		c.Next()
	}
}

// language picks the page's language: the visitor's choice (a cookie set
// by the switch), else Accept-Language. Never the URL, which would carry
// it into every link and log.
func (s *Site) language() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := i18n.Negotiate("", c.GetHeader("Accept-Language"))
		if v, err := c.Cookie(cookieLang); err == nil {
			if l, ok := i18n.Parse(v); ok {
				lang = l
			}
		}
		c.Set(ctxLang, lang)
		c.Header("Content-Language", string(lang))
		c.Header("Vary", "Cookie, Accept-Language")
		c.Next()
	}
}

func langOf(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(ctxLang); ok {
		return l.(i18n.Lang)
	}
	return i18n.EN
}

// isTLS says whether cookies must be Secure.
func (s *Site) isTLS(c *gin.Context) bool { return s.secure || c.Request.TLS != nil }

// setCookie writes an HttpOnly cookie for the whole site. maxAge 0 makes
// it a session cookie, below 0 deletes it.
func (s *Site) setCookie(c *gin.Context, name, value string, maxAge int, mode http.SameSite) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.isTLS(c), SameSite: mode})
}

// csrf gives every visitor a random cookie and every form a token that is
// that cookie's HMAC under the site's key (a signed double-submit token),
// and refuses any unsafe request whose token is missing or wrong, and any
// that the browser says came from another site (Sec-Fetch-Site, Origin:
// net/http's CrossOriginProtection).
func (s *Site) csrf() gin.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	return func(c *gin.Context) {
		seed, err := c.Cookie(cookieCSRF)
		if err != nil || len(seed) < 32 {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			s.setCookie(c, cookieCSRF, seed, 0, http.SameSiteStrictMode)
		}
		want := s.csrfToken(seed)
		c.Set(ctxCSRF, want)
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if cop.Check(c.Request) != nil {
			s.refuseForm(c)
			return
		}
		got := c.GetHeader(csrfHeader)
		if got == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
			got = c.PostForm(csrfField)
		}
		if !hmac.Equal([]byte(got), []byte(want)) {
			s.refuseForm(c)
			return
		}
		c.Next()
	}
}

func (s *Site) csrfToken(seed string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("csrf\x00" + seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// refuseForm answers a form whose token is missing or wrong: 403, and the
// form is not acted on.
func (s *Site) refuseForm(c *gin.Context) {
	s.render(c, http.StatusForbidden, "message", page{
		Title: tr("This form has expired", "此表单已失效"),
		Message: tr("The form could not be accepted: it is out of date or came from another site. Go back, reload the page and try again.",
			"表单未被受理：表单已过期或来自其他网站。请返回并刷新页面后重试。"),
	})
	c.Abort()
}
