package main

import (
	"net"
	"net/http"
	"strings"
)

// loopbackHTTP sends requests for https URLs of a loopback host over
// plain http, so "fprlink verify --loopback-http" can check documents of
// the demo, whose issuer URL is https but which serves http on this
// machine. Traffic that never leaves the machine cannot be intercepted on
// the way; every other host keeps https, redirects included, since each
// hop passes through here again.
type loopbackHTTP struct{ base http.RoundTripper }

func (l loopbackHTTP) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" || !isLoopbackHost(req.URL.Hostname()) {
		return l.base.RoundTrip(req)
	}
	plain := req.Clone(req.Context())
	plain.URL.Scheme = "http"
	return l.base.RoundTrip(plain)
}

// isLoopbackHost reports whether host is localhost or a loopback address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostOf returns the host of the part of a URL after its scheme.
func hostOf(rest string) string {
	hostport, _, _ := strings.Cut(rest, "/")
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}
