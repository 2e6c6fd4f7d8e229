package verifier_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/verifier"
)

// Every constructor takes one <Type>Options struct and refuses a missing
// dependency with ErrConfig, naming nothing it was not given.
func TestConstructorsRefuseMissingDependencies(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Unix(0, 0) }
	ks, err := verifier.NewStaticKeys("https://fprlink.example.gov.cn", []byte(`{"keys":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{}
	for _, tc := range []struct {
		name string
		make func() error
	}{
		{"fail-verifier-without-keys", func() error { _, err := verifier.New(verifier.Options{Now: now}); return err }},
		{"fail-verifier-without-clock", func() error { _, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks}); return err }},
		{"fail-verifier-leeway-above-max", func() error {
			_, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now, Leeway: verifier.MaxLeeway + time.Second})
			return err
		}},
		{"fail-verifier-negative-leeway", func() error {
			_, err := verifier.New(verifier.Options{Sector: edoc.PurposeBank, Keys: ks, Now: now, Leeway: -time.Second})
			return err
		}},
		{"fail-http-keys-plain-http", func() error {
			_, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: "http://fprlink.example.gov.cn" + verifier.JWKSPath, Client: client, Now: now})
			return err
		}},
		{"fail-http-keys-without-issuer", func() error {
			_, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: "https://keys.example/set.json", Client: client, Now: now})
			return err
		}},
		{"fail-http-keys-without-client", func() error {
			_, err := verifier.NewHTTPKeys(verifier.HTTPKeysOptions{URL: "https://fprlink.example.gov.cn" + verifier.JWKSPath, Now: now})
			return err
		}},
		{"fail-http-status-without-keys", func() error {
			_, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Client: client, Now: now})
			return err
		}},
		{"fail-http-status-without-client", func() error {
			_, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: ks, Now: now})
			return err
		}},
		{"fail-http-status-without-clock", func() error {
			_, err := verifier.NewHTTPStatus(verifier.HTTPStatusOptions{Keys: ks, Client: client})
			return err
		}},
		{"fail-static-status-without-keys", func() error {
			_, err := verifier.NewStaticStatus(verifier.StaticStatusOptions{Now: now})
			return err
		}},
		{"fail-static-status-without-clock", func() error {
			_, err := verifier.NewStaticStatus(verifier.StaticStatusOptions{Keys: ks})
			return err
		}},
		{"fail-static-keys-without-issuer", func() error { _, err := verifier.NewStaticKeys("", []byte(`{"keys":[]}`)); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.make(); !errors.Is(err, verifier.ErrConfig) {
				t.Fatalf("error %v, want ErrConfig", err)
			}
		})
	}
}
