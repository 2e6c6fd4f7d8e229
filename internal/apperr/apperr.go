// Package apperr defines the typed errors that domain packages return.
// Domain code says what went wrong (a Kind, a stable Code, the offending
// Field and a bilingual message); only the api package turns these into
// HTTP problem documents, in one place. Anything that is not an *Error is
// treated as internal and never shown to a client.
package apperr

import (
	"errors"
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/i18n"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of error. The api layer maps each to exactly one HTTP status.
const (
	KindInternal        Kind = iota // bug or outage: 500, details logged only
	KindMalformed                   // syntactically bad request: 400
	KindInvalid                     // well-formed but fails validation: 422
	KindUnauthenticated             // no or bad credentials: 401
	KindForbidden                   // authenticated but not allowed: 403
	KindNotFound                    // 404
	KindConflict                    // state does not allow it: 409
	KindTooLarge                    // body over the limit: 413
	KindRateLimited                 // 429
	KindUnavailable                 // dependency down: 503
)

// FieldError names one invalid field among several.
type FieldError struct {
	Field   string    `json:"field"`
	Code    string    `json:"code"`
	Message i18n.Text `json:"-"`
}

// Error is a domain error with a stable machine-readable code.
type Error struct {
	Kind       Kind
	Code       string // stable, snake_case, becomes the problem "code"
	Field      string // the request field at fault, when one is
	Message    i18n.Text
	Fields     []FieldError  // further invalid fields
	RetryAfter time.Duration // for KindRateLimited and KindUnavailable
	cause      error         // logged, never shown

	// ConflictsWith is, for KindConflict, the ID of the caller's own record
	// that stands in the way (the appointment a booking would overlap), so
	// a client can show it; empty when none does.
	ConflictsWith string
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Message.En != "" {
		s += ": " + e.Message.En
	}
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap exposes the underlying cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.cause }

// Wrap returns a copy of e that records cause for the log.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// New builds an error of any kind.
func New(kind Kind, code string, msg i18n.Text) *Error {
	return &Error{Kind: kind, Code: code, Message: msg}
}

// Malformed is a 400-class error about a request field.
func Malformed(code, field string, msg i18n.Text) *Error {
	return &Error{Kind: KindMalformed, Code: code, Field: field, Message: msg}
}

// Invalid is a validation failure of one field.
func Invalid(code, field string, msg i18n.Text) *Error {
	return &Error{Kind: KindInvalid, Code: code, Field: field, Message: msg}
}

// NotFound says a resource does not exist or is not the caller's to see.
func NotFound(code string, msg i18n.Text) *Error {
	return &Error{Kind: KindNotFound, Code: code, Message: msg}
}

// Conflict says the current state forbids the action.
func Conflict(code string, msg i18n.Text) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: msg}
}

// Unauthenticated says credentials are missing or wrong.
func Unauthenticated(code string, msg i18n.Text) *Error {
	return &Error{Kind: KindUnauthenticated, Code: code, Message: msg}
}

// Forbidden says the caller may not do this.
func Forbidden(code string, msg i18n.Text) *Error {
	return &Error{Kind: KindForbidden, Code: code, Message: msg}
}

// RateLimited says to slow down and when to retry.
func RateLimited(code string, retryAfter time.Duration, msg i18n.Text) *Error {
	return &Error{Kind: KindRateLimited, Code: code, RetryAfter: retryAfter, Message: msg}
}

// Internal wraps an unexpected error; its text goes to the log only.
func Internal(format string, args ...any) *Error {
	return &Error{Kind: KindInternal, Code: "internal", cause: fmt.Errorf(format, args...)}
}

// As extracts an *Error from err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// AtField returns err naming field as the one at fault, when it is an
// *Error (a rule checked for one field, reported for another); the original
// is not changed, and other errors pass through.
func AtField(err error, field string) error {
	e, ok := As(err)
	if !ok {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// Is reports whether err is an *Error with the given code.
func Is(err error, code string) bool {
	e, ok := As(err)
	return ok && e.Code == code
}
