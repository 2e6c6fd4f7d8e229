package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Config is one load run.
type Config struct {
	URL      string // the verify endpoint
	APIKey   string
	Inputs   []string // QR texts or compact JWSs, taken in turn
	Clients  int
	Duration time.Duration
}

// Report summarises a run. Answered counts 200 responses: the calls that
// got a verification answer and so must have left a row.
type Report struct {
	Clients    int
	Elapsed    time.Duration
	Requests   int64
	Answered   int64
	Valid      int64
	Errors     map[string]int64
	Throughput float64
	P50        time.Duration
	P95        time.Duration
	P99        time.Duration
	Max        time.Duration
}

// Run drives cfg.Clients concurrent clients, each sending one request at a
// time, until cfg.Duration has passed or ctx ends. Requests in flight at the
// end are waited for rather than cancelled: a cancelled request may still be
// recorded by the server, and then rows and answers would not match.
func Run(ctx context.Context, cfg Config, client *http.Client) Report {
	bodies := make([][]byte, len(cfg.Inputs))
	for i, in := range cfg.Inputs {
		bodies[i], _ = json.Marshal(inputBody(in))
	}
	deadline := time.Now().Add(cfg.Duration)
	results := make([]clientResult, cfg.Clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = drive(ctx, deadline, cfg, client, bodies, i)
		}()
	}
	wg.Wait()
	return summarise(cfg.Clients, time.Since(start), results)
}

func inputBody(input string) map[string]string {
	if len(input) > 6 && input[:6] == "fprl:/" {
		return map[string]string{"qr": input}
	}
	return map[string]string{"token": input}
}

type clientResult struct {
	latencies []time.Duration
	answered  int64
	valid     int64
	errors    map[string]int64
}

// drive is one client: it sends the inputs in turn, starting at its own
// offset so concurrent clients ask about different documents.
func drive(ctx context.Context, deadline time.Time, cfg Config, client *http.Client, bodies [][]byte, offset int) clientResult {
	r := clientResult{errors: map[string]int64{}}
	for n := offset; ctx.Err() == nil && time.Now().Before(deadline); n++ {
		t := time.Now()
		status, valid, err := once(context.WithoutCancel(ctx), cfg, client, bodies[n%len(bodies)])
		r.latencies = append(r.latencies, time.Since(t))
		switch {
		case err != nil:
			r.errors["transport"]++
		case status != http.StatusOK:
			r.errors[fmt.Sprintf("http_%d", status)]++
		default:
			r.answered++
			if valid {
				r.valid++
			}
		}
	}
	return r
}

func once(ctx context.Context, cfg Config, client *http.Client, body []byte) (int, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Authorization", "Bearer "+cfg.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	var v struct {
		Valid bool `json:"valid"`
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, false, err
	}
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v.Valid, nil
}

func summarise(clients int, elapsed time.Duration, rs []clientResult) Report {
	rep := Report{Clients: clients, Elapsed: elapsed, Errors: map[string]int64{}}
	var all []time.Duration
	for _, r := range rs {
		all = append(all, r.latencies...)
		rep.Answered += r.answered
		rep.Valid += r.valid
		for k, v := range r.errors {
			rep.Errors[k] += v
		}
	}
	rep.Requests = int64(len(all))
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(p*float64(len(all))))]
	}
	rep.P50, rep.P95, rep.P99 = pct(0.50), pct(0.95), pct(0.99)
	if len(all) > 0 {
		rep.Max = all[len(all)-1]
	}
	rep.Throughput = float64(rep.Answered) / elapsed.Seconds()
	return rep
}

// Print writes the report.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "clients %d, %v: %d requests, %d answered (%d valid), %.0f answered/s\n",
		r.Clients, r.Elapsed.Round(time.Millisecond), r.Requests, r.Answered, r.Valid, r.Throughput)
	fmt.Fprintf(w, "latency p50 %v  p95 %v  p99 %v  max %v\n", r.P50.Round(time.Microsecond),
		r.P95.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond))
	fmt.Fprintf(w, "errors %v\n", r.Errors)
}
