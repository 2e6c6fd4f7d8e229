package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/verifier"
)

// errNotValid makes "fprlink verify" exit non-zero for a document that is
// not valid, after the report was printed.
var errNotValid = errors.New("document is not valid")

const verifySynopsis = "verify [--sector SECTOR] [--issuer ISS] [--jwks FILE|URL | --bundle FILE [--jwks FILE]] [--loopback-http] (TEXT | - | --qr-image FILE.png)"

// verifyFlags are the settings of one "fprlink verify".
type verifyFlags struct {
	jwks, iss, bundle, img string
	sector                 string
	loopback               bool
	timeout                time.Duration
}

// cmdVerify checks an e-document as a relying party would, without the
// verify API: keys from a JWKS file or URL and status from the issuer's
// status lists over HTTPS, or both from a trust bundle with no network at
// all.
func cmdVerify(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", verifySynopsis, stderr)
	var f verifyFlags
	fs.StringVar(&f.sector, "sector", "", "the sector you verify for: bank, tax, telecom or social_security; a document issued for another sector fails the audience check, and without it no purpose-bound document is valid")
	fs.StringVar(&f.jwks, "jwks", "", "JWKS file or https URL (default <issuer>/.well-known/jwks.json); with --bundle, a JWKS file whose keys must have signed the bundle")
	fs.StringVar(&f.iss, "issuer", "", "trusted issuer (iss); default: the JWKS URL's origin")
	fs.StringVar(&f.bundle, "bundle", "", "trust bundle file (GET /api/v1/trust-bundle or fprlink bundle): keys and status lists with no network at all")
	fs.BoolVar(&f.loopback, "loopback-http", false, "fetch the https URLs of a loopback issuer (127.0.0.1, ::1, localhost) over plain http, as the demo serves them; any other host stays https")
	fs.StringVar(&f.img, "qr-image", "", "read the QR code from this PNG or JPEG instead of TEXT")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "network timeout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	input, err := verifyInput(pos, f.img, stdin)
	if err != nil {
		return err
	}
	var v *verifier.Verifier
	if f.bundle != "" {
		v, err = bundleVerifier(ctx, f, stdout)
	} else {
		v, err = networkVerifier(f)
	}
	if err != nil {
		return err
	}
	res, _ := v.Verify(ctx, input)
	if err := verifier.FormatReport(stdout, res); err != nil {
		return err
	}
	if !res.Valid {
		return errNotValid
	}
	return nil
}

// networkVerifier reads keys and lists from the issuer over HTTPS.
func networkVerifier(f verifyFlags) (*verifier.Verifier, error) {
	client := &http.Client{Timeout: f.timeout}
	if f.loopback {
		client.Transport = loopbackHTTP{base: http.DefaultTransport}
	}
	keys, err := keySource(f, client)
	if err != nil {
		return nil, err
	}
	now := clock.Real{}.Now
	status, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: keys, Client: client, Now: now})
	if err != nil {
		return nil, err
	}
	return verifier.New(verifier.Options{Keys: keys, Status: status, Now: now, Leeway: time.Minute, Sector: f.sector})
}

// bundleVerifier reads keys and lists from a trust bundle; it has no
// network client at all.
func bundleVerifier(ctx context.Context, f verifyFlags, stdout io.Writer) (*verifier.Verifier, error) {
	switch {
	case f.iss == "":
		return nil, fmt.Errorf("%w: --bundle needs --issuer, the issuer you trust", errUsage)
	case isURL(f.jwks) || f.loopback:
		return nil, fmt.Errorf("%w: --bundle works with no network: give no URL and no --loopback-http", errUsage)
	}
	now := clock.Real{}.Now
	opts := verifier.BundleOptions{Issuer: trimURL(f.iss), Now: now}
	if f.jwks != "" {
		anchor, err := verifier.LoadStaticKeys(opts.Issuer, f.jwks)
		if err != nil {
			return nil, err
		}
		opts.Keys = anchor
	}
	b, err := verifier.LoadBundle(ctx, f.bundle, opts)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "trust bundle of %s made %s (%s ago), valid until %s; status lists: %d\n", b.Issuer,
		b.IssuedAt.UTC().Format(time.RFC3339), b.Age().Round(time.Second), b.Expiry.UTC().Format(time.RFC3339), len(b.StatusListURIs()))
	return verifier.New(verifier.Options{Keys: b.Keys(), Status: b, Now: now, Leeway: time.Minute, Sector: f.sector})
}

func verifyInput(pos []string, img string, stdin io.Reader) (string, error) {
	switch {
	case img != "" && len(pos) == 0:
		f, err := os.Open(img)
		if err != nil {
			return "", err
		}
		defer f.Close()
		return verifier.DecodeQRImage(f)
	case img == "" && len(pos) == 1 && pos[0] == "-":
		b, err := io.ReadAll(io.LimitReader(stdin, verifier.MaxInputBytes+1))
		return strings.TrimSpace(string(b)), err
	case img == "" && len(pos) == 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("%w: fprlink %s", errUsage, verifySynopsis)
}

func isURL(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }

func keySource(f verifyFlags, client *http.Client) (verifier.KeySource, error) {
	jwks, iss := f.jwks, trimURL(f.iss)
	switch {
	case jwks == "" && iss == "":
		return nil, fmt.Errorf("%w: give --jwks, --issuer or --bundle", errUsage)
	case jwks == "":
		jwks = iss + verifier.JWKSPath
	}
	if rest, ok := strings.CutPrefix(jwks, "http://"); ok {
		if !f.loopback || !isLoopbackHost(hostOf(rest)) {
			return nil, fmt.Errorf("%w: the JWKS URL must be https (keys over plain http could be swapped in transit); "+
				"for the demo on this machine add --loopback-http", errUsage)
		}
		jwks = "https://" + rest // fetched over http by the loopback transport
	}
	if isURL(jwks) {
		return verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: jwks, Issuer: iss, Client: client, Now: clock.Real{}.Now})
	}
	if iss == "" {
		return nil, fmt.Errorf("%w: --issuer is required with a JWKS file", errUsage)
	}
	return verifier.LoadStaticKeys(iss, jwks)
}
