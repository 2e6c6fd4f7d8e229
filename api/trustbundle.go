package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/verifier"
)

// TrustBundles makes the signed trust bundle of air-gapped verifiers;
// *attestations.TrustBundles implements it.
type TrustBundles interface {
	Current(ctx context.Context) (attestations.TrustBundle, error)
	TTL() time.Duration
}

var _ TrustBundles = (*attestations.TrustBundles)(nil)

// handleTrustBundle serves the JWKS and every current status list as one
// signed file. It is public like the JWKS and the lists it holds, and may
// be cached as long as they may.
func (s *server) handleTrustBundle(c *gin.Context) {
	b, err := s.edocs.TrustBundles.Current(c.Request.Context())
	if s.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(s.edocs.TrustBundles.TTL().Seconds())))
	c.Header("Last-Modified", b.MadeAt.UTC().Format(http.TimeFormat))
	c.Header("Content-Disposition", `attachment; filename="trust-bundle.jwt"`)
	c.Data(http.StatusOK, "application/"+verifier.BundleType, []byte(b.Token))
}
