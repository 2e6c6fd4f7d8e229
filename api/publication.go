package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/verifier"
)

// StatusListTokens serves signed status lists.
type StatusListTokens interface {
	Current(ctx context.Context, listID string) (statuslists.Snapshot, error)
	TTL() time.Duration
}

// JWKSPublisher returns the public key set.
type JWKSPublisher interface {
	JWKS(ctx context.Context) ([]byte, error)
}

// TrustBundles makes the signed trust bundle of air-gapped verifiers;
// *attestations.TrustBundles implements it.
type TrustBundles interface {
	Current(ctx context.Context) (attestations.TrustBundle, error)
	TTL() time.Duration
}

var (
	_ StatusListTokens = (*statuslists.Tokens)(nil)
	_ TrustBundles     = (*attestations.TrustBundles)(nil)
)

// Publication is what the service publishes for anyone holding a document
// to verify it offline: the keys, the status lists and both in one signed
// trust bundle. A nil field makes its route answer 503.
type Publication struct {
	StatusLists  StatusListTokens
	JWKS         JWKSPublisher
	TrustBundles TrustBundles
	// JWKSMaxAge is the Cache-Control max-age of the JWKS (5 minutes when 0).
	JWKSMaxAge time.Duration
}

// publicationHandler serves the published keys, status lists and trust
// bundle.
type publicationHandler struct {
	responder
	Publication
	clock clock.Clock
}

// JWKSCopier is a JWKSPublisher that says when the set it returns was
// read, so its max-age counts from then: *attestations.CachedJWKS, which
// serves its last copy while the database cannot be reached.
type JWKSCopier interface {
	Copy(ctx context.Context) ([]byte, time.Time, error)
}

var _ JWKSCopier = (*attestations.CachedJWKS)(nil)

// handleStatusList serves a status list token. Relying parties cache it
// for its ttl, which is also what Cache-Control says, so shared caches and
// verifiers agree on how stale a list may be.
func (h publicationHandler) handleStatusList(c *gin.Context) {
	snap, err := h.StatusLists.Current(c.Request.Context(), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	maxAge := h.StatusLists.TTL()
	if snap.Stale {
		// The last token signed before the database went away: nobody
		// should keep it longer than they would have from its signing.
		maxAge = max(0, maxAge-h.clock.Now().Sub(snap.SignedAt))
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
	servePublic(c, "application/statuslist+jwt", []byte(snap.Token))
}

// handleJWKS serves the key set with a max-age counted from when it was
// read: a copy served during a database outage says what remains of it, so
// no verifier holds keys longer than max-age after they were last read.
func (h publicationHandler) handleJWKS(c *gin.Context) {
	now := h.clock.Now()
	var b []byte
	readAt := now
	var err error
	if cp, ok := h.JWKS.(JWKSCopier); ok {
		b, readAt, err = cp.Copy(c.Request.Context())
	} else {
		b, err = h.JWKS.JWKS(c.Request.Context())
	}
	if h.failIf(c, err) {
		return
	}
	maxAge := max(0, h.JWKSMaxAge-now.Sub(readAt))
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
	servePublic(c, "application/jwk-set+json", b)
}

// servePublic writes a published document with a strong ETag over its
// bytes, answering 304 to a client that holds them already, so verifiers
// and caches revalidate cheaply once max-age has passed.
func servePublic(c *gin.Context, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, contentType, body)
}

// handleTrustBundle serves the JWKS and every current status list as one
// signed file. It is public like the JWKS and the lists it holds, and may
// be cached as long as they may.
func (h publicationHandler) handleTrustBundle(c *gin.Context) {
	b, err := h.TrustBundles.Current(c.Request.Context())
	if h.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(h.TrustBundles.TTL().Seconds())))
	c.Header("Last-Modified", b.MadeAt.UTC().Format(http.TimeFormat))
	c.Header("Content-Disposition", `attachment; filename="trust-bundle.jwt"`)
	c.Data(http.StatusOK, "application/"+verifier.BundleType, []byte(b.Token))
}
