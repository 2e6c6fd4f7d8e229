package attestations

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// Record is an e-document as an officer sees it: whose it is and what state
// it is in, never its token, QR text or verification code.
type Record struct {
	PersonID string
	Standing
}

func (r Row) record(now time.Time) Record {
	return Record{PersonID: r.PersonID, Standing: r.standing(now)}
}

// Search selects e-documents for an officer: by document number (at most
// one) or by holder. Exactly one of the two is given.
type Search struct {
	DocumentNumber string
	PersonID       string
}

// MaxReasonLength bounds an officer's reason, in characters.
const MaxReasonLength = 500

var (
	errRecordNotFound = apperr.NotFound("attestation_not_found",
		i18n.T("There is no e-document with this id.", "没有该编号的电子证明。"))
	errSearchTerm = apperr.Invalid("search_term_required", "document_number",
		i18n.T("Give either document_number or person_id.", "请提供电子证明编号或人员编号之一。"))
	errReasonEn = apperr.Invalid("invalid_reason", "reason.en",
		i18n.T("The reason is required in English, at most 500 characters.", "须填写英文原因，最多 500 个字符。"))
	errReasonZh = apperr.Invalid("invalid_reason", "reason.zh-CN",
		i18n.T("The reason is required in Chinese, at most 500 characters.", "须填写中文原因，最多 500 个字符。"))
	errDocumentNumber = apperr.Invalid("invalid_document_number", "document_number",
		i18n.T("document_number is not an e-document number.", "所填编号不是电子证明编号。"))
	errAlreadyRevoked = apperr.Conflict("attestation_revoked",
		i18n.T("The e-document is already revoked.", "该电子证明已被撤销。"))
	errAlreadySuspended = apperr.Conflict("attestation_suspended",
		i18n.T("The e-document is already suspended.", "该电子证明已被暂停使用。"))
	errNotSuspended = apperr.Conflict("attestation_not_suspended",
		i18n.T("The e-document is not suspended.", "该电子证明未被暂停使用。"))
	errExpired = apperr.Conflict("attestation_expired",
		i18n.T("The e-document has expired; there is nothing to suspend.", "该电子证明已过期，无需暂停。"))
)

// Find lists the e-documents an officer asked for, newest first.
func (s *Service) Find(ctx context.Context, q Search, page paging.Request) (paging.Page[Record], error) {
	q.DocumentNumber, q.PersonID = strings.TrimSpace(q.DocumentNumber), strings.TrimSpace(q.PersonID)
	db := s.db.Gorm.WithContext(ctx).Order("id DESC").Limit(page.Limit + 1)
	switch {
	case (q.DocumentNumber == "") == (q.PersonID == ""):
		return paging.Page[Record]{}, errSearchTerm
	case q.DocumentNumber != "":
		if !issuer.ValidDocumentNumber(q.DocumentNumber) {
			return paging.Page[Record]{}, errDocumentNumber
		}
		db = db.Where("document_number = ?", q.DocumentNumber)
	default:
		db = db.Where("person_id = ?", q.PersonID)
	}
	if page.After != "" {
		db = db.Where("id < ?", page.After)
	}
	var rows []Row
	if err := db.Find(&rows).Error; err != nil {
		return paging.Page[Record]{}, apperr.Internal("attestations: find: %w", err)
	}
	now := s.clock.Now()
	out := make([]Record, len(rows))
	for i, r := range rows {
		out[i] = r.record(now)
	}
	return paging.Build(out, page.Limit, func(r Record) string { return r.ID }), nil
}

// officerAction is one officer decision on an e-document.
type officerAction struct {
	name string // audit action
	// scope narrows the active rows it applies to; nil for every one.
	scope   func(q *gorm.DB, now time.Time) *gorm.DB
	updates func(now time.Time, reason i18n.Text) map[string]any
	status  uint8 // the status list value it leaves
	refuse  func(r Row, now time.Time) error
	notice  func(r Row, reason i18n.Text) (subject, body i18n.Text)
}

// Suspend stops an active e-document from verifying until an officer
// reinstates it: every verification answers invalid, with the document
// check failed as suspended, and the status list marks it suspended (2).
func (s *Service) Suspend(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (Record, error) {
	return s.decide(ctx, by, id, reason, officerAction{
		name: "attestation.suspend",
		scope: func(q *gorm.DB, now time.Time) *gorm.DB {
			return q.Where("suspended_at IS NULL AND expires_at > ?", now)
		},
		updates: func(now time.Time, reason i18n.Text) map[string]any {
			return map[string]any{"suspended_at": now, "suspension_reason": reason.En, "suspension_reason_zh": reason.Zh}
		},
		status: edoc.StatusSuspended,
		refuse: func(r Row, now time.Time) error {
			switch {
			case r.State == stateRevoked:
				return errAlreadyRevoked
			case r.SuspendedAt != nil:
				return errAlreadySuspended
			}
			return errExpired
		},
		notice: func(r Row, reason i18n.Text) (i18n.Text, i18n.Text) {
			return i18n.T("Your e-document "+r.DocumentNumber+" has been suspended", "您的电子证明 "+r.DocumentNumber+" 已被暂停使用"),
				i18n.T("The administration has suspended the e-document until further notice; it does not verify meanwhile. Reason: "+reason.En,
					"主管机关已暂停该电子证明的使用，暂停期间无法通过核验。原因："+reason.Zh)
		},
	})
}

// Reinstate lifts a suspension: the e-document verifies again as before.
func (s *Service) Reinstate(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (Record, error) {
	return s.decide(ctx, by, id, reason, officerAction{
		name:  "attestation.reinstate",
		scope: func(q *gorm.DB, _ time.Time) *gorm.DB { return q.Where("suspended_at IS NOT NULL") },
		updates: func(time.Time, i18n.Text) map[string]any {
			return map[string]any{"suspended_at": nil, "suspension_reason": "", "suspension_reason_zh": ""}
		},
		status: edoc.StatusValid,
		refuse: func(r Row, _ time.Time) error {
			if r.State == stateRevoked {
				return errAlreadyRevoked
			}
			return errNotSuspended
		},
		notice: func(r Row, reason i18n.Text) (i18n.Text, i18n.Text) {
			return i18n.T("Your e-document "+r.DocumentNumber+" is in force again", "您的电子证明 "+r.DocumentNumber+" 已恢复使用"),
				i18n.T("The administration has lifted the suspension. Reason: "+reason.En, "主管机关已解除暂停。原因："+reason.Zh)
		},
	})
}

// RevokeAsOfficer withdraws an e-document for good, suspended or not; the
// holder is told why.
func (s *Service) RevokeAsOfficer(ctx context.Context, by audit.Actor, id string, reason i18n.Text) (Record, error) {
	return s.decide(ctx, by, id, reason, officerAction{
		name: "attestation.revoke",
		updates: func(now time.Time, reason i18n.Text) map[string]any {
			return map[string]any{"state": stateRevoked, "revoked_at": now,
				"revocation_reason": reason.En, "revocation_reason_zh": reason.Zh}
		},
		status: edoc.StatusInvalid,
		refuse: func(Row, time.Time) error { return errAlreadyRevoked },
		notice: func(r Row, reason i18n.Text) (i18n.Text, i18n.Text) {
			return i18n.T("Your e-document "+r.DocumentNumber+" has been revoked", "您的电子证明 "+r.DocumentNumber+" 已被撤销"),
				i18n.T("The administration has revoked the e-document; it no longer verifies. Reason: "+reason.En,
					"主管机关已撤销该电子证明，该证明不再能通过核验。原因："+reason.Zh)
		},
	})
}

// decide applies act to attestation id in one transaction: the row, its
// status list entry, a notice to the holder and the audit entry. The
// conditional UPDATE comes first, so it takes the row's write lock before
// anything is read and two officers cannot both act on the same state.
func (s *Service) decide(ctx context.Context, by audit.Actor, id string, reason i18n.Text, act officerAction) (Record, error) {
	reason, err := validReason(reason)
	if err != nil {
		return Record{}, err
	}
	now := s.clock.Now().UTC()
	var out Row
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Row{}).Where("id = ? AND state = ?", id, stateActive)
		if act.scope != nil {
			q = act.scope(q, now)
		}
		res := q.Updates(act.updates(now, reason))
		if res.Error != nil {
			return fmt.Errorf("attestations: %s: %w", act.name, res.Error)
		}
		var rows []Row
		if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
			return fmt.Errorf("attestations: %s: load: %w", act.name, err)
		}
		if len(rows) == 0 {
			return errRecordNotFound
		}
		out = rows[0]
		if res.RowsAffected == 0 {
			return act.refuse(out, now)
		}
		slot := issuer.StatusSlot{ListID: out.StatusListID, Index: out.StatusIdx}
		if err := statuslists.Set(tx, now, slot, act.status); err != nil {
			return err
		}
		subject, body := act.notice(out, reason)
		if _, err := notifications.Add(tx, now, notifications.Notification{PersonID: out.PersonID,
			Kind: act.name, Subject: subject, Body: body, Ref: out.ID}); err != nil {
			return err
		}
		after := summary(out)
		after["reason"] = reason
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: act.name, Entity: "attestation",
			EntityID: id, After: after})
	})
	if _, typed := apperr.As(err); err != nil && !typed {
		return Record{}, apperr.Internal("attestations: %s: %w", act.name, err)
	}
	if err != nil {
		return Record{}, err
	}
	if s.statusChanged != nil {
		s.statusChanged(out.StatusListID)
	}
	return out.record(s.clock.Now()), nil
}

// validReason trims an officer's reason and requires it in both
// languages, since the holder reads it in theirs.
func validReason(r i18n.Text) (i18n.Text, error) {
	r = i18n.T(strings.TrimSpace(r.En), strings.TrimSpace(r.Zh))
	ok := func(s string) bool {
		return s != "" && utf8.RuneCountInString(s) <= MaxReasonLength && utf8.ValidString(s)
	}
	switch {
	case !ok(r.En):
		return r, errReasonEn
	case !ok(r.Zh):
		return r, errReasonZh
	}
	return r, nil
}
