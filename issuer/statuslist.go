package issuer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// StatusListToken signs list as the status list token served at
// <iss>/api/v1/status-lists/<listID>: typ statuslist+jwt, sub the list URI,
// iat, exp, ttl and status_list {bits: 2, lst}. Revoking or suspending a
// document means setting its entry (edoc.StatusInvalid, edoc.StatusSuspended)
// and publishing a new token.
func (is *Issuer) StatusListToken(ctx context.Context, listID string, list *edoc.StatusList) (string, error) {
	if !reListID.MatchString(listID) || list == nil {
		return "", fmt.Errorf("%w: list id %q", ErrStatusList, listID)
	}
	now := is.cfg.Now().Truncate(1e9)
	claims := edoc.StatusListClaims{
		Subject:    is.StatusListURI(listID),
		Issuer:     is.cfg.Issuer,
		IssuedAt:   now.Unix(),
		Expiry:     now.Add(is.cfg.StatusListLifetime).Unix(),
		TTL:        int64(is.cfg.StatusListTTL.Seconds()),
		StatusList: edoc.StatusBits{Bits: edoc.StatusBitSize, Lst: list.Encode()},
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signer, err := is.cfg.Keys.ActiveSigner(ctx)
	if err != nil {
		return "", err
	}
	return signCompact(signer, payload, edoc.StatusListType, false)
}

// StatusListURI returns the URI documents on list listID point to.
func (is *Issuer) StatusListURI(listID string) string { return statusListURI(is.cfg.Issuer, listID) }

func statusListURI(iss, listID string) string { return iss + edoc.StatusListPath + listID }
