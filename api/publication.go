package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
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
	// jwks is the last key set read, served while the database cannot be
	// reached and the copy is younger than JWKSMaxAge.
	jwks *lastJWKS
}

// lastJWKS is the last key set the service published, and when.
type lastJWKS struct {
	mu   sync.Mutex
	body []byte
	at   time.Time
}

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

// handleJWKS serves the key set as read now. While the database cannot be
// reached it serves the last one read for what remains of its max-age, so
// a verifier never holds keys longer than max-age after they were last
// read, and offline verification goes on through a short outage.
func (h publicationHandler) handleJWKS(c *gin.Context) {
	now := h.clock.Now()
	b, err := h.JWKS.JWKS(c.Request.Context())
	maxAge := h.JWKSMaxAge
	if err == nil {
		h.jwks.mu.Lock()
		h.jwks.body, h.jwks.at = b, now
		h.jwks.mu.Unlock()
	} else {
		var ok bool
		if b, maxAge, ok = h.lastJWKS(now, err); !ok {
			h.fail(c, err)
			return
		}
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(maxAge.Seconds())))
	servePublic(c, "application/jwk-set+json", b)
}

// lastJWKS is the last key set read and what remains of its max-age, when
// err is the database being away and the copy is young enough.
func (h publicationHandler) lastJWKS(now time.Time, err error) ([]byte, time.Duration, bool) {
	if !storage.Unavailable(err) {
		return nil, 0, false
	}
	h.jwks.mu.Lock()
	defer h.jwks.mu.Unlock()
	left := h.JWKSMaxAge - now.Sub(h.jwks.at)
	if h.jwks.body == nil || left <= 0 {
		return nil, 0, false
	}
	return h.jwks.body, left, true
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
