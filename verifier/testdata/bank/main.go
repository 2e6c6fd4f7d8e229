// Command bank is what a bank's developer writes from package verifier's
// examples alone: it checks the e-documents scanned at a counter, one QR
// text or JWS per line of standard input, and prints each one's status and
// document number. With -bundle it needs no network at all (the trust
// bundle is fetched once a day on another machine); with -online it reads
// the issuer's published keys and status lists over HTTPS.
//
//	bank -issuer https://fprlink.example.gov.cn -bundle trust-bundle.jwt < scans.txt
//	bank -issuer https://fprlink.example.gov.cn -online < scans.txt
//
// It exits 1 when any document is not valid.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

func main() {
	iss := flag.String("issuer", "", "the issuer the bank trusts")
	bundle := flag.String("bundle", "", "trust bundle file")
	online := flag.Bool("online", false, "fetch keys and status lists from the issuer")
	ca := flag.String("ca", "", "extra root certificate (PEM) for -online")
	flag.Parse()
	v, err := build(*iss, *bundle, *online, *ca)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bank:", err)
		os.Exit(2)
	}
	allValid := true
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		res, _ := v.Verify(context.Background(), in.Text())
		number := "-"
		if c, ok := res.VerifiedClaims(); ok {
			number = c.ID
		}
		fmt.Println(res.Status, number)
		allValid = allValid && res.Valid
	}
	if !allValid {
		os.Exit(1)
	}
}

func build(iss, bundle string, online bool, ca string) (*verifier.Verifier, error) {
	ctx := context.Background()
	now := time.Now
	switch {
	case bundle != "" && !online:
		b, err := verifier.LoadBundle(ctx, bundle, verifier.BundleOptions{Issuer: iss, Now: now})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "trust bundle of %s, made %s ago\n", b.Issuer, b.Age().Round(time.Second))
		return verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: b.Keys(), Status: b, Now: now, Leeway: time.Minute})
	case online && bundle == "":
		client, err := httpsClient(ca)
		if err != nil {
			return nil, err
		}
		ks, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: iss + verifier.JWKSPath, Client: client, Now: now})
		if err != nil {
			return nil, err
		}
		status, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: ks, Client: client, Now: now})
		if err != nil {
			return nil, err
		}
		return verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Status: status, Now: now, Leeway: time.Minute})
	}
	return nil, fmt.Errorf("give -bundle FILE or -online")
}

func httpsClient(ca string) (*http.Client, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	if ca == "" {
		return client, nil
	}
	pem, err := os.ReadFile(ca)
	if err != nil {
		return nil, err
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	roots.AppendCertsFromPEM(pem)
	client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	return client, nil
}
