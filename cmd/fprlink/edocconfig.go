package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/keys"
)

// edocConfig is the e-document settings: keys, document lifetime, status
// lists and the verify API's rate limit.
type edocConfig struct {
	// KEK is FPRLINK_KEK (base64 or hex, 32 bytes). It is read from the
	// environment only: a flag would show it in the process list.
	KEK            string
	KEKFile        string
	DocValidity    time.Duration
	StatusTTL      time.Duration
	StatusLifetime time.Duration
	StatusListSize int
	JWKSMaxAge     time.Duration
	VerifyRate     float64
	VerifyBurst    int
}

func bindEDocConfig(fs *flag.FlagSet, getenv func(string) string) *edocConfig {
	c := &edocConfig{KEK: strings.TrimSpace(getenv("FPRLINK_KEK"))}
	env := envOr(getenv)
	fs.StringVar(&c.KEKFile, "kek-file", env("FPRLINK_KEK_FILE", ""), "key-encryption key file, created 0600 when missing; used when FPRLINK_KEK is unset (FPRLINK_KEK_FILE; default <data dir>/kek)")
	fs.DurationVar(&c.DocValidity, "document-validity", envDuration(env("FPRLINK_DOCUMENT_VALIDITY", ""), 365*24*time.Hour), "longest life of an e-document; passport and card expiry can only shorten it (FPRLINK_DOCUMENT_VALIDITY)")
	fs.DurationVar(&c.StatusTTL, "status-list-ttl", envDuration(env("FPRLINK_STATUS_LIST_TTL", ""), 5*time.Minute), "how long relying parties may cache a status list (FPRLINK_STATUS_LIST_TTL)")
	fs.DurationVar(&c.StatusLifetime, "status-list-lifetime", envDuration(env("FPRLINK_STATUS_LIST_LIFETIME", ""), 24*time.Hour), "exp - iat of a status list token (FPRLINK_STATUS_LIST_LIFETIME)")
	fs.IntVar(&c.StatusListSize, "status-list-size", int(envInt(env("FPRLINK_STATUS_LIST_SIZE", ""), statuslists.DefaultSize)), "entries per new status list (FPRLINK_STATUS_LIST_SIZE)")
	fs.DurationVar(&c.JWKSMaxAge, "jwks-max-age", envDuration(env("FPRLINK_JWKS_MAX_AGE", ""), 5*time.Minute), "how long verifiers may cache the JWKS, so how long an offline verifier may still trust a revoked key; 1s to 24h (FPRLINK_JWKS_MAX_AGE)")
	fs.Float64Var(&c.VerifyRate, "verify-rate", envFloat(env("FPRLINK_VERIFY_RATE", ""), 50), "verify API requests per second per API key; 0 disables the limit (FPRLINK_VERIFY_RATE)")
	fs.IntVar(&c.VerifyBurst, "verify-burst", int(envInt(env("FPRLINK_VERIFY_BURST", ""), 100)), "verify API burst per API key (FPRLINK_VERIFY_BURST)")
	return c
}

// validate refuses lifetimes that would make documents or lists unusable
// or let verifiers trust a revoked key for more than a day.
func (c *edocConfig) validate() error {
	switch {
	case c.DocValidity <= 0:
		return fmt.Errorf("%w: -document-validity must be positive", errUsage)
	case c.StatusTTL <= 0 || c.StatusLifetime <= c.StatusTTL:
		return fmt.Errorf("%w: -status-list-ttl must be positive and shorter than -status-list-lifetime", errUsage)
	case c.JWKSMaxAge < time.Second || c.JWKSMaxAge > 24*time.Hour:
		return fmt.Errorf("%w: -jwks-max-age must be between 1s and 24h", errUsage)
	}
	return nil
}

// loadKEK returns FPRLINK_KEK, or the key file, created on first use so the
// embedded default needs no setup.
func (c *edocConfig) loadKEK(dataDir string) ([]byte, error) {
	if c.KEK != "" {
		k, err := keys.ParseKEK(c.KEK)
		if err != nil {
			return nil, fmt.Errorf("FPRLINK_KEK: %w", err)
		}
		return k, nil
	}
	path := c.KEKFile
	if path == "" {
		path = filepath.Join(dataDir, "kek")
	}
	// With PostgreSQL nothing else creates the data dir.
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("KEK file directory: %w", err)
	}
	return keys.LoadOrCreateKEKFile(path)
}

func envFloat(s string, def float64) float64 {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return def
}
