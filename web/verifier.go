package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// verifierCaller is the relying party of the key the page was given.
type verifierCaller struct {
	Name        string `json:"name"`
	Sector      string `json:"sector"`
	SectorLabel string `json:"sector_label"`
	KeyPrefix   string `json:"key_prefix"`
}

// The verifier's key lives in an HttpOnly cookie scoped to the verifier's
// pages: the page's script never reads it, and only the verify calls carry
// it. It is a session cookie, gone when the counter's browser closes.
const verifierPath = "/verifier/"

func (s *Site) handleVerifier(c *gin.Context) {
	p := page{Title: tr("Check an e-document", "核验电子证明"), Nav: "verifier"}
	key, err := c.Cookie(cookieVerifier)
	if err != nil || key == "" {
		s.render(c, http.StatusOK, "verifier-signin", p)
		return
	}
	var who verifierCaller
	r, ok := s.getJSON(c, "/api/v1/verify/caller", key, &who)
	if !ok {
		return
	}
	if r.status == http.StatusUnauthorized {
		s.clearVerifier(c)
		s.failPage(c, http.StatusOK, "verifier-signin", p, r)
		return
	}
	if !r.ok() {
		s.failPage(c, 0, "verifier-signin", p, r)
		return
	}
	p.Data = who
	p.Scripts = []string{"vendor/jsqr/jsQR.js", "verify.js"}
	s.render(c, http.StatusOK, "verifier", p)
}

func (s *Site) clearVerifier(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{Name: cookieVerifier, Path: verifierPath, MaxAge: -1,
		HttpOnly: true, Secure: s.isTLS(c), SameSite: http.SameSiteStrictMode})
}

func (s *Site) handleVerifierSignIn(c *gin.Context) {
	key := strings.TrimSpace(c.PostForm("api_key"))
	p := page{Title: tr("Check an e-document", "核验电子证明"), Nav: "verifier"}
	var who verifierCaller
	r, ok := s.getJSON(c, "/api/v1/verify/caller", key, &who)
	if !ok {
		return
	}
	if !r.ok() {
		s.failPage(c, 0, "verifier-signin", p, r)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: cookieVerifier, Value: key, Path: verifierPath,
		HttpOnly: true, Secure: s.isTLS(c), SameSite: http.SameSiteStrictMode})
	c.Redirect(http.StatusSeeOther, verifierPath)
}

func (s *Site) handleVerifierSignOut(c *gin.Context) {
	s.clearVerifier(c)
	c.Redirect(http.StatusSeeOther, verifierPath)
}

// handleVerifierVerify hands the page's request to the verify API with
// the key from the cookie, and its answer back unchanged: the scanned text
// goes nowhere else.
func (s *Site) handleVerifierVerify(c *gin.Context) {
	key, err := c.Cookie(cookieVerifier)
	if err != nil || key == "" {
		c.Data(http.StatusUnauthorized, "application/problem+json",
			[]byte(`{"type":"urn:fprlink:problem:invalid_api_key","title":"Unauthorized","status":401,"code":"invalid_api_key"}`))
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, 64<<10))
	if err != nil {
		c.Status(http.StatusBadRequest)
		return
	}
	r, err := s.callRaw(c.Request.Context(), c, http.MethodPost, "/api/v1/verify", key, bytes.NewReader(body))
	if err != nil {
		s.internalError(c, err)
		return
	}
	if v := r.header.Get("Retry-After"); v != "" {
		c.Header("Retry-After", v)
	}
	c.Header("Cache-Control", "no-store")
	c.Data(r.status, r.header.Get("Content-Type"), r.body)
}

// handleServiceWorker serves the worker from the verifier's own path, so
// its scope is the verifier's pages and nothing else.
func (s *Site) handleServiceWorker(c *gin.Context) {
	b, err := fsRead(s, "sw.js")
	if err != nil {
		s.internalError(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", b)
}

func fsRead(s *Site, name string) ([]byte, error) {
	f, err := s.static.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// handleStatic serves the embedded style sheet, scripts and images.
func (s *Site) handleStatic(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	b, err := fsRead(s, name)
	if err != nil || name == "sw.js" {
		c.Status(http.StatusNotFound)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".js" {
		ct = "text/javascript; charset=utf-8"
	}
	// A short cache: files change with each release and carry no version
	// in their name.
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, ct, b)
}
