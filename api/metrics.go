package api

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/fprlink/fprlink/internal/storage"
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

// ReplicaMonitor reports the read replica's lag and use; *storage.DB
// implements it.
type ReplicaMonitor interface {
	ReplicaStatus() storage.ReplicaStatus
}

var _ ReplicaMonitor = (*storage.DB)(nil)

// registerReplicaMetrics exports the read replica's state when one is
// configured: its lag against the bound says how stale the public reads
// it serves may be, and reads counted on the primary while it is
// configured mean it is down or too far behind.
func registerReplicaMetrics(reg prometheus.Registerer, m ReplicaMonitor) {
	if m == nil || !m.ReplicaStatus().Configured {
		return
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "fprlink_database_replica_lag_seconds",
			Help: "How far the read replica's replay was behind the primary at its last check; -1 when it did not answer.",
		}, func() float64 { return m.ReplicaStatus().Lag.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "fprlink_database_replica_max_lag_seconds",
			Help: "The lag above which reads leave the read replica for the primary.",
		}, func() float64 { return m.ReplicaStatus().MaxLag.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "fprlink_database_replica_in_use",
			Help: "1 while the read replica serves the reads that may use it, 0 while they go to the primary.",
		}, func() float64 {
			if m.ReplicaStatus().InUse {
				return 1
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "fprlink_database_replica_reads_total",
			Help:        "Reads that may use the read replica, by the server that answered them.",
			ConstLabels: prometheus.Labels{"served_by": "replica"},
		}, func() float64 { return float64(m.ReplicaStatus().ReplicaReads) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "fprlink_database_replica_reads_total",
			Help:        "Reads that may use the read replica, by the server that answered them.",
			ConstLabels: prometheus.Labels{"served_by": "primary"},
		}, func() float64 { return float64(m.ReplicaStatus().PrimaryReads) }),
	)
}
