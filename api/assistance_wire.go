package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Response bodies of the assistance routes.

type grantJSON struct {
	ID                string   `json:"id"`
	Kind              string   `json:"kind"`
	State             string   `json:"state"`
	StateLabel        string   `json:"state_label"`
	PrincipalPersonID string   `json:"principal_person_id,omitempty"`
	PrincipalName     string   `json:"principal_name,omitempty"`
	HelperAccountID   string   `json:"helper_account_id"`
	HelperUsername    string   `json:"helper_username"`
	Scopes            []string `json:"scopes"`
	Relationship      string   `json:"relationship,omitempty"`
	RelationshipLabel string   `json:"relationship_label,omitempty"`
	Evidence          string   `json:"evidence,omitempty"`
	ExpiresAt         *string  `json:"expires_at,omitempty"`
	LapsesOn          string   `json:"lapses_on,omitempty"`
	ConfirmedAt       *string  `json:"confirmed_at,omitempty"`
	CreatedAt         string   `json:"created_at"`
	AcceptedAt        *string  `json:"accepted_at,omitempty"`
	DecidedAt         *string  `json:"decided_at,omitempty"`
	RefusalReason     string   `json:"refusal_reason,omitempty"`
	EndedAt           *string  `json:"ended_at,omitempty"`
}

func rfc3339(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

var grantStateLabels = map[assistance.State]i18n.Text{
	assistance.Pending: i18n.T("Awaiting acceptance or a decision", "等待接受或审核"),
	assistance.Active:  i18n.T("In effect", "有效"),
	assistance.Ended:   i18n.T("Ended", "已终止"),
	assistance.Refused: i18n.T("Refused", "未获批准"),
	assistance.Expired: i18n.T("Expired", "已过期"),
	assistance.Lapsed:  i18n.T("Lapsed: the person has come of age", "已失效：本人已成年"),
}

func grantJSONOf(g assistance.Grant, lang i18n.Lang) grantJSON {
	out := grantJSON{ID: g.ID, Kind: string(g.Kind), State: string(g.State), StateLabel: grantStateLabels[g.State].In(lang),
		PrincipalPersonID: g.PrincipalID, PrincipalName: g.PrincipalName, HelperAccountID: g.HelperID,
		HelperUsername: g.HelperUsername, Scopes: make([]string, len(g.Scopes)), Relationship: string(g.Relationship),
		Evidence: g.Evidence, ExpiresAt: rfc3339(g.ExpiresAt), ConfirmedAt: rfc3339(g.ConfirmedAt),
		CreatedAt: g.CreatedAt.UTC().Format(time.RFC3339), AcceptedAt: rfc3339(g.AcceptedAt),
		DecidedAt: rfc3339(g.DecidedAt), EndedAt: rfc3339(g.EndedAt)}
	for i, s := range g.Scopes {
		out.Scopes[i] = string(s)
	}
	if g.Relationship != "" {
		out.RelationshipLabel = assistance.RelationshipLabel(g.Relationship).In(lang)
	}
	if g.LapsesOn != nil {
		out.LapsesOn = g.LapsesOn.String()
	}
	if g.Reason.En != "" {
		out.RefusalReason = i18n.T(g.Reason.En, g.Reason.Zh).In(lang)
	}
	return out
}

type activityJSON struct {
	ID              string `json:"id"`
	GrantID         string `json:"grant_id"`
	HelperAccountID string `json:"helper_account_id"`
	HelperUsername  string `json:"helper_username"`
	Action          string `json:"action"`
	ActionLabel     string `json:"action_label"`
	Scope           string `json:"scope"`
	Ref             string `json:"ref,omitempty"`
	Status          int    `json:"status"`
	Succeeded       bool   `json:"succeeded"`
	RequestID       string `json:"request_id,omitempty"`
	OccurredAt      string `json:"occurred_at"`
}

func activityJSONOf(a assistance.Activity, lang i18n.Lang) activityJSON {
	return activityJSON{ID: a.ID, GrantID: a.GrantID, HelperAccountID: a.HelperID, HelperUsername: a.HelperUsername,
		Action: a.Action, ActionLabel: ActionLabel(a.Action).In(lang), Scope: string(a.Scope), Ref: a.Ref,
		Status: a.Status, Succeeded: a.Status < 400, RequestID: a.RequestID, OccurredAt: a.OccurredAt.UTC().Format(time.RFC3339)}
}
