package assistance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// MaxReasonLength bounds an officer's reason, in characters.
const MaxReasonLength = 500

// RecordDependant is an officer's grant for a person who cannot grant it
// themselves, with the relationship and the evidence the officer saw. It
// is active at once.
func (s *Service) RecordDependant(ctx context.Context, by audit.Actor, personID, helperUsername string, t Terms) (Grant, error) {
	now := s.clock.Now()
	if err := t.check(now, true); err != nil {
		return Grant{}, err
	}
	person, err := s.persons.Person(ctx, strings.TrimSpace(personID))
	if err != nil {
		return Grant{}, err
	}
	helper, err := s.helperAccount(ctx, helperUsername, person.ID)
	if err != nil {
		return Grant{}, err
	}
	r := grantRow{Kind: string(KindDependant), PrincipalPersonID: &person.ID, HelperAccountID: helper.ID,
		HelperUsername: helper.Username, State: string(Active), DecidedBy: by.ID, DecidedAt: &now,
		LapsesOn: lapsesOn(person.BirthDate, t.Relationship, now)}
	return s.create(ctx, by, now, r, t, "assistance.record", notices{principal: grantedNotice, helper: helperGrantedNotice})
}

// lapsesOn is the 18th birthday of a minor whose parent or guardian is
// granted, as stored; nil when the grant does not lapse.
func lapsesOn(birth calendar.Date, rel Relationship, now time.Time) *string {
	if !rel.holdsForMinor() || birth.IsZero() {
		return nil
	}
	adult := calendar.DateOf(birth.Time(time.UTC).AddDate(AdultAge, 0, 0))
	if !calendar.LocalDate(now).Before(adult) {
		return nil
	}
	s := adult.String()
	return &s
}

// RequestDependant is a helper's request to act for a dependant, named by
// their documents; it is pending until an officer decides it. Details
// that match nobody are kept as a request all the same, with no person,
// so the answer never tells the helper whether someone is registered.
func (s *Service) RequestDependant(ctx context.Context, by audit.Actor, helper Account, who Identity, t Terms) (Grant, error) {
	now := s.clock.Now()
	if err := t.check(now, true); err != nil {
		return Grant{}, err
	}
	if helper.Role != RoleResident && helper.Role != RoleHelper {
		return Grant{}, errHelperRole
	}
	r := grantRow{Kind: string(KindDependant), HelperAccountID: helper.ID, HelperUsername: helper.Username, State: string(Pending)}
	personID, err := s.persons.Match(ctx, who)
	switch {
	case err == nil && personID != helper.PersonID:
		r.PrincipalPersonID = &personID
	case err != nil && !errors.Is(err, ErrUnknownPerson):
		return Grant{}, err
	}
	return s.create(ctx, by, now, r, t, "assistance.request", notices{})
}

// Approve is an officer's approval of a pending request.
func (s *Service) Approve(ctx context.Context, by audit.Actor, id string) (Grant, error) {
	var person PersonFacts
	g, err := s.Get(ctx, id)
	if err != nil {
		return Grant{}, err
	}
	if g.PrincipalID != "" {
		if person, err = s.persons.Person(ctx, g.PrincipalID); err != nil {
			return Grant{}, err
		}
	}
	return s.change(ctx, by, id, "assistance.approve", func(g Grant, now time.Time) (map[string]any, error) {
		switch {
		case g.Kind != KindDependant || g.State != Pending:
			return nil, errNotPending
		case g.PrincipalID == "":
			return nil, errUnmatched
		}
		return map[string]any{"state": string(Active), "decided_by": by.ID, "decided_at": now,
			"lapses_on": lapsesOn(person.BirthDate, g.Relationship, now)}, nil
	}, notices{principal: grantedNotice, helper: approvedNotice})
}

// Refuse is an officer's refusal of a pending request, with a reason the
// helper reads in either language.
func (s *Service) Refuse(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (Grant, error) {
	reason.En, reason.Zh = strings.TrimSpace(reason.En), strings.TrimSpace(reason.Zh)
	if reason.En == "" || utf8.RuneCountInString(reason.En) > MaxReasonLength {
		return Grant{}, errReasonEn
	}
	if reason.Zh == "" || utf8.RuneCountInString(reason.Zh) > MaxReasonLength {
		return Grant{}, errReasonZh
	}
	return s.change(ctx, by, id, "assistance.refuse", func(g Grant, now time.Time) (map[string]any, error) {
		if g.Kind != KindDependant || g.State != Pending {
			return nil, errNotPending
		}
		return map[string]any{"state": string(Refused), "decided_by": by.ID, "decided_at": now,
			"refusal_reason_en": reason.En, "refusal_reason_zh": reason.Zh}, nil
	}, notices{helper: refusedNotice})
}

// EndAsOfficer ends any grant that has not ended.
func (s *Service) EndAsOfficer(ctx context.Context, by audit.Actor, id string) (Grant, error) {
	return s.change(ctx, by, id, "assistance.end", end(by), notices{principal: officerEndedNotice, helper: helperEndedNotice(true)})
}

// Get returns one grant as it stands.
func (s *Service) Get(ctx context.Context, id string) (Grant, error) {
	var r grantRow
	err := s.db.Gorm.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&r).Error
	if err != nil {
		return Grant{}, fmt.Errorf("assistance: get: %w", err)
	}
	if r.ID == "" {
		return Grant{}, errGrantNotFound
	}
	return s.named(ctx, r.grant(s.clock.Now())), nil
}

// Search is what officers filter grants by; empty fields do not filter.
// State is the stored state (pending, active, ended, refused).
type Search struct {
	State    State
	PersonID string
	HelperID string
}

// Find pages through grants for officers, newest first.
func (s *Service) Find(ctx context.Context, q Search, p paging.Request) (paging.Page[Grant], error) {
	where, args := []string{"1 = 1"}, []any{}
	if q.State != "" {
		switch q.State {
		case Pending, Active, Ended, Refused:
		default:
			return paging.Page[Grant]{}, errSearchState
		}
		where, args = append(where, "state = ?"), append(args, string(q.State))
	}
	if q.PersonID != "" {
		where, args = append(where, "principal_person_id = ?"), append(args, q.PersonID)
	}
	if q.HelperID != "" {
		where, args = append(where, "helper_account_id = ?"), append(args, q.HelperID)
	}
	return s.list(ctx, p, strings.Join(where, " AND "), args...)
}
