package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// apiReply is the API's answer to an in-process call.
type apiReply struct {
	status int
	header http.Header
	body   []byte
}

func (r *apiReply) ok() bool { return r.status >= 200 && r.status < 300 }

// decode reads a JSON answer into out.
func (r *apiReply) decode(out any) error { return json.Unmarshal(r.body, out) }

// problem is the part of an RFC 9457 answer a page shows.
type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
	Title  string `json:"title"`
}

// problem reads the answer's problem; a body that is none gives a bare one
// with the status, which the page words itself.
func (r *apiReply) problem() problem {
	var p problem
	if json.Unmarshal(r.body, &p) != nil || p.Code == "" {
		return problem{Status: r.status, Code: "unexpected"}
	}
	return p
}

// recorder collects what the API writes.
type recorder struct {
	h      http.Header
	status int
	buf    bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.h }
func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(b)
}
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

// call sends one request to the API in-process in the page's language,
// as the page's caller: their session token (when signed in), their
// address (so per-address limits count them, not the server) and the
// page's request ID (so the API's log lines join the page's).
func (s *Site) call(c *gin.Context, method, path, token string, body any) (*apiReply, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	return s.callRaw(c.Request.Context(), c, method, path, token, rd)
}

func (s *Site) callRaw(ctx context.Context, c *gin.Context, method, path, token string, body io.Reader) (*apiReply, error) {
	if !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/.well-known/") {
		return nil, errors.New("web: not an API path")
	}
	req, err := http.NewRequestWithContext(ctx, method, path, body)
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = c.Request.RemoteAddr
	if xff := c.Request.Header.Get("X-Forwarded-For"); xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	if id := c.Writer.Header().Get("X-Request-Id"); id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	req.Header.Set("Accept-Language", string(langOf(c)))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
		if a := actingOf(c); a != nil && onBehalfPath(path) {
			req.Header.Set(headerOBO, a.PersonID)
		}
	}
	rec := &recorder{h: http.Header{}}
	s.api.ServeHTTP(rec, req)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &apiReply{status: rec.status, header: rec.h, body: rec.buf.Bytes()}, nil
}
