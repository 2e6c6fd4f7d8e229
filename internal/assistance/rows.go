package assistance

import (
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
)

// grantRow and activityRow are the stored forms.
type grantRow struct {
	ID                string `gorm:"primaryKey"`
	Kind              string
	PrincipalPersonID *string
	HelperAccountID   string
	HelperUsername    string
	Scopes            string
	Relationship      string
	Evidence          string
	State             string
	ExpiresAt         *time.Time
	LapsesOn          *string
	ConfirmedAt       *time.Time
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	AcceptedAt        *time.Time
	DecidedBy         string
	DecidedAt         *time.Time
	RefusalReasonEn   string
	RefusalReasonZh   string
	EndedBy           string
	EndedAt           *time.Time
	EndingNoticedAt   *time.Time
}

func (grantRow) TableName() string { return "assistance_grants" }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func (r grantRow) lapses() *calendar.Date {
	if r.LapsesOn == nil {
		return nil
	}
	d, err := calendar.ParseDate(*r.LapsesOn)
	if err != nil {
		return nil
	}
	return &d
}

// grant is the row as it stands at now.
func (r grantRow) grant(now time.Time) Grant {
	g := Grant{ID: r.ID, Kind: Kind(r.Kind), HelperID: r.HelperAccountID, HelperUsername: r.HelperUsername,
		Scopes: splitScopes(r.Scopes), Relationship: Relationship(r.Relationship), Evidence: r.Evidence,
		ExpiresAt: utcPtr(r.ExpiresAt), LapsesOn: r.lapses(), ConfirmedAt: utcPtr(r.ConfirmedAt),
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), AcceptedAt: utcPtr(r.AcceptedAt),
		DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt), Reason: Reason{r.RefusalReasonEn, r.RefusalReasonZh},
		EndedBy: r.EndedBy, EndedAt: utcPtr(r.EndedAt)}
	if r.PrincipalPersonID != nil {
		g.PrincipalID = *r.PrincipalPersonID
	}
	g.State = stateAt(State(r.State), g.ExpiresAt, g.LapsesOn, g.ConfirmedAt, now)
	return g
}

type activityRow struct {
	ID              string `gorm:"primaryKey"`
	GrantID         string
	PersonID        string
	HelperAccountID string
	HelperUsername  string
	Action          string
	Scope           string
	Ref             string
	Status          int
	RequestID       string
	OccurredAt      time.Time
}

func (activityRow) TableName() string { return "assistance_activity" }
