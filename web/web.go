// Package web is fprlink's front end for people: server-rendered pages
// (html/template, embedded) for residents, helpers and the counter staff of
// relying parties, made for a phone first, in English and Chinese.
//
// The pages hold no business rules of their own. Each one calls the HTTP
// API in-process (Options.API, the same handler the server answers /api/
// with), with the signed-in person's session token, so a page is refused,
// rate limited and worded exactly as the API would be: the problem's code
// decides, its localized detail is shown. The session cookie holds only the
// accounts service's session token.
//
// Every page carries a Content-Security-Policy without inline script,
// every form a CSRF token bound to the browser, and no page puts personal
// data in its URL: what a person types goes in a POST body.
//
// The verifier page checks an e-document in the browser (static/verify.js:
// WebCrypto ES256, raw DEFLATE, the status list) against the JWKS and the
// status lists a service worker keeps, then asks the verify API.
package web

import (
	"crypto/rand"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/fprlink/fprlink/internal/clock"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options is everything the pages need.
type Options struct {
	Logger *slog.Logger
	Clock  clock.Clock
	// API is the HTTP API the pages call in-process.
	API http.Handler
	// SecureCookies marks every cookie Secure even on plain HTTP requests,
	// for a service behind a proxy that ends TLS. Cookies are always
	// Secure on a TLS connection.
	SecureCookies bool
	// CSRFKey signs the forms' tokens. When empty a random key is made at
	// start: tokens then do not outlive the process nor cross nodes, so a
	// deployment of several nodes sets one.
	CSRFKey []byte
}

// Site is the web front end: its templates, static files and routes.
type Site struct {
	log     *slog.Logger
	clk     clock.Clock
	api     http.Handler
	secure  bool
	csrfKey []byte
	pages   map[string]*template.Template
	static  fs.FS
}

// New parses the templates and checks the options.
func New(o Options) (*Site, error) {
	if o.Logger == nil || o.Clock == nil || o.API == nil {
		return nil, errors.New("web: Logger, Clock and API are required")
	}
	key := o.CSRFKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	if len(key) < 32 {
		return nil, errors.New("web: CSRFKey must be at least 32 bytes")
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	return &Site{log: o.Logger, clk: o.Clock, api: o.API, secure: o.SecureCookies, csrfKey: key,
		pages: pages, static: static}, nil
}
