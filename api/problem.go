package api

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// ProblemTypeBase prefixes every problem's type; the code makes it unique
// and stable.
const ProblemTypeBase = "urn:fprlink:problem:"

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	Code      string         `json:"code"`
	Field     string         `json:"field,omitempty"`
	Errors    []ProblemField `json:"errors,omitempty"`
	RequestID string         `json:"request_id,omitempty"`

	// ConflictsWith is, on a 409, the ID of the caller's own record in the
	// way (the appointment a booking would overlap).
	ConflictsWith string `json:"conflicts_with,omitempty"`
}

// ProblemField is one invalid field.
type ProblemField struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
	Detail string `json:"detail,omitempty"`
}

var kindStatus = map[apperr.Kind]int{
	apperr.KindMalformed:       http.StatusBadRequest,
	apperr.KindInvalid:         http.StatusUnprocessableEntity,
	apperr.KindUnauthenticated: http.StatusUnauthorized,
	apperr.KindForbidden:       http.StatusForbidden,
	apperr.KindNotFound:        http.StatusNotFound,
	apperr.KindConflict:        http.StatusConflict,
	apperr.KindTooLarge:        http.StatusRequestEntityTooLarge,
	apperr.KindRateLimited:     http.StatusTooManyRequests,
	apperr.KindUnavailable:     http.StatusServiceUnavailable,
}

var internalText = i18n.T("An internal error occurred. Quote the request ID when you contact us.",
	"服务内部错误。联系我们时请提供请求编号。")

// responder is how a handler answers with an error. The server and every
// capability's handler hold one, so every error leaves through the same
// fail, and the cause of a 5xx reaches the one log.
type responder struct{ log *slog.Logger }

// fail renders err as a problem and aborts the request. It is the one place
// errors leave the service: typed domain errors keep their code and
// message, anything else becomes a bare 500 whose cause goes only to the log.
func (s responder) fail(c *gin.Context, err error) {
	lang := langOf(c)
	err = outageOf(err)
	e, ok := apperr.As(err)
	status := http.StatusInternalServerError
	if ok {
		if st, known := kindStatus[e.Kind]; known {
			status = st
		}
	}
	p := Problem{Status: status, Instance: c.Request.URL.Path, RequestID: requestIDOf(c)}
	if status >= 500 {
		s.log.ErrorContext(c.Request.Context(), "request failed",
			slog.String("request_id", p.RequestID), slog.String("route", c.FullPath()),
			slog.String("error", err.Error()))
		code := "internal"
		if ok && e.Kind == apperr.KindUnavailable {
			code = e.Code
		}
		p.Code, p.Type = code, ProblemTypeBase+code
		p.Title = http.StatusText(status)
		p.Detail = internalText.In(lang)
		if ok && e.Kind == apperr.KindUnavailable && e.Message.En != "" {
			p.Detail = e.Message.In(lang)
		}
		if ok && e.Kind == apperr.KindUnavailable && e.RetryAfter > 0 {
			c.Header("Retry-After", retryAfterSeconds(e.RetryAfter))
		}
	} else {
		p.Code, p.Type = e.Code, ProblemTypeBase+e.Code
		p.Title = http.StatusText(status)
		p.Detail = e.Message.In(lang)
		p.Field, p.ConflictsWith = e.Field, e.ConflictsWith
		for _, f := range e.Fields {
			p.Errors = append(p.Errors, ProblemField{Field: f.Field, Code: f.Code, Detail: f.Message.In(lang)})
		}
		if e.Kind == apperr.KindRateLimited && e.RetryAfter > 0 {
			c.Header("Retry-After", retryAfterSeconds(e.RetryAfter))
		}
	}
	writeProblem(c, p)
}

func writeProblem(c *gin.Context, p Problem) {
	c.Header("Content-Type", "application/problem+json")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(p.Status, p)
}

// failIf is a convenience for handlers: it renders err and reports whether
// there was one.
func (s responder) failIf(c *gin.Context, err error) bool {
	if err == nil {
		return false
	}
	s.fail(c, err)
	return true
}

// databaseRetryAfter is what a client is told to wait while the database
// cannot be reached: a restart or a failover takes seconds, and /readyz
// says when this node serves again.
const databaseRetryAfter = 5 * time.Second

// errDatabaseUnavailable answers every request that needed the database
// while it could not be reached.
var errDatabaseUnavailable = &apperr.Error{Kind: apperr.KindUnavailable, Code: "database_unavailable",
	RetryAfter: databaseRetryAfter,
	Message: i18n.T("The service cannot reach its database right now. Try again in a few seconds.",
		"服务暂时无法连接数据库，请稍后几秒再试。")}

// outageOf is err as the client should see it. An error no domain package
// classified (a bare error or an internal one) whose cause is the database
// not answering becomes database_unavailable: 503 with Retry-After rather
// than 500, so clients retry and monitoring can tell an outage from a bug.
// The cause is kept for the log.
func outageOf(err error) error {
	if e, ok := apperr.As(err); ok && e.Kind != apperr.KindInternal {
		return err
	}
	if storage.Unavailable(err) {
		return errDatabaseUnavailable.Wrap(err)
	}
	return err
}

// errBodyTooLarge is reported when a body exceeds the configured limit.
var errBodyTooLarge = &apperr.Error{Kind: apperr.KindTooLarge, Code: "body_too_large",
	Message: i18n.T("The request body is larger than this service accepts.", "请求体超过允许的大小。")}

func isMaxBytes(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}
