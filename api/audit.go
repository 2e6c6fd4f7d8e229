package api

import (
	"context"
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

// Audit is the service behind the audit route; nil answers it 503.
type Audit struct {
	Trail AuditTrail
}

// auditHandler serves the audit route.
type auditHandler struct {
	responder
	Audit
}

var errAuditOff = capabilityOff("audit_unavailable",
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

// handleAuditSearch lets an admin read who changed what, newest first.
func (h auditHandler) handleAuditSearch(c *gin.Context) {
	q, err := auditQueryOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Trail.Search(c.Request.Context(), q)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(page, auditEventJSONOf))
}
