// Package api is fprlink's HTTP layer and nothing else: gin routes (all in
// routes.go), one handler per capability whose methods decode → validate →
// authorize → act → render, the wire shapes (<capability>_wire.go),
// middleware, the mapping of typed domain errors to RFC 9457 problems, and
// the embedded OpenAPI document. It knows no SQL; domain packages do the
// work, through the small interfaces each capability declares and Deps
// gives.
package api

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// DefaultBodyLimit is the largest request body accepted unless configured.
const DefaultBodyLimit = 1 << 20

// DefaultImportLimit is the largest registry import (NDJSON) accepted over
// HTTP unless configured: about 100,000 lines.
const DefaultImportLimit = 32 << 20

// importPath is the one route whose body may exceed BodyLimit.
const importPath = "/api/v1/admin/imports"

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps is everything the HTTP layer needs. New takes all of it up front;
// nothing is looked up later.
type Deps struct {
	Logger  *slog.Logger
	Clock   clock.Clock
	DB      Pinger
	PoolSQL *sql.DB // for pool metrics; may be nil
	// Replica reports the read replica for its metrics; nil or one
	// without a replica configured exports none.
	Replica ReplicaMonitor
	Metrics *prometheus.Registry // a fresh one when nil
	// MetricsElsewhere says /metrics is served on an operators' address of
	// its own (MetricsHandler), so this handler answers it 404: per-route
	// counts and pool figures are not for the public.
	MetricsElsewhere bool
	// BodyLimit caps request bodies in bytes (DefaultBodyLimit when 0).
	BodyLimit int64
	// ImportLimit caps the body of a registry import, which is a file
	// rather than a request (DefaultImportLimit when 0).
	ImportLimit int64
	// Version is reported by /healthz.
	Version string
	// TrustedProxies are the addresses or CIDR ranges of reverse proxies
	// whose X-Forwarded-For is believed. Per-address limits and the login
	// throttle key on the client address; with none (the default) that is
	// the connection's address and X-Forwarded-For is ignored, since any
	// client can write it.
	TrustedProxies []string
	// Auth authenticates session tokens; nil means no account routes work.
	Auth Authenticator

	// One field per capability: the services behind its routes, each a
	// small interface declared beside the handlers that call it. A nil
	// service turns its routes off (503); they stay registered.
	Accounts       Accounts       // accounts.go
	Registry       Registry       // registry.go, me.go
	Audit          Audit          // audit.go
	Applications   Applications   // applications.go
	Appointments   Appointments   // appointments.go
	Directory      Directory      // directory.go
	Guidelines     Guidelines     // guidelines.go
	EDocuments     EDocuments     // edocuments.go
	Verify         Verify         // verify.go
	RelyingParties RelyingParties // relyingparties.go
	Publication    Publication    // publication.go
	Assistance     Assistance     // assistance.go, onbehalf.go

	// Pages, when set, registers the web front end's routes on the same
	// engine after the API's, so pages share its middleware (request ID,
	// access log, recovery, input checks). It must not register under
	// /api/ or any path the API uses.
	Pages func(*gin.Engine)
}

// server is the middleware, the infrastructure routes and one handler per
// capability, each holding only the services it calls.
type server struct {
	responder
	clock   clock.Clock
	db      Pinger
	reg     *prometheus.Registry
	metrics *httpMetrics
	// metricsElsewhere turns /metrics off here (Deps.MetricsElsewhere).
	metricsElsewhere bool
	bodyMax          int64
	// importMax replaces bodyMax on importPath.
	importMax int64
	version   string
	openapi   []byte
	queries   map[string]map[string]bool // query parameters each route declares
	auth      Authenticator
	proxies   []string
	pages     func(*gin.Engine)
	// assist checks and records every request made on someone's behalf;
	// nil refuses them (assistance_unavailable).
	assist AssistanceGate

	accounts    accountsHandler
	registry    registryHandler
	audit       auditHandler
	apps        applicationsHandler
	appts       appointmentsHandler
	directory   directoryHandler
	guidelines  guidelinesHandler
	edocs       edocumentsHandler
	verify      verifyHandler
	parties     relyingPartiesHandler
	publication publicationHandler
	assistance  assistanceHandler
}

// New builds the HTTP handler with every route registered.
func New(d Deps) (http.Handler, error) {
	s, err := newServer(d)
	if err != nil {
		return nil, err
	}
	return s.engine(), nil
}

func newServer(d Deps) (*server, error) {
	if d.Logger == nil || d.Clock == nil || d.DB == nil {
		return nil, errors.New("api: Logger, Clock and DB are required")
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
	}
	if d.BodyLimit <= 0 {
		d.BodyLimit = DefaultBodyLimit
	}
	if d.ImportLimit <= 0 {
		d.ImportLimit = DefaultImportLimit
	}
	if d.Publication.JWKSMaxAge <= 0 {
		d.Publication.JWKSMaxAge = 5 * time.Minute
	}
	if err := CheckTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	doc, err := openAPIJSONOnce()
	if err != nil {
		return nil, err
	}
	queries, err := queryAllowlist()
	if err != nil {
		return nil, err
	}
	r := responder{log: d.Logger}
	metrics := newHTTPMetrics(d.Metrics, d.PoolSQL)
	registerReplicaMetrics(d.Metrics, d.Replica)
	return &server{
		responder: r, clock: d.Clock, db: d.DB, reg: d.Metrics, metrics: metrics, metricsElsewhere: d.MetricsElsewhere,
		bodyMax: d.BodyLimit, importMax: d.ImportLimit, version: d.Version, openapi: doc, queries: queries,
		auth: d.Auth, proxies: d.TrustedProxies, pages: d.Pages, assist: d.Assistance.Gate,

		accounts:    accountsHandler{r, d.Accounts},
		registry:    registryHandler{r, d.Registry},
		audit:       auditHandler{r, d.Audit},
		apps:        newApplicationsHandler(r, d.Applications, d.Clock),
		appts:       appointmentsHandler{r, d.Appointments},
		directory:   directoryHandler{r, d.Directory, d.Clock},
		guidelines:  guidelinesHandler{r, d.Guidelines, d.Clock},
		edocs:       edocumentsHandler{r, d.EDocuments},
		verify:      verifyHandler{r, d.Verify, metrics.verifications},
		parties:     relyingPartiesHandler{r, d.RelyingParties},
		publication: publicationHandler{r, d.Publication, d.Clock},
		assistance:  assistanceHandler{r, d.Assistance},
	}, nil
}

// CheckTrustedProxies accepts IP addresses and CIDR ranges only. It runs
// gin's own parser, the one the engine uses, on a scratch engine.
func CheckTrustedProxies(list []string) error {
	if err := (&gin.Engine{}).SetTrustedProxies(list); err != nil {
		return fmt.Errorf("api: trusted proxies: %w", err)
	}
	return nil
}

func (s *server) engine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	// Checked in newServer; nil trusts no proxy.
	_ = r.SetTrustedProxies(s.proxies)
	r.Use(requestID(), language(), s.accessLog(), s.recovery(), s.cleanInput(), s.refuseUnknownQuery(s.queries), s.bodyLimit(),
		s.refuseOnBehalfElsewhere())
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNoRoute) })
	r.NoMethod(func(c *gin.Context) {
		lang := langOf(c)
		writeProblem(c, Problem{
			Type: ProblemTypeBase + "method_not_allowed", Code: "method_not_allowed",
			Title: http.StatusText(http.StatusMethodNotAllowed), Status: http.StatusMethodNotAllowed,
			Detail: msgNoMethod.In(lang), Instance: c.Request.URL.Path, RequestID: requestIDOf(c),
		})
	})
	s.routes(r)
	if s.pages != nil {
		s.pages(r)
	}
	return r
}

var (
	errNoRoute = apperr.NotFound("not_found",
		i18n.T("There is nothing at this address.", "此地址不存在。"))
	msgNoMethod = i18n.T("This address does not accept that method.", "此地址不支持该请求方法。")
	errPanic    = apperr.Internal("panic")
)

// capabilityOff is the error of a capability that is off: the deployment
// gave the api none of the services behind its routes. Each capability has
// one, named errXxxOff beside its handlers; its code ends in _unavailable.
func capabilityOff(code string, msg i18n.Text) *apperr.Error {
	return apperr.New(apperr.KindUnavailable, code, msg)
}

// The accounts and the registry predate per-capability codes and keep the
// one their clients know.
var (
	errAccountsOff = capabilityOff("service_unavailable",
		i18n.T("This part of the service is not available right now.", "该服务暂不可用。"))
	errRegistryOff = errAccountsOff
)

// capabilityOn is the one gate of a capability that may be off: while the
// service behind a route is not given (on is false) the route answers off,
// a 503 problem naming the capability, so every route is always registered
// (and documented) while a deployment may still leave a capability out.
//
// On an authenticated route it goes after requireRole or requireAPIKey, so a
// caller without credentials always gets 401 and learns nothing of what this
// server has configured; a public route uses it alone.
func (s *server) capabilityOn(on bool, off *apperr.Error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !on {
			s.fail(c, off)
			return
		}
		c.Next()
	}
}
