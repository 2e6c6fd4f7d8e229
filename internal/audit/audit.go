// Package audit writes the append-only trail of who changed what. Every
// officer or admin change, and every answered verification, leaves a row in
// the same transaction as the change itself, so there is never a change
// without its audit row.
package audit

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
)

// Actor is who makes a change, as every capability records it: the account
// that acts, the person it acts for when that is someone else (a helper
// booking for an elderly parent), and the request that carried the change,
// so a reviewer can follow one request from the access log to its rows.
type Actor struct {
	ID   string // account ID, or "system"
	Role string
	// OnBehalfOf is the person ID of the principal the account acts for;
	// empty when the account acts for itself.
	OnBehalfOf string
	// RequestID is the request the change came in with; empty for changes
	// made outside a request (the command line, start-up, seeding).
	RequestID string
	// Also, when set, is written in the transaction of every change the
	// actor makes, right after its audit row: a helper's action for a
	// principal is kept for the principal's activity view in the same
	// transaction as the action, so no action done for someone is missing
	// from it. It must tolerate being called more than once per request.
	Also Recorder
}

// Recorder writes what must commit with an actor's change.
type Recorder interface {
	RecordTx(tx storage.Tx, now time.Time, e Entry) error
}

// System is the actor for changes the service makes on its own.
var System = Actor{ID: "system", Role: "system"}

// Entry describes one change. Before and After are marshalled to JSON;
// nil means "did not exist".
type Entry struct {
	Actor    Actor
	Action   string // e.g. "person.update"
	Entity   string // e.g. "person"
	EntityID string
	Before   any
	After    any
}

// Event is the stored row.
type Event struct {
	ID         int64 `gorm:"primaryKey"`
	OccurredAt time.Time
	ActorID    string
	ActorRole  string
	OnBehalfOf string
	Action     string
	Entity     string
	EntityID   string
	BeforeJSON *string
	AfterJSON  *string
	RequestID  string
}

// TableName binds Event to the migrated table.
func (Event) TableName() string { return "audit_events" }

// NewEvent builds the stored row of e at now, for writers that insert
// many at once (a registry import); Write is the usual way.
func NewEvent(now time.Time, e Entry) (Event, error) {
	before, err := marshal(e.Before)
	if err != nil {
		return Event{}, err
	}
	after, err := marshal(e.After)
	if err != nil {
		return Event{}, err
	}
	return Event{
		OccurredAt: now.UTC(), ActorID: e.Actor.ID, ActorRole: e.Actor.Role, OnBehalfOf: e.Actor.OnBehalfOf,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		BeforeJSON: before, AfterJSON: after, RequestID: e.Actor.RequestID,
	}, nil
}

// Write records e using tx, which should be the transaction of the change.
func Write(tx *gorm.DB, now time.Time, e Entry) error {
	row, err := NewEvent(now, e)
	if err != nil {
		return err
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("audit: write %s: %w", e.Action, err)
	}
	if e.Actor.Also != nil {
		return e.Actor.Also.RecordTx(storage.TxOf(tx), now, e)
	}
	return nil
}

func marshal(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshal: %w", err)
	}
	s := string(b)
	return &s, nil
}

// List returns the events for one entity, oldest first.
func List(db *gorm.DB, entity, entityID string) ([]Event, error) {
	var out []Event
	err := db.Where("entity = ? AND entity_id = ?", entity, entityID).Order("id").Find(&out).Error
	return out, err
}
