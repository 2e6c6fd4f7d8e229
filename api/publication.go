package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
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
}

// handleStatusList serves a status list token. Relying parties cache it
// for its ttl, which is also what Cache-Control says, so shared caches and
// verifiers agree on how stale a list may be.
func (h publicationHandler) handleStatusList(c *gin.Context) {
	snap, err := h.StatusLists.Current(c.Request.Context(), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(h.StatusLists.TTL().Seconds())))
	c.Data(http.StatusOK, "application/statuslist+jwt", []byte(snap.Token))
}

func (h publicationHandler) handleJWKS(c *gin.Context) {
	b, err := h.JWKS.JWKS(c.Request.Context())
	if h.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(h.JWKSMaxAge.Seconds())))
	c.Data(http.StatusOK, "application/jwk-set+json", b)
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
