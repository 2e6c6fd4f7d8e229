package issuer

import (
	"bytes"
	"compress/flate"
	"fmt"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
	"github.com/go-jose/go-jose/v4"
)

// deflate compresses with raw DEFLATE (RFC 1951, no zlib header), as the
// "zip":"DEF" header promises.
func deflate(b []byte) []byte {
	var buf bytes.Buffer
	// BestCompression is a valid level, so NewWriter cannot fail; writes to a
	// bytes.Buffer cannot fail either.
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

// signCompact signs payload as a compact JWS. go-jose writes the protected
// header with sorted keys, so an attestation header is exactly
// {"alg":"ES256","kid":…,"typ":"fprl+jwt","zip":"DEF"}.
func signCompact(s *keys.Signer, payload []byte, typ string, zip bool) (string, error) {
	opts := (&jose.SignerOptions{}).WithType(jose.ContentType(typ))
	if zip {
		opts = opts.WithHeader("zip", edoc.Compression)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: s}, opts)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSign, err)
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrSign, err)
	}
	return obj.CompactSerialize()
}
