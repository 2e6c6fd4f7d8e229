// Package paging implements the cursor pagination every list endpoint uses:
// a bounded limit and an opaque cursor that encodes where the previous page
// stopped (keyset pagination, so pages stay stable while rows are added).
package paging

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Limits on page size.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Request is a validated page request.
type Request struct {
	Limit int
	After string // decoded cursor: the sort key of the last item seen
}

// ErrBadCursor refuses a cursor this service did not issue.
var ErrBadCursor = apperr.Malformed("invalid_cursor", "cursor",
	i18n.T("cursor is not one this service issued.", "分页游标无效。"))

// Parse validates the raw limit and cursor query parameters.
func Parse(limit, cursor string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxLimit {
			return r, apperr.Malformed("invalid_limit", "limit",
				i18n.T("limit must be a whole number from 1 to 100.", "每页条数必须是 1 到 100 之间的整数。"))
		}
		r.Limit = n
	}
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		// Keys are text: a cursor decoding to broken UTF-8 or a NUL is not
		// one of ours, and PostgreSQL would refuse it in a comparison.
		if err != nil || len(b) == 0 || len(b) > 256 || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
			return r, ErrBadCursor
		}
		r.After = string(b)
	}
	return r, nil
}

// Cursor encodes the sort key of the last item on a page.
func Cursor(lastKey string) string {
	if lastKey == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

// Page is one page of results.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// Map converts each item of a page, keeping its cursor.
func Map[T, U any](p Page[T], convert func(T) U) Page[U] {
	out := Page[U]{Items: make([]U, len(p.Items)), NextCursor: p.NextCursor}
	for i, item := range p.Items {
		out.Items[i] = convert(item)
	}
	return out
}

// Build trims a result fetched with Limit+1 rows to a page and sets the next
// cursor from key(last item) when more rows exist.
func Build[T any](rows []T, limit int, key func(T) string) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:limit]
	return Page[T]{Items: rows, NextCursor: Cursor(key(rows[len(rows)-1]))}
}
