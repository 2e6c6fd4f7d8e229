package verifier

import (
	"crypto/elliptic"
	"math/big"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// checkAudience compares the document's aud with the sector the verifier
// was configured for. A purpose-bound document is valid only for the
// sector it names (RFC 7519: a recipient that does not identify with aud
// must reject). A first-version document names no audience and carries
// every field; it stays acceptable to any sector until it expires. A
// verifier without a sector cannot decide, so the check is skipped and the
// document is not valid.
func (v *Verifier) checkAudience(c *edoc.Claims, r *Result) {
	switch {
	case c.Audience == "" && c.Type == edoc.DocumentType:
		r.add(CheckAudience, Pass, "first-version document: issued for every sector", nil)
	case c.Audience == "":
		r.add(CheckAudience, Fail, "aud missing from a purpose-bound document", ErrAudience)
	case v.opts.Sector == "":
		r.add(CheckAudience, Skip, "document is for "+c.Audience+"; no verifier sector configured", ErrNoSector)
	case c.Audience != v.opts.Sector:
		r.add(CheckAudience, Fail, "document is for "+c.Audience+", not for "+v.opts.Sector, ErrAudience)
	default:
		r.add(CheckAudience, Pass, "document is for "+c.Audience, nil)
	}
}

// p256HalfOrder is n/2 for the P-256 group order n.
var p256HalfOrder = new(big.Int).Rsh(elliptic.P256().Params().N, 1)

// highS reports whether an ES256 signature (R‖S, 64 bytes) has S > n/2.
// (R, n−S) verifies wherever (R, S) does, so accepting both would give
// every document two token strings; the issuer signs only low-S.
func highS(sig []byte) bool {
	if len(sig) != 64 {
		return false // the signature check itself refuses the length
	}
	return new(big.Int).SetBytes(sig[32:]).Cmp(p256HalfOrder) > 0
}
