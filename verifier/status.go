package verifier

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-jose/go-jose/v4"
)

// Bounds on status list tokens. A list of 2^22 two-bit entries is 1 MiB
// inflated; its token, mostly zeros, compresses to a few KiB.
const (
	maxStatusTokenBytes = 1 << 20
	maxStatusListBytes  = 1 << 20
)

// StatusSource returns the verified status list at uri. An error wrapping
// ErrStatusUnavailable or ErrStatusListInvalid makes the document's status
// unknown.
type StatusSource interface {
	StatusList(ctx context.Context, uri string) (*StatusList, error)
}

// StatusList is a verified status list token.
type StatusList struct {
	URI      string
	IssuedAt time.Time
	Expiry   time.Time
	TTL      time.Duration
	list     *edoc.StatusList
}

// Len returns the number of entries.
func (l *StatusList) Len() int { return l.list.Len() }

// Status returns entry idx: edoc.StatusValid, StatusInvalid or
// StatusSuspended (3 is undefined). It fails with ErrStatusIndex.
func (l *StatusList) Status(idx int) (uint8, error) {
	v, err := l.list.Get(idx)
	if err != nil {
		return 0, ErrStatusIndex
	}
	return v, nil
}

// ParseStatusListToken verifies a status list token fetched from uri: ES256
// only, typ statuslist+jwt, signed by a key the issuer of uri publishes,
// sub equal to uri, bits 2, and not expired at now (ErrStatusListExpired;
// every other failure wraps ErrStatusListInvalid). The issuer is the part
// of uri before /api/v1/status-lists/, so a list can only be signed by the
// issuer whose documents point at it.
func ParseStatusListToken(ctx context.Context, token, uri string, keys KeySource, now time.Time) (*StatusList, error) {
	iss, _, ok := strings.Cut(uri, edoc.StatusListPath)
	if !ok || len(token) > maxStatusTokenBytes {
		return nil, fmt.Errorf("%w: bad URI or oversize token", ErrStatusListInvalid)
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: %v", ErrStatusListInvalid, err)
	}
	h := jws.Signatures[0].Protected
	if h.ExtraHeaders["typ"] != edoc.StatusListType {
		return nil, fmt.Errorf("%w: typ", ErrStatusListInvalid)
	}
	ks, err := keys.Keys(ctx, iss, h.KeyID)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusListInvalid, err)
	}
	payload, err := verifyWithAny(jws, ks)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusListInvalid, err)
	}
	var c edoc.StatusListClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("%w: claims", ErrStatusListInvalid)
	}
	if c.Subject != uri || (c.Issuer != "" && c.Issuer != iss) {
		return nil, fmt.Errorf("%w: sub %q does not match %q", ErrStatusListInvalid, c.Subject, uri)
	}
	if c.Expiry != 0 && !now.Before(time.Unix(c.Expiry, 0)) {
		return nil, fmt.Errorf("%w: %s expired at %s", ErrStatusListExpired, uri, formatTime(time.Unix(c.Expiry, 0)))
	}
	list, err := edoc.DecodeStatusList(c.StatusList, maxStatusListBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStatusListInvalid, err)
	}
	return &StatusList{
		URI: uri, IssuedAt: time.Unix(c.IssuedAt, 0), Expiry: time.Unix(c.Expiry, 0),
		TTL: time.Duration(c.TTL) * time.Second, list: list,
	}, nil
}

// verifyWithAny tries every non-revoked key and returns the payload of the
// first that verifies.
func verifyWithAny(jws *jose.JSONWebSignature, ks []Key) ([]byte, error) {
	for _, k := range ks {
		if k.Revoked {
			continue
		}
		if payload, err := jws.Verify(k.JWK); err == nil {
			return payload, nil
		}
	}
	return nil, ErrSignature
}
