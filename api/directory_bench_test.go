package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// BenchmarkListServiceCenters measures GET /api/v1/service-centers through
// the real router and middleware (request ID, language, access log,
// metrics, recovery, body limit) with the directory snapshot warm, from
// parallel clients. ns/op is the wall time per request across all of them,
// so requests per second = 1e9 / ns/op.
func BenchmarkListServiceCenters(b *testing.B) {
	for _, bc := range []struct{ name, query, etag string }{
		{"plain", "", ""},
		{"near-zh", "?near=39.9,116.4&lang=zh-CN", ""},
		{"revalidate-304", "", "etag"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newDirectoryEnv(b, dbtest.SQLite(b))
			path := "/api/v1/service-centers" + bc.query
			warm := e.do(b, "GET", path, "", "")
			if warm.Code != http.StatusOK {
				b.Fatalf("warm-up: %d", warm.Code)
			}
			etag := ""
			if bc.etag != "" {
				etag = warm.Header().Get("ETag")
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("GET", path, nil)
					if etag != "" {
						req.Header.Set("If-None-Match", etag)
					}
					w := httptest.NewRecorder()
					e.engine.ServeHTTP(w, req)
					if w.Code != http.StatusOK && w.Code != http.StatusNotModified {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}
