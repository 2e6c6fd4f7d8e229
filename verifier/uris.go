package verifier

import (
	"fmt"
	"slices"
)

// StatusListURIs returns, sorted and without repeats, the status list URIs
// that the documents in inputs (QR text or compact JWS) point to: the
// lists a fully offline relying party must download, by this exact URI,
// before it can check them (StaticStatusOptions.Tokens). It decodes the
// documents without verifying them — that is Verify's job — so it only
// says what to fetch; a forged document can name any URI, and fetching it
// is harmless because the list is verified against the trusted keys when
// used. After the issuer moved, its documents still name the old URL; the
// verifier reads their lists under the current one (IssuerRenames), so
// save those. An input that does not decode is an error naming its
// position.
func StatusListURIs(inputs ...string) ([]string, error) {
	var v Verifier // its zero value decodes: only the inflater pool is used
	var out []string
	for i, in := range inputs {
		r := &Result{}
		tok, ok := v.checkFormat(in, r)
		if !ok {
			return nil, fmt.Errorf("input %d: %w", i, r.Checks[len(r.Checks)-1].Err)
		}
		if uri := tok.claims.Status.StatusList.URI; uri != "" {
			out = append(out, uri)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
