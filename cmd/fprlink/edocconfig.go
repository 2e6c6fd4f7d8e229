package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/keys"
)

// maxStatusListSize is the largest status list the store accepts.
const maxStatusListSize = 1 << 22

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
	// VerifyPlain turns off the verify API's shared round trips, to
	// measure them against the plain implementation.
	VerifyPlain bool
	// IssueCap and IssueDaily bound what one resident may issue.
	IssueCap   int
	IssueDaily int
}

func bindEDocConfig(b *binder, getenv func(string) string) *edocConfig {
	c := &edocConfig{
		KEK:         strings.TrimSpace(getenv("FPRLINK_KEK")),
		DocValidity: 365 * 24 * time.Hour, StatusTTL: 5 * time.Minute, StatusLifetime: 24 * time.Hour,
		StatusListSize: statuslists.DefaultSize, JWKSMaxAge: 5 * time.Minute, VerifyRate: 50, VerifyBurst: 100,
		IssueCap: attestations.DefaultLimits.ActivePerPurpose, IssueDaily: attestations.DefaultLimits.PerDay,
	}
	b.bind(stringFlag{&c.KEKFile, nil}, "kek-file", "FPRLINK_KEK_FILE",
		"key-encryption key file, used when FPRLINK_KEK is unset; default <data dir>/kek. Created 0600 on first use only on the embedded default (no -database-url); with a database URL it must exist")
	b.bind(durationFlag{&c.DocValidity, 1, 0}, "document-validity", "FPRLINK_DOCUMENT_VALIDITY",
		"longest life of an e-document; passport and card expiry can only shorten it")
	b.bind(durationFlag{&c.StatusTTL, 1, 0}, "status-list-ttl", "FPRLINK_STATUS_LIST_TTL",
		"how long relying parties may cache a status list; shorter than -status-list-lifetime")
	b.bind(durationFlag{&c.StatusLifetime, 1, 0}, "status-list-lifetime", "FPRLINK_STATUS_LIST_LIFETIME", "exp - iat of a status list token")
	b.bind(intFlag[int]{&c.StatusListSize, 4, maxStatusListSize}, "status-list-size", "FPRLINK_STATUS_LIST_SIZE",
		fmt.Sprintf("entries per new status list, 4 to %d", maxStatusListSize))
	b.bind(durationFlag{&c.JWKSMaxAge, time.Second, 24 * time.Hour}, "jwks-max-age", "FPRLINK_JWKS_MAX_AGE",
		"how long verifiers may cache the JWKS, so how long an offline verifier may still trust a revoked key; 1s to 24h")
	b.bind(floatFlag{&c.VerifyRate, 0}, "verify-rate", "FPRLINK_VERIFY_RATE", "verify API requests per second per API key and node; 0 disables the limit")
	b.bind(boolFlag{&c.VerifyPlain}, "verify-plain", "",
		"verify each call with its own record read and audit insert, no shared round trips: the baseline for measuring the batching, never for production")
	b.bind(intFlag[int]{&c.VerifyBurst, 1, 0}, "verify-burst", "FPRLINK_VERIFY_BURST", "verify API burst per API key and node")
	b.bind(intFlag[int]{&c.IssueCap, 1, 100}, "attestation-cap", "FPRLINK_ATTESTATION_CAP",
		"active e-documents a resident may hold per purpose at once, 1 to 100")
	b.bind(intFlag[int]{&c.IssueDaily, 1, 10000}, "attestation-daily-limit", "FPRLINK_ATTESTATION_DAILY_LIMIT",
		"e-documents a resident may issue in any 24 hours, revoked ones included, 1 to 10000")
	return c
}

// validate refuses lifetimes that would make status lists unusable and a
// FPRLINK_KEK that is not a key. Bounds of single values are checked when
// they are set.
func (c *edocConfig) validate() error {
	if c.StatusLifetime <= c.StatusTTL {
		return fmt.Errorf("%w: -status-list-ttl (FPRLINK_STATUS_LIST_TTL) must be shorter than -status-list-lifetime (FPRLINK_STATUS_LIST_LIFETIME)", errUsage)
	}
	if c.KEK != "" {
		if _, err := keys.ParseKEK(c.KEK); err != nil {
			return fmt.Errorf("%w: FPRLINK_KEK: %v", errUsage, err)
		}
	}
	return nil
}

// kek is a loaded key-encryption key and where it came from, to name in
// errors (never the key itself).
type kek struct {
	key  []byte
	from string
}

// loadKEK returns FPRLINK_KEK or the key file. Only the embedded default
// (create) may create the file on first use; with a configured database a
// new KEK could never open the keys already stored there.
func (c *edocConfig) loadKEK(dataDir string, create bool) (kek, error) {
	if c.KEK != "" {
		k, err := keys.ParseKEK(c.KEK)
		if err != nil {
			return kek{}, fmt.Errorf("%w: FPRLINK_KEK: %v", errUsage, err)
		}
		return kek{key: k, from: "FPRLINK_KEK"}, nil
	}
	path := c.KEKFile
	if path == "" {
		path = filepath.Join(dataDir, "kek")
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	from := "KEK file " + path
	if !create {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return kek{}, fmt.Errorf("no key-encryption key: FPRLINK_KEK is not set and %s does not exist; "+
				"with a database URL the KEK is never created, give the one its signing keys are sealed with "+
				"in FPRLINK_KEK (32 bytes, base64 or 64 hex digits) or in a 0600 file named by -kek-file (FPRLINK_KEK_FILE)", path)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return kek{}, fmt.Errorf("%s: %w", from, pathless(err))
	}
	k, err := keys.LoadOrCreateKEKFile(path)
	if err != nil {
		return kek{}, fmt.Errorf("%s: %w", from, pathless(err))
	}
	return kek{key: k, from: from}, nil
}

// pathless drops the path from a file system error that is reported
// with its path already.
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
