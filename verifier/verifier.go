package verifier

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-jose/go-jose/v4"
)

// Size bounds on outside input.
const (
	// MaxInputBytes bounds the QR text or JWS. A version-22 QR holds well
	// under 3,000 characters.
	MaxInputBytes = 4 << 10
	// MaxPayloadBytes bounds the inflated payload: a DEFLATE bomb stops here.
	MaxPayloadBytes = 64 << 10
	// MaxLeeway caps Options.Leeway.
	MaxLeeway = 5 * time.Minute
)

// Options configures a Verifier.
type Options struct {
	// Keys resolves signing keys. Required.
	Keys KeySource
	// Status supplies status lists. Without it every document's status is
	// unknown and no document is valid.
	Status StatusSource
	// Now is the clock. Required: verification depends on time, and tests
	// and replays need to set it.
	Now func() time.Time
	// Leeway tolerates clock skew on nbf, exp, iat and key validity. It
	// extends a document's life by as much, so keep it small (a minute is
	// typical); more than MaxLeeway is refused.
	Leeway time.Duration
	// Sector is the relying party's sector (edoc.PurposeBank, …). A
	// purpose-bound document passes the audience check only when its aud
	// is this sector; with no sector every such document's audience check
	// is skipped and no such document is valid.
	Sector string
}

// Verifier checks e-documents. It is safe for concurrent use.
type Verifier struct {
	opts    Options
	inflate sync.Pool // of *inflater: flate readers are costly to allocate
}

type inflater struct {
	r   io.ReadCloser
	src bytes.Reader
	buf bytes.Buffer
}

// New checks opts and returns a Verifier.
func New(opts Options) (*Verifier, error) {
	if opts.Keys == nil || opts.Now == nil {
		return nil, fmt.Errorf("%w: Keys and Now are required", ErrConfig)
	}
	if opts.Leeway < 0 || opts.Leeway > MaxLeeway {
		return nil, fmt.Errorf("%w: Leeway must be between 0 and %v", ErrConfig, MaxLeeway)
	}
	if _, _, ok := edoc.PurposeFields(opts.Sector); opts.Sector != "" && !ok {
		return nil, fmt.Errorf("%w: Sector %q is not one of %v", ErrConfig, opts.Sector, edoc.Purposes())
	}
	return &Verifier{opts: opts}, nil
}

// Verify checks input — QR text ("fprl:/" + digits) or a compact JWS — and
// reports every check. The error is nil exactly when the result is valid;
// otherwise it is the first failure (see Result.Err).
func (v *Verifier) Verify(ctx context.Context, input string) (*Result, error) {
	r := &Result{Checks: make([]Check, 0, len(checkOrder))}
	v.run(ctx, input, r)
	r.finish()
	return r, r.Err()
}

// run appends checks in order and stops at the first that does not pass;
// finish marks the rest skipped.
func (v *Verifier) run(ctx context.Context, input string, r *Result) {
	tok, ok := v.checkFormat(input, r)
	if !ok {
		return
	}
	r.add(CheckAlgorithm, Pass, "ES256", nil)
	keys, ok := v.checkKey(ctx, tok, r)
	if !ok || !v.checkSignature(tok, keys, r) {
		return
	}
	now := v.opts.Now()
	v.checkTime(tok.claims, now, r)
	v.checkAudience(tok.claims, r)
	v.checkStatus(ctx, tok.claims, r)
	v.checkFields(tok.claims, r)
}

// token is a parsed, not yet verified, document.
type token struct {
	jws    *jose.JSONWebSignature
	kid    string
	claims *edoc.Claims
}
