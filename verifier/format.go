package verifier

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-jose/go-jose/v4"
	"github.com/klauspost/compress/flate"
)

// checkFormat decodes input into a token: QR text, compact JWS, header
// (alg, typ, zip, kid) and the inflated claims. An alg other than ES256 is
// reported as the algorithm check failing on a well-formed token.
func (v *Verifier) checkFormat(input string, r *Result) (*token, bool) {
	if len(input) > MaxInputBytes {
		r.add(CheckFormat, Fail, fmt.Sprintf("input is %d bytes, limit %d", len(input), MaxInputBytes), ErrInputTooLarge)
		return nil, false
	}
	compact := strings.TrimSpace(input)
	if edoc.IsQRText(compact) {
		var err error
		if compact, err = edoc.DecodeQRText(compact); err != nil {
			r.add(CheckFormat, Fail, "QR text: "+err.Error(), err)
			return nil, false
		}
	}
	// Compact serialization only: the JSON one carries unprotected headers
	// the format has no place for.
	jws, err := jose.ParseSignedCompact(compact, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return nil, v.parseFailure(compact, err, r)
	}
	tok, err := v.decodeToken(jws)
	if err != nil {
		r.add(CheckFormat, Fail, err.Error(), rootErr(err))
		return nil, false
	}
	r.claims, r.KID = tok.claims, tok.kid
	r.add(CheckFormat, Pass, "compact JWS, typ fprl+jwt, raw DEFLATE payload", nil)
	return tok, true
}

// parseFailure tells an unacceptable algorithm apart from a malformed token
// by reading the header go-jose refused. It runs only on the error path.
func (v *Verifier) parseFailure(compact string, perr error, r *Result) bool {
	parts := strings.Split(compact, ".")
	var h struct {
		Alg string `json:"alg"`
	}
	if len(parts) == 3 {
		if raw, err := base64.RawURLEncoding.DecodeString(parts[0]); err == nil &&
			json.Unmarshal(raw, &h) == nil && h.Alg != "" && h.Alg != edoc.Algorithm {
			r.add(CheckFormat, Pass, "compact JWS", nil)
			r.add(CheckAlgorithm, Fail, fmt.Sprintf("alg %q, only ES256 is accepted", h.Alg), ErrAlgorithm)
			return false
		}
	}
	r.add(CheckFormat, Fail, "not a compact JWS: "+perr.Error(), ErrMalformed)
	return false
}

// decodeToken checks the protected header and inflates the payload. The
// payload is inflated before the signature is checked because the issuer
// (iss) it names selects the keys; the size bound makes that safe.
func (v *Verifier) decodeToken(jws *jose.JSONWebSignature) (*token, error) {
	if len(jws.Signatures) != 1 {
		return nil, ErrMalformed
	}
	h := jws.Signatures[0].Protected
	if typ, _ := h.ExtraHeaders["typ"].(string); typ != edoc.Type {
		return nil, fmt.Errorf("typ %q: %w", typ, ErrType)
	}
	if zip, _ := h.ExtraHeaders["zip"].(string); zip != edoc.Compression {
		return nil, fmt.Errorf("zip %q: %w", zip, ErrCompression)
	}
	if h.KeyID == "" {
		return nil, ErrMissingKID
	}
	payload, err := v.inflatePayload(jws.UnsafePayloadWithoutVerification())
	if err != nil {
		return nil, err
	}
	claims, err := decodeClaims(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrClaims, err)
	}
	if claims.Issuer == "" {
		return nil, fmt.Errorf("%w: iss missing", ErrClaims)
	}
	return &token{jws: jws, kid: h.KeyID, claims: claims}, nil
}

// inflatePayload undoes raw DEFLATE with a MaxPayloadBytes bound. go-jose
// does not decompress JWS payloads, so this is ours to do. klauspost's
// inflater reads the same RFC 1951 streams about twice as fast as the
// standard library's, which matters on a path that is otherwise one ECDSA
// verification.
func (v *Verifier) inflatePayload(data []byte) ([]byte, error) {
	in, _ := v.inflate.Get().(*inflater)
	if in == nil {
		in = &inflater{}
	}
	defer v.inflate.Put(in)
	in.src.Reset(data)
	if in.r == nil {
		in.r = flate.NewReader(&in.src)
	} else if err := in.r.(flate.Resetter).Reset(&in.src, nil); err != nil {
		return nil, ErrInflate
	}
	in.buf.Reset()
	n, err := in.buf.ReadFrom(io.LimitReader(in.r, MaxPayloadBytes+1))
	if err != nil {
		return nil, ErrInflate
	}
	if n > MaxPayloadBytes {
		return nil, fmt.Errorf("more than %d bytes: %w", MaxPayloadBytes, ErrPayloadTooLarge)
	}
	// Trailing bytes after the final block mean this is not one raw
	// DEFLATE stream (a zlib trailer, for instance).
	if in.src.Len() != 0 {
		return nil, ErrInflate
	}
	return bytes.Clone(in.buf.Bytes()), nil
}

// rootErr returns the package error a wrapped decode error stands for.
func rootErr(err error) error {
	for _, e := range []error{ErrType, ErrCompression, ErrMissingKID, ErrInflate, ErrPayloadTooLarge, ErrClaims, ErrMalformed} {
		if errors.Is(err, e) {
			return e
		}
	}
	return ErrMalformed
}
