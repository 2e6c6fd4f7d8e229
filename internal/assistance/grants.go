package assistance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
)

// Terms are what a grant allows and for how long.
type Terms struct {
	Scopes       []Scope
	ExpiresAt    *time.Time // nil: until ended
	Relationship Relationship
	Evidence     string
}

// MaxEvidenceLength bounds the evidence reference, in characters.
const MaxEvidenceLength = 200

// check validates the terms at now; dependant grants need a relationship
// and the evidence seen.
func (t *Terms) check(now time.Time, dependant bool) error {
	seen := map[Scope]bool{}
	for _, s := range t.Scopes {
		if !s.Known() || seen[s] {
			return errScopes
		}
		seen[s] = true
	}
	if len(t.Scopes) == 0 {
		return errScopes
	}
	if t.ExpiresAt != nil && !t.ExpiresAt.After(now) {
		return errExpiry
	}
	if (dependant || t.Relationship != "") && !t.Relationship.known() {
		return errRelationship
	}
	t.Evidence = strings.TrimSpace(t.Evidence)
	if utf8.RuneCountInString(t.Evidence) > MaxEvidenceLength || (dependant && t.Evidence == "") {
		return errEvidence
	}
	return nil
}

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("assistance: id: %w", err)
	}
	return id.String(), nil
}

// helperAccount finds the helper by username and checks that the account
// may act for others and is not the principal's own.
func (s *Service) helperAccount(ctx context.Context, username, principalPerson string) (Account, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return Account{}, errUsername
	}
	a, err := s.accounts.ByUsername(ctx, username)
	if err != nil {
		return Account{}, err
	}
	if a.Role != RoleResident && a.Role != RoleHelper {
		return Account{}, errHelperRole
	}
	if a.PersonID != "" && a.PersonID == principalPerson {
		return Account{}, errSelf
	}
	return a, nil
}

// Roles of the accounts that may be helpers.
const (
	RoleResident = "resident"
	RoleHelper   = "helper"
)

// refuseLive refuses a second pending or active grant for the same helper
// and principal, so that the one Authorize finds is never ambiguous. An
// expired or lapsed one no longer counts.
func refuseLive(tx *gorm.DB, now time.Time, helper, person string) error {
	var rows []grantRow
	if err := tx.Where("helper_account_id = ? AND principal_person_id = ? AND state IN ?", helper, person,
		[]string{string(Pending), string(Active)}).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if st := r.grant(now).State; st == Pending || st == Active {
			return errLiveGrant
		}
	}
	return nil
}

// Invite is the principal's invitation of a helper by username; the grant
// is pending until the helper accepts it.
func (s *Service) Invite(ctx context.Context, by audit.Actor, personID, username string, t Terms) (Grant, error) {
	if personID == "" {
		return Grant{}, errNoPrincipal
	}
	now := s.clock.Now()
	if err := t.check(now, false); err != nil {
		return Grant{}, err
	}
	helper, err := s.helperAccount(ctx, username, personID)
	if err != nil {
		return Grant{}, err
	}
	return s.create(ctx, by, now, grantRow{Kind: string(KindAccount), PrincipalPersonID: &personID,
		HelperAccountID: helper.ID, HelperUsername: helper.Username, State: string(Pending)}, t, "assistance.invite",
		notices{helper: invitedNotice})
}

// create stores a new grant with its audit row and the principal's notice.
func (s *Service) create(ctx context.Context, by audit.Actor, now time.Time, r grantRow, t Terms, action string,
	notice notices) (Grant, error) {
	id, err := newID()
	if err != nil {
		return Grant{}, err
	}
	r.ID, r.Scopes, r.Relationship, r.Evidence, r.ExpiresAt = id, joinScopes(t.Scopes), string(t.Relationship), t.Evidence, utcPtr(t.ExpiresAt)
	r.CreatedBy, r.CreatedAt, r.UpdatedAt = by.ID, now, now
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if r.PrincipalPersonID != nil {
			if err := refuseLive(tx, now, r.HelperAccountID, *r.PrincipalPersonID); err != nil {
				return err
			}
		}
		if err := tx.Create(&r).Error; err != nil {
			return fmt.Errorf("assistance: create: %w", err)
		}
		g := r.grant(now)
		if err := audit.Write(tx, now, audit.Entry{Actor: by, Action: action, Entity: "assistance_grant", EntityID: r.ID, After: snapshot(g)}); err != nil {
			return err
		}
		return s.notify(tx, now, s.named(ctx, g), notice)
	})
	if err != nil {
		return Grant{}, err
	}
	return s.named(ctx, r.grant(now)), nil
}

// change applies fn to the grant id inside a transaction, then writes the
// audit row and the principal's notice. fn sees the grant as it stands and
// returns the columns to update; its error refuses the change.
func (s *Service) change(ctx context.Context, by audit.Actor, id, action string, fn func(g Grant, now time.Time) (map[string]any, error),
	notice notices) (Grant, error) {
	now := s.clock.Now()
	var out grantRow
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r grantRow
		if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errGrantNotFound
			}
			return err
		}
		before := r.grant(now)
		upd, err := fn(before, now)
		if err != nil {
			return err
		}
		upd["updated_at"] = now
		if err := tx.Model(&grantRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return fmt.Errorf("assistance: %s: %w", action, err)
		}
		if err := tx.Where("id = ?", id).Take(&out).Error; err != nil {
			return err
		}
		after := out.grant(now)
		if err := audit.Write(tx, now, audit.Entry{Actor: by, Action: action, Entity: "assistance_grant", EntityID: id,
			Before: snapshot(before), After: snapshot(after)}); err != nil {
			return err
		}
		return s.notify(tx, now, s.named(ctx, after), notice)
	})
	if err != nil {
		return Grant{}, err
	}
	return s.named(ctx, out.grant(now)), nil
}

// owned wraps fn so that it sees only a grant whose principal (when
// principal is true) or helper is who; any other is not found, so nobody
// learns of grants between others.
func owned(who string, principal bool, fn func(g Grant, now time.Time) (map[string]any, error)) func(Grant, time.Time) (map[string]any, error) {
	return func(g Grant, now time.Time) (map[string]any, error) {
		if who == "" || (principal && g.PrincipalID != who) || (!principal && g.HelperID != who) {
			return nil, errGrantNotFound
		}
		return fn(g, now)
	}
}

func end(by audit.Actor) func(g Grant, now time.Time) (map[string]any, error) {
	return func(g Grant, now time.Time) (map[string]any, error) {
		if g.State == Ended || g.State == Refused {
			return nil, errNotLive
		}
		return map[string]any{"state": string(Ended), "ended_by": by.ID, "ended_at": now}, nil
	}
}

// EndAsPrincipal ends a grant the principal personID gave or was given.
func (s *Service) EndAsPrincipal(ctx context.Context, by audit.Actor, personID, id string) (Grant, error) {
	return s.change(ctx, by, id, "assistance.end", owned(personID, true, end(by)), notices{helper: helperEndedNotice(false)})
}

// EndAsHelper ends a grant the helper account holds (or declines an
// invitation).
func (s *Service) EndAsHelper(ctx context.Context, by audit.Actor, helperID, id string) (Grant, error) {
	return s.change(ctx, by, id, "assistance.end", owned(helperID, false, end(by)), notices{principal: endedNotice(true)})
}

// Accept is the helper's acceptance of an invitation.
func (s *Service) Accept(ctx context.Context, by audit.Actor, helperID, id string) (Grant, error) {
	return s.change(ctx, by, id, "assistance.accept", owned(helperID, false, func(g Grant, now time.Time) (map[string]any, error) {
		switch {
		case g.Kind != KindAccount:
			return nil, errNotAccountGrant
		case g.State == Expired:
			return nil, errExpiredAlready
		case g.State != Pending:
			return nil, errNotPending
		}
		return map[string]any{"state": string(Active), "accepted_at": now}, nil
	}), notices{principal: acceptedNotice})
}

// Confirm is a now-adult's confirmation of the grant their parent or
// guardian held while they were a minor: it no longer lapses.
func (s *Service) Confirm(ctx context.Context, by audit.Actor, personID, id string) (Grant, error) {
	return s.change(ctx, by, id, "assistance.confirm", owned(personID, true, func(g Grant, now time.Time) (map[string]any, error) {
		if g.LapsesOn == nil || g.ConfirmedAt != nil || (g.State != Active && g.State != Lapsed) {
			return nil, errNotConfirmable
		}
		return map[string]any{"confirmed_at": now}, nil
	}), notices{principal: confirmedNotice, helper: confirmedForHelperNotice})
}

// Helpers pages through the grants whose principal is personID, newest
// first.
func (s *Service) Helpers(ctx context.Context, personID string, p paging.Request) (paging.Page[Grant], error) {
	return s.list(ctx, p, "principal_person_id = ?", personID)
}

// Principals pages through the grants the helper account holds or
// requested, newest first.
func (s *Service) Principals(ctx context.Context, helperID string, p paging.Request) (paging.Page[Grant], error) {
	return s.list(ctx, p, "helper_account_id = ?", helperID)
}

func (s *Service) list(ctx context.Context, p paging.Request, where string, args ...any) (paging.Page[Grant], error) {
	q := s.db.Gorm.WithContext(ctx).Where(where, args...)
	if p.After != "" {
		q = q.Where("id < ?", p.After)
	}
	var rows []grantRow
	if err := q.Order("id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Grant]{}, fmt.Errorf("assistance: list: %w", err)
	}
	now := s.clock.Now()
	out := make([]Grant, len(rows))
	for i, r := range rows {
		out[i] = s.named(ctx, r.grant(now))
	}
	return paging.Build(out, p.Limit, func(g Grant) string { return g.ID }), nil
}

// named fills in the principal's name from the registry. A name that
// cannot be read is left out rather than failing a list.
func (s *Service) named(ctx context.Context, g Grant) Grant {
	if g.PrincipalID == "" || s.persons == nil {
		return g
	}
	if p, err := s.persons.Person(ctx, g.PrincipalID); err == nil {
		g.PrincipalName = p.Name
	}
	return g
}

// snapshot is what the audit keeps of a grant.
func snapshot(g Grant) map[string]any {
	return map[string]any{"kind": g.Kind, "principal_person_id": g.PrincipalID, "helper_account_id": g.HelperID,
		"scopes": joinScopes(g.Scopes), "relationship": g.Relationship, "evidence": g.Evidence, "state": g.State,
		"expires_at": g.ExpiresAt, "lapses_on": g.LapsesOn, "confirmed": g.ConfirmedAt != nil}
}
