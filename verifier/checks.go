package verifier

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// checkKey resolves kid within iss and keeps the keys that were valid when
// the document was issued. An unreachable key source is a skip, not a
// failure: the document may well be fine.
func (v *Verifier) checkKey(ctx context.Context, tok *token, r *Result) ([]Key, bool) {
	ks, err := v.opts.Keys.Keys(ctx, tok.claims.Issuer, tok.kid)
	switch {
	case errors.Is(err, ErrKeysUnavailable):
		r.add(CheckKey, Skip, err.Error(), ErrKeysUnavailable)
		return nil, false
	case errors.Is(err, ErrUnknownIssuer):
		r.add(CheckKey, Fail, fmt.Sprintf("issuer %q is not trusted", tok.claims.Issuer), ErrUnknownIssuer)
		return nil, false
	case err != nil || len(ks) == 0:
		r.add(CheckKey, Fail, fmt.Sprintf("issuer %q has no key %q", tok.claims.Issuer, tok.kid), ErrUnknownKey)
		return nil, false
	}
	iat := time.Unix(tok.claims.IssuedAt, 0)
	var usable []Key
	revoked := 0
	for _, k := range ks {
		switch {
		case k.Revoked:
			revoked++
		case v.keyCovers(k, iat):
			usable = append(usable, k)
		}
	}
	if len(usable) > 0 {
		r.add(CheckKey, Pass, "key "+tok.kid+" of "+tok.claims.Issuer, nil)
		return usable, true
	}
	if revoked > 0 {
		r.add(CheckKey, Fail, "key "+tok.kid+" is revoked", ErrKeyRevoked)
		return nil, false
	}
	r.add(CheckKey, Fail, "key "+tok.kid+" was not valid at iat "+formatTime(iat), ErrKeyNotValidAtIssue)
	return nil, false
}

func (v *Verifier) keyCovers(k Key, iat time.Time) bool {
	lw := v.opts.Leeway
	if !k.NotBefore.IsZero() && iat.Add(lw).Before(k.NotBefore) {
		return false
	}
	return k.NotAfter.IsZero() || !iat.Add(-lw).After(k.NotAfter)
}

// checkSignature tries every candidate key; the claims decoded earlier are
// trusted only once one verifies.
func (v *Verifier) checkSignature(tok *token, ks []Key, r *Result) bool {
	if highS(tok.jws.Signatures[0].Signature) {
		r.add(CheckSignature, Fail, "signature has a high S value; the issuer signs only low-S", ErrHighS)
		return false
	}
	if _, err := verifyWithAny(tok.jws, ks); err != nil {
		r.add(CheckSignature, Fail, "no key with this kid verifies the signature", ErrSignature)
		return false
	}
	r.add(CheckSignature, Pass, "ES256 signature verified", nil)
	r.signed = true
	return true
}

func (v *Verifier) checkTime(c *edoc.Claims, now time.Time, r *Result) {
	lw := v.opts.Leeway
	nbf, exp, iat := time.Unix(c.NotBefore, 0), time.Unix(c.Expiry, 0), time.Unix(c.IssuedAt, 0)
	switch {
	case c.Expiry == 0 || !now.Add(-lw).Before(exp):
		r.add(CheckTime, Fail, "expired at "+formatTime(exp), ErrExpired)
	case now.Add(lw).Before(nbf):
		r.add(CheckTime, Fail, "not valid before "+formatTime(nbf), ErrNotYetValid)
	case now.Add(lw).Before(iat):
		r.add(CheckTime, Fail, "issued in the future: "+formatTime(iat), ErrIssuedInFuture)
	default:
		r.add(CheckTime, Pass, "valid "+formatTime(nbf)+" to "+formatTime(exp), nil)
	}
}

// checkStatus looks the document up in its status list. A list that cannot
// be fetched or verified leaves the status unknown (skip), never valid; a
// list or trust bundle past its exp fails, since the issuer vouches for it
// only until then.
func (v *Verifier) checkStatus(ctx context.Context, c *edoc.Claims, r *Result) {
	ref := c.Status.StatusList
	if !strings.HasPrefix(ref.URI, c.Issuer+edoc.StatusListPath) || len(ref.URI) == len(c.Issuer+edoc.StatusListPath) {
		r.add(CheckStatus, Fail, fmt.Sprintf("status list %q is not under the issuer", ref.URI), ErrStatusURI)
		return
	}
	if v.opts.Status == nil {
		r.add(CheckStatus, Skip, "no status source configured: status unknown", ErrNoStatusSource)
		return
	}
	uri := v.currentStatusURI(c.Issuer, ref.URI)
	list, err := v.opts.Status.StatusList(ctx, uri)
	if err != nil {
		for _, e := range []error{ErrStatusListExpired, ErrBundleExpired} {
			if errors.Is(err, e) {
				r.add(CheckStatus, Fail, err.Error(), e)
				return
			}
		}
		reason := ErrStatusUnavailable
		if errors.Is(err, ErrStatusListInvalid) {
			reason = ErrStatusListInvalid
		}
		r.add(CheckStatus, Skip, "status unknown: "+err.Error(), reason)
		return
	}
	st, err := list.Status(ref.Index)
	if err != nil {
		r.add(CheckStatus, Fail, fmt.Sprintf("index %d outside list of %d", ref.Index, list.Len()), ErrStatusIndex)
		return
	}
	switch st {
	case edoc.StatusValid:
		r.add(CheckStatus, Pass, "valid in "+uri+" at "+strconv.Itoa(ref.Index), nil)
	case edoc.StatusInvalid:
		r.add(CheckStatus, Fail, "revoked", ErrRevoked)
	case edoc.StatusSuspended:
		r.add(CheckStatus, Fail, "suspended", ErrSuspended)
	default:
		r.add(CheckStatus, Fail, "undefined status value "+strconv.Itoa(int(st)), ErrStatusValue)
	}
}

// currentStatusURI is where the list of a document of iss is read: under
// the URL the issuer uses now, when the key source knows it by an earlier
// one. The list id stays; only the issuer part of the URI changes.
func (v *Verifier) currentStatusURI(iss, uri string) string {
	renames, ok := v.opts.Keys.(IssuerRenames)
	if !ok {
		return uri
	}
	cur, ok := renames.CurrentIssuer(iss)
	if !ok || cur == iss {
		return uri
	}
	return cur + strings.TrimPrefix(uri, iss)
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
