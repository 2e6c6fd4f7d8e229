package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// AuditTrail searches the audit trail; *audit.Trail implements it.
type AuditTrail interface {
	Search(ctx context.Context, q audit.Query) (paging.Page[audit.Event], error)
}

var _ AuditTrail = (*audit.Trail)(nil)

var errAuditOff = apperr.New(apperr.KindUnavailable, "audit_unavailable",
	i18n.T("The audit trail is not available on this server.", "本服务器未提供审计记录查询。"))

// maxAuditFilter bounds each text filter; IDs and action names are short.
const maxAuditFilter = 200

// auditQueryOf reads the filters of GET /api/v1/admin/audit.
func auditQueryOf(c *gin.Context) (audit.Query, error) {
	page, err := pageOf(c)
	if err != nil {
		return audit.Query{}, err
	}
	q := audit.Query{Page: page}
	// Slices, not maps: with several bad filters the same one is named
	// every time.
	for _, f := range []struct {
		field string
		dst   *string
	}{{"entity", &q.Entity}, {"entity_id", &q.EntityID}, {"actor_id", &q.ActorID},
		{"on_behalf_of", &q.OnBehalfOf}, {"action", &q.Action}} {
		field, dst := f.field, f.dst
		v := strings.TrimSpace(c.Query(field))
		if len(v) > maxAuditFilter {
			return audit.Query{}, apperr.Malformed("filter_too_long", field, i18n.T(
				field+" is longer than 200 characters.", "查询条件超过 200 个字符。"))
		}
		*dst = v
	}
	for _, f := range []struct {
		field string
		dst   *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		field, dst := f.field, f.dst
		v := strings.TrimSpace(c.Query(field))
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return audit.Query{}, apperr.Malformed("invalid_time", field, i18n.T(
				field+" must be an RFC 3339 time such as 2026-11-02T09:30:00+08:00.",
				"时间须为 RFC 3339 格式，例如 2026-11-02T09:30:00+08:00。"))
		}
		*dst = t
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return audit.Query{}, apperr.Invalid("empty_window", "to", i18n.T(
			"to must be later than from.", "截止时间必须晚于起始时间。"))
	}
	return q, nil
}

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

// handleAuditSearch lets an admin read who changed what, newest first.
func (s *server) handleAuditSearch(c *gin.Context) {
	q, err := auditQueryOf(c)
	if s.failIf(c, err) {
		return
	}
	page, err := s.audit.Search(c.Request.Context(), q)
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(page, auditEventJSONOf))
}
