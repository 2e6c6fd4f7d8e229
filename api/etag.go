package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
)

// renderCacheable writes v as JSON with a strong ETag over the exact bytes
// sent, and answers 304 when the client already holds them. Hashing the
// body rather than tracking versions keeps the tag right for everything
// that shapes the response: the data, the query, the language and the
// open-now status, which changes with the clock and not with any write.
func (s responder) renderCacheable(c *gin.Context, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.fail(c, apperr.Internal("api: render: %w", err))
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	// Clients and caches may keep the body but must revalidate each time:
	// open-now is only right at the moment it was computed.
	h.Set("Cache-Control", "public, no-cache")
	h.Set("Vary", "Accept-Language")
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110
// §13.1.2): any listed tag equal to etag, ignoring W/, or "*".
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == etag {
			return true
		}
	}
	return false
}
