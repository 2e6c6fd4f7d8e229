package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// With -metrics-listen, /metrics is served on that address only: the
// public listener answers 404 and the operators' one has the counts.
func TestMetricsListenServesMetricsOnlyThere(t *testing.T) {
	t.Chdir(t.TempDir())
	addr := "127.0.0.1:" + freePort(t)
	base, stop := startServe(t, []string{"-listen", "127.0.0.1:0"}, map[string]string{"FPRLINK_METRICS_LISTEN": addr})
	defer stop()
	if code := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	if code := get(t, base+"/metrics"); code != http.StatusNotFound {
		t.Fatalf("public /metrics: %d, want 404", code)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `fprlink_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("operators' /metrics: %d %.300s", resp.StatusCode, body)
	}
	if code := get(t, "http://"+addr+"/healthz"); code != http.StatusNotFound {
		t.Fatalf("the operators' address serves only /metrics: %d", code)
	}
}
