package main

import (
	"errors"
	"net/http"
	"testing"
)

type seenURL struct{ url string }

func (s *seenURL) RoundTrip(req *http.Request) (*http.Response, error) {
	s.url = req.URL.String()
	return nil, errors.New("not sent")
}

// Only a loopback host is fetched over plain http; every other host stays
// https.
func TestLoopbackHTTPOnlyForLoopbackHosts(t *testing.T) {
	for in, want := range map[string]string{
		"https://127.0.0.1:8080/.well-known/jwks.json":         "http://127.0.0.1:8080/.well-known/jwks.json",
		"https://127.1.2.3:8080/x":                             "http://127.1.2.3:8080/x",
		"https://[::1]:8080/x":                                 "http://[::1]:8080/x",
		"https://localhost:8080/x":                             "http://localhost:8080/x",
		"https://fprlink.example.gov.cn/.well-known/jwks.json": "https://fprlink.example.gov.cn/.well-known/jwks.json",
		"https://10.0.0.1:8080/x":                              "https://10.0.0.1:8080/x",
		"https://127.0.0.1.example.com/x":                      "https://127.0.0.1.example.com/x",
		"https://localhost.example.com/x":                      "https://localhost.example.com/x",
	} {
		seen := &seenURL{}
		req, _ := http.NewRequest(http.MethodGet, in, nil)
		_, _ = loopbackHTTP{base: seen}.RoundTrip(req)
		if seen.url != want {
			t.Errorf("%s was sent as %s, want %s", in, seen.url, want)
		}
	}
	if hostOf("127.0.0.1:8080/.well-known/jwks.json") != "127.0.0.1" || hostOf("[::1]/x") != "::1" || hostOf("a.example") != "a.example" {
		t.Error("hostOf")
	}
}
