package api

import (
	"encoding/json"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
)

// auditEventJSON is one audit event; the states before and after are the
// JSON the change recorded, null where the record did not exist. An account
// acting for someone else names that person in on_behalf_of.
type auditEventJSON struct {
	ID         int64           `json:"id"`
	OccurredAt time.Time       `json:"occurred_at"`
	ActorID    string          `json:"actor_id"`
	ActorRole  string          `json:"actor_role"`
	OnBehalfOf string          `json:"on_behalf_of,omitempty"`
	Action     string          `json:"action"`
	Entity     string          `json:"entity"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	RequestID  string          `json:"request_id,omitempty"`
}

func auditEventJSONOf(e audit.Event) auditEventJSON {
	raw := func(s *string) json.RawMessage {
		if s == nil || !json.Valid([]byte(*s)) {
			return json.RawMessage("null")
		}
		return json.RawMessage(*s)
	}
	return auditEventJSON{ID: e.ID, OccurredAt: e.OccurredAt, ActorID: e.ActorID, ActorRole: e.ActorRole, OnBehalfOf: e.OnBehalfOf,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, Before: raw(e.BeforeJSON), After: raw(e.AfterJSON),
		RequestID: e.RequestID}
}
