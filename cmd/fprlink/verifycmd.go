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

// cmdVerify checks an e-document offline, as a relying party would: keys
// from a JWKS file or URL, status from the issuer's status list over HTTPS.
func cmdVerify(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "verify [--jwks FILE|URL] [--issuer ISS] (TEXT | - | --qr-image FILE.png)", stderr)
	jwks := fs.String("jwks", "", "JWKS file or https URL (default <issuer>/.well-known/jwks.json)")
	iss := fs.String("issuer", "", "trusted issuer (iss); default: the JWKS URL's origin")
	img := fs.String("qr-image", "", "read the QR code from this PNG or JPEG instead of TEXT")
	timeout := fs.Duration("timeout", 10*time.Second, "network timeout")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	input, err := verifyInput(pos, *img, stdin)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: *timeout}
	keys, err := keySource(*jwks, *iss, client)
	if err != nil {
		return err
	}
	status, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: keys, Client: client, Now: clock.Real{}.Now})
	if err != nil {
		return err
	}
	v, err := verifier.New(verifier.Options{Keys: keys, Status: status, Now: clock.Real{}.Now, Leeway: time.Minute})
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
	return "", fmt.Errorf("%w: fprlink verify [--jwks FILE|URL] [--issuer ISS] (TEXT | - | --qr-image FILE.png)", errUsage)
}

func keySource(jwks, iss string, client *http.Client) (verifier.KeySource, error) {
	switch {
	case jwks == "" && iss == "":
		return nil, fmt.Errorf("%w: give --jwks or --issuer", errUsage)
	case jwks == "":
		jwks = trimURL(iss) + verifier.JWKSPath
	}
	if strings.HasPrefix(jwks, "https://") || strings.HasPrefix(jwks, "http://") {
		return verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: jwks, Issuer: trimURL(iss), Client: client, Now: clock.Real{}.Now})
	}
	if iss == "" {
		return nil, fmt.Errorf("%w: --issuer is required with a JWKS file", errUsage)
	}
	return verifier.LoadStaticKeys(trimURL(iss), jwks)
}
