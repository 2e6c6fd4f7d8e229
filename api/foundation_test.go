package api

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// echoRequest exercises decode in tests.
type echoRequest struct {
	Name      string `json:"name"`
	BirthDate string `json:"birth_date"`
}

func (r echoRequest) Validate() error {
	if r.Name == "" {
		return apperr.Invalid("required", "name", i18n.T("name is required.", "姓名为必填项。"))
	}
	return nil
}

func withEcho(s *server, r *gin.Engine) {
	r.POST("/test/echo", func(c *gin.Context) {
		var req echoRequest
		if s.failIf(c, decode(c, &req)) {
			return
		}
		c.JSON(http.StatusOK, req)
	})
	r.GET("/test/panic", func(*gin.Context) { panic("secret internal state") })
	r.GET("/test/internal", func(c *gin.Context) { s.fail(c, errors.New("pq: password authentication failed for user admin")) })
}

func TestUnknownRouteIsProblem404(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	rec := do(t, h, "GET", "/api/v1/no-such-thing", nil)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
	if p := decodeProblem(t, rec); p.Code != "not_found" || p.RequestID == "" || p.RequestID != rec.Header().Get(HeaderRequestID) {
		t.Fatalf("problem %+v", p)
	}
}

func TestWrongMethodIsProblem405(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	rec := do(t, h, "DELETE", "/healthz", nil)
	if rec.Code != http.StatusMethodNotAllowed || decodeProblem(t, rec).Code != "method_not_allowed" {
		t.Fatalf("status %d body %s", rec.Code, rec.Body)
	}
}

func TestDecodeRejections(t *testing.T) {
	s, h := newTestServer(t, Deps{BodyLimit: 2048})
	withEcho(s, h)
	tests := []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"malformed JSON", `{"name": "A"`, 400, "malformed_json", ""},
		{"syntax error", `{"name": A}`, 400, "malformed_json", ""},
		{"unknown field", `{"name":"A","role":"admin"}`, 400, "unknown_field", "role"},
		{"wrong type", `{"name": 7}`, 400, "wrong_type", "name"},
		{"empty body", ``, 400, "empty_body", ""},
		{"two values", `{"name":"A"}{"name":"B"}`, 400, "malformed_json", ""},
		{"validation names field", `{"name":""}`, 422, "required", "name"},
		{"over the limit", `{"name":"` + strings.Repeat("x", 4096) + `"}`, 413, "body_too_large", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, h, "POST", "/test/echo", strings.NewReader(tt.body), "Content-Type", "application/json")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			p := decodeProblem(t, rec)
			if p.Code != tt.code || p.Field != tt.field {
				t.Fatalf("got code %q field %q, want %q %q", p.Code, p.Field, tt.code, tt.field)
			}
		})
	}
}

func TestBodyOverLimitWithoutContentLength(t *testing.T) {
	s, h := newTestServer(t, Deps{BodyLimit: 2048})
	withEcho(s, h)
	req, _ := http.NewRequest("POST", "/test/echo", bytes.NewReader([]byte(`{"name":"`+strings.Repeat("y", 5000)+`"}`)))
	req.ContentLength = -1 // chunked: the limit must still hold while reading
	rec := do(t, h, req.Method, req.URL.Path, req.Body)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestProblemIsLocalised(t *testing.T) {
	s, h := newTestServer(t, Deps{})
	withEcho(s, h)
	rec := do(t, h, "POST", "/test/echo?lang=zh-CN", strings.NewReader(`{"name":""}`))
	if p := decodeProblem(t, rec); p.Detail != "姓名为必填项。" {
		t.Fatalf("detail %q", p.Detail)
	}
	rec = do(t, h, "GET", "/nowhere", nil, "Accept-Language", "zh-CN,zh;q=0.9")
	if p := decodeProblem(t, rec); p.Detail != "此地址不存在。" {
		t.Fatalf("detail %q", p.Detail)
	}
}

func TestServerErrorsHideInternals(t *testing.T) {
	s, h := newTestServer(t, Deps{})
	withEcho(s, h)
	for _, path := range []string{"/test/panic", "/test/internal"} {
		t.Run(path, func(t *testing.T) {
			rec := do(t, h, "GET", path, nil)
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status %d", rec.Code)
			}
			p := decodeProblem(t, rec)
			body := rec.Body.String()
			if p.Code != "internal" || strings.Contains(body, "secret") || strings.Contains(body, "pq:") {
				t.Fatalf("internal text leaked: %s", body)
			}
		})
	}
}

func TestRequestIDEchoedOrGenerated(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	rec := do(t, h, "GET", "/healthz", nil, HeaderRequestID, "client-abc-12345")
	if rec.Header().Get(HeaderRequestID) != "client-abc-12345" {
		t.Fatal("supplied request ID not echoed")
	}
	rec = do(t, h, "GET", "/healthz", nil, HeaderRequestID, "bad id\nwith newline")
	if got := rec.Header().Get(HeaderRequestID); got == "" || strings.ContainsAny(got, " \n") {
		t.Fatalf("unsafe request ID kept: %q", got)
	}
}

func TestReadyzFollowsDatabase(t *testing.T) {
	p := &okPinger{}
	_, h := newTestServer(t, Deps{DB: p})
	if rec := do(t, h, "GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("up: %d", rec.Code)
	}
	p.err = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
	rec := do(t, h, "GET", "/readyz", nil)
	if rec.Code != 503 || decodeProblem(t, rec).Code != "database_unavailable" {
		t.Fatalf("down: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "refused") {
		t.Fatal("cause leaked")
	}
	p.err = nil
	if rec := do(t, h, "GET", "/readyz", nil); rec.Code != 200 {
		t.Fatalf("back: %d", rec.Code)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	_, h := newTestServer(t, Deps{})
	do(t, h, "GET", "/healthz", nil)
	do(t, h, "GET", "/nope", nil)
	body := do(t, h, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		`fprlink_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`fprlink_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`fprlink_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestMetricsElsewhereAreNotServedPublicly(t *testing.T) {
	reg := prometheus.NewRegistry()
	_, h := newTestServer(t, Deps{Metrics: reg, MetricsElsewhere: true})
	do(t, h, "GET", "/healthz", nil)
	wantProblem(t, do(t, h, "GET", "/metrics", nil), http.StatusNotFound, "not_found", "")
	rec := httptest.NewRecorder()
	MetricsHandler(reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `fprlink_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("operators' handler: %d %s", rec.Code, rec.Body)
	}
}
