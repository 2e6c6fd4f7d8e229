package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

type healthResponse struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
	Time    string `json:"time"`
}

// handleHealthz answers while the process runs; it checks nothing else so
// an orchestrator never restarts us for a database outage.
func (s *server) handleHealthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, healthResponse{Status: "ok", Version: s.version, Time: s.clock.Now().Format(time.RFC3339)})
}

var errNotReady = &apperr.Error{Kind: apperr.KindUnavailable, Code: "database_unavailable",
	RetryAfter: databaseRetryAfter, Message: i18n.T("The database cannot be reached.", "无法连接数据库。")}

// handleReadyz checks the database each time, so it recovers by itself when
// the database comes back.
func (s *server) handleReadyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.fail(c, errNotReady.Wrap(err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, healthResponse{Status: "ready", Version: s.version, Time: s.clock.Now().Format(time.RFC3339)})
}

func (s *server) handleMetrics() gin.HandlerFunc {
	if s.metricsElsewhere {
		return func(c *gin.Context) { s.fail(c, errNoRoute) }
	}
	return gin.WrapH(MetricsHandler(s.reg))
}

// MetricsHandler serves reg in the Prometheus text format, for a listener
// of the operators' own (-metrics-listen) when the public one must not
// show it.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
