package assistance

import (
	"context"
	"fmt"
)

// Authorize decides whether the helper account may act for the person
// with scope, now. It is asked on every request made on someone's behalf,
// so an ending, an expiry or a coming of age takes effect on the next one.
//
// Of the helper's grants for the person, an active one that includes the
// scope allows it; otherwise the refusal names why, preferring the grant
// closest to allowing it (active without the scope, then expired or lapsed,
// pending, refused, ended). A person the helper holds no grant for is
// ErrNoGrant whether or not the person exists.
func (s *Service) Authorize(ctx context.Context, helperID, personID string, scope Scope) (Grant, error) {
	if helperID == "" || personID == "" {
		return Grant{}, ErrNoGrant
	}
	var rows []grantRow
	if err := s.db.Gorm.WithContext(ctx).Where("helper_account_id = ? AND principal_person_id = ?", helperID, personID).
		Order("id DESC").Find(&rows).Error; err != nil {
		return Grant{}, fmt.Errorf("assistance: authorize: %w", err)
	}
	now := s.clock.Now()
	best, bestRank := Grant{}, len(refusalOrder)
	for _, r := range rows {
		g := r.grant(now)
		if g.State == Active && g.Allows(scope) {
			return g, nil
		}
		for i, st := range refusalOrder {
			if g.State == st.state && i < bestRank {
				best, bestRank = g, i
			}
		}
	}
	if bestRank == len(refusalOrder) {
		return Grant{}, ErrNoGrant
	}
	return best, refusalOrder[bestRank].err
}

// refusalOrder ranks the states of a grant that does not allow an action,
// closest to allowing it first, with the refusal each gives.
var refusalOrder = []struct {
	state State
	err   error
}{
	{Active, ErrScopeMissing},
	{Expired, ErrGrantExpired},
	{Lapsed, ErrGrantLapsed},
	{Pending, ErrGrantPending},
	{Refused, ErrGrantRefused},
	{Ended, ErrGrantEnded},
}
