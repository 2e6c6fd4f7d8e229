package api

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// httpMetrics are the request counters and latency histogram.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// verifications counts answered verify calls by the caller's sector
	// and the answer: a rise of invalid ones for one sector is the first
	// sign of forged or revoked documents in circulation there.
	verifications *prometheus.CounterVec
}

func newHTTPMetrics(reg prometheus.Registerer, db *sql.DB) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fprlink_http_requests_total",
			Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fprlink_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		verifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fprlink_verifications_total",
			Help: "Answered verify API calls by relying-party sector and status (valid, invalid, unknown).",
		}, []string{"sector", "status"}),
	}
	reg.MustRegister(m.requests, m.latency, m.verifications)
	if db != nil {
		// Open, in-use and idle connections plus wait counts: the first
		// thing to look at when latency rises under load.
		reg.MustRegister(collectors.NewDBStatsCollector(db, "fprlink"))
	}
	return m
}

func (m *httpMetrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}
