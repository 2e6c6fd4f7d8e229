package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
)

// SigningKeyAdmin revokes a compromised signing key from a serving node.
type SigningKeyAdmin interface {
	RevokeKey(ctx context.Context, by audit.Actor, kid string) (attestations.KeyRevocation, error)
}

var _ SigningKeyAdmin = (*attestations.KeyAdmin)(nil)

// keyRevocationView is the answer to a key revocation.
type keyRevocationView struct {
	KID       string `json:"kid"`
	State     string `json:"state"`
	RevokedAt string `json:"revoked_at"`
	// ActiveKID is the key that signs from now on.
	ActiveKID string `json:"active_kid"`
}

// handleRevokeSigningKey revokes the key named in the path. The node that
// answers refuses the key's documents at once; every other node within its
// key cache's lifetime, and offline verifiers once their JWKS is older
// than its max-age.
func (h edocumentsHandler) handleRevokeSigningKey(c *gin.Context) {
	r, err := h.Keys.RevokeKey(c.Request.Context(), actorOf(c), c.Param("kid"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, keyRevocationView{KID: r.KID, State: "revoked",
		RevokedAt: r.RevokedAt.UTC().Format(time.RFC3339), ActiveKID: r.ActiveKID})
}
