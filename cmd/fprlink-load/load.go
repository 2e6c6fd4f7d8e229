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

	"github.com/valyala/fasthttp"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// requestTimeout bounds one call, from sending the request to reading the
// whole answer.
const requestTimeout = 10 * time.Second

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
// time on its own kept-alive connection, until cfg.Duration has passed or
// ctx ends. Requests in flight at the end are waited for rather than
// cancelled: a cancelled request may still be recorded by the server, and
// then rows and answers would not match.
//
// The client is fasthttp's rather than net/http's: the generator shares the
// machine with the server it measures, and fasthttp reuses its request and
// response buffers instead of spending two goroutines and fresh buffers on
// every call (docs/PERFORMANCE.md).
func Run(ctx context.Context, cfg Config) Report {
	client := &fasthttp.Client{
		MaxConnsPerHost: cfg.Clients,
		ReadTimeout:     requestTimeout,
		WriteTimeout:    requestTimeout,
		// The server's answers are read whole; a bigger one is an error.
		MaxResponseBodySize: 1 << 20,
	}
	defer client.CloseIdleConnections()
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
	if edoc.IsQRText(input) {
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
func drive(ctx context.Context, deadline time.Time, cfg Config, client *fasthttp.Client, bodies [][]byte, offset int) clientResult {
	r := clientResult{errors: map[string]int64{}}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI(cfg.URL)
	req.Header.SetMethod(http.MethodPost)
	req.Header.Set("Authorization", "Bearer "+cfg.APIKey)
	req.Header.SetContentType("application/json")
	for n := offset; ctx.Err() == nil && time.Now().Before(deadline); n++ {
		t := time.Now()
		status, valid, err := once(client, req, resp, bodies[n%len(bodies)])
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

// once sends one verify request and reports the HTTP status and whether
// the answer said valid.
func once(client *fasthttp.Client, req *fasthttp.Request, resp *fasthttp.Response, body []byte) (int, bool, error) {
	req.SetBodyRaw(body)
	if err := client.DoTimeout(req, resp, requestTimeout); err != nil {
		return 0, false, err
	}
	return resp.StatusCode(), answerValid(resp.Body()), nil
}

// answerValid reports whether a verify answer's top-level "valid" member is
// true. It reads members only until that one, so the generator does not
// spend its shared CPU on scanning the whole answer.
func answerValid(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "valid" {
			var valid bool
			return dec.Decode(&valid) == nil && valid
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
	}
	return false
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

// failed says why a run does not measure the service: every call that got
// no answer, or an answer other than 200 (a 429 from the rate limit, say),
// makes the throughput meaningless.
func (r Report) failed() error {
	var n int64
	for _, v := range r.Errors {
		n += v
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d calls failed (%v); against a running server, start it with -verify-rate 0", n, r.Requests, r.Errors)
}
