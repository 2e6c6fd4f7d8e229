package api

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

const (
	ctxRequestID = "fprlink.request_id"
	ctxLang      = "fprlink.lang"
	// HeaderRequestID carries the request ID in and out.
	HeaderRequestID = "X-Request-Id"
)

// A caller-supplied request ID is kept only when it is short and plain, so
// it cannot inject anything into logs.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID assigns each request an ID, echoes it in a header and makes it
// available to problems and logs.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(HeaderRequestID)
		if !requestIDPattern.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(ctxRequestID, id)
		c.Header(HeaderRequestID, id)
		c.Next()
	}
}

func requestIDOf(c *gin.Context) string { return c.GetString(ctxRequestID) }

// language negotiates en or zh-CN from lang= and Accept-Language.
func language() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := i18n.Negotiate(c.Query("lang"), c.GetHeader("Accept-Language"))
		c.Set(ctxLang, lang)
		c.Header("Content-Language", string(lang))
		c.Next()
	}
}

// pageOf reads a list request's limit and cursor.
func pageOf(c *gin.Context) (paging.Request, error) {
	return paging.Parse(c.Query("limit"), c.Query("cursor"))
}

func langOf(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(ctxLang); ok {
		return l.(i18n.Lang)
	}
	return i18n.EN
}

// accessLog writes one line per request: method, route template (never the
// raw path, which can hold document numbers), status and duration. Bodies,
// query strings and headers are never logged: they carry personal data and
// credentials.
func (s *server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		status := c.Writer.Status()
		s.metrics.observe(c.Request.Method, route, status, elapsed)
		s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "http request",
			slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", status), slog.Duration("duration", elapsed),
			slog.String("request_id", requestIDOf(c)))
	}
}

// recovery turns a panic into a problem 500 and logs the value, never
// showing it to the client.
func (s *server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic serving request", slog.String("request_id", requestIDOf(c)),
					slog.String("route", c.FullPath()), slog.Any("panic", r))
				if !c.Writer.Written() {
					s.fail(c, errPanic)
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// bodyLimit caps request bodies; reading past the limit yields a
// *http.MaxBytesError that decode turns into 413. A declared Content-Length
// over the limit is refused before reading anything.
func (s *server) bodyLimit() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := s.bodyMax
		if c.FullPath() == importPath {
			limit = s.importMax
		}
		if c.Request.ContentLength > limit {
			s.fail(c, errBodyTooLarge)
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

// cleanInput refuses a path or query parameter that is not valid UTF-8 or
// holds a control character (NUL above all): no identifier, date or filter
// of this API has one, and PostgreSQL refuses NUL and broken UTF-8 in text,
// which would otherwise surface as a 500.
func (s *server) cleanInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !cleanText(c.Request.URL.Path) {
			s.fail(c, badParameter("path"))
			return
		}
		for name, values := range c.Request.URL.Query() {
			if !cleanText(name) {
				s.fail(c, badParameter(""))
				return
			}
			for _, v := range values {
				if !cleanText(v) {
					s.fail(c, badParameter(name))
					return
				}
			}
		}
		c.Next()
	}
}

func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func badParameter(name string) error {
	return apperr.Malformed("invalid_characters", name, i18n.T(
		"The request holds characters that are not valid text (control characters or broken UTF-8).",
		"请求含有无效字符（控制字符或错误的 UTF-8 编码）。"))
}

func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int(d.Seconds() + 0.999))
}
