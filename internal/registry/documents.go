package registry

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
)

var (
	errNoPassport = apperr.NotFound("passport_not_found",
		i18n.T("No such passport is on record.", "没有此护照的记录。"))
	errNoCard = apperr.NotFound("fpr_card_not_found",
		i18n.T("No such FPR card is on record.", "没有此永久居留身份证的记录。"))
	errPassportExists = apperr.Conflict("passport_exists",
		i18n.T("A passport with this number and issuing state is already on record.", "该签发国的此护照号码已有记录。"))
	errCardExists = apperr.Conflict("fpr_card_exists",
		i18n.T("An FPR card with this number is already on record for this person; record its renewal or replacement instead.",
			"此人已登记该号码的永久居留身份证，请改为登记换发或补发。"))
	errCardElsewhere = apperr.Conflict("fpr_card_elsewhere", msgCardElsewhere)
	errNotActive     = apperr.Conflict("document_not_active",
		i18n.T("Only a valid document can be marked lost, stolen or cancelled.", "只有有效的证件才能标记为遗失、被盗或注销。"))
	errBadPassportStatus = apperr.Invalid("invalid_status", "status",
		i18n.T("A passport can be marked lost or stolen.", "护照可标记为遗失或被盗。"))
	errBadCardStatus = apperr.Invalid("invalid_status", "status",
		i18n.T("An FPR card can be marked lost, stolen or cancelled.", "永久居留身份证可标记为遗失、被盗或注销。"))
)

// AddPassport records a new passport for a person. The previous current
// passport, if still valid or expired, becomes replaced; it is kept.
func (s *Service) AddPassport(ctx context.Context, by audit.Actor, personID string, in PassportInput) (Passport, error) {
	var out Passport
	today := s.today()
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		prow, err := s.lockPerson(tx, personID)
		if err != nil {
			return err
		}
		f := fieldErrors{}
		in = in.check(prow.person(), today, &f)
		if err := f.err(); err != nil {
			return err
		}
		row, prev, err := s.insertPassport(tx, by, personID, in)
		out = row.passport(today)
		if err != nil || prev == nil {
			return err
		}
		return s.hooks.changed(tx, row.CreatedAt, by, []Change{{PersonID: personID,
			Reason: ChangePassportReplaced, PassportNumber: prev.Number}})
	})
	return out, wrapInternal(err, "add passport")
}

// insertPassport stores the passport and supersedes the person's current
// one, which it returns (nil when there was none).
func (s *Service) insertPassport(tx *gorm.DB, by audit.Actor, personID string, in PassportInput) (passportRow, *passportRow, error) {
	now := s.clock.Now().UTC()
	id, err := newID()
	if err != nil {
		return passportRow{}, nil, err
	}
	row := passportRow{ID: id, PersonID: personID, Number: in.Number, IssuingState: in.IssuingState,
		IssueDate: in.IssueDate, ExpiryDate: in.ExpiryDate, Status: StatusValid, MRZ: ptr(in.MRZ),
		CreatedAt: now, UpdatedAt: now}
	prev, ok, err := currentPassport(tx, personID)
	if err != nil {
		return row, nil, err
	}
	if ok {
		row.ReplacesID = &prev.ID
		if prev.Status == StatusValid || prev.Status == StatusExpired {
			if err := setStatus(tx, "passports", prev.ID, StatusReplaced, now); err != nil {
				return row, nil, err
			}
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return row, nil, errPassportExists
		}
		return row, nil, err
	}
	err = audit.Write(tx, now, audit.Entry{Actor: by, Action: "passport.add", Entity: "person",
		EntityID: personID, Before: prevOrNil(ok, prev), After: row})
	if err == nil && in.NameMismatchReason != "" {
		err = audit.Write(tx, now, audit.Entry{Actor: by, Action: "passport.name_mismatch_accepted", Entity: "person",
			EntityID: personID, After: map[string]string{"passport_id": row.ID, "reason": in.NameMismatchReason}})
	}
	if !ok {
		return row, nil, err
	}
	return row, &prev, err
}

// AddFPRCard records a new FPR card for a person, superseding the current
// one and linking to it. The number must not be on record: a new issue of
// a number the person holds is a renewal or a replacement.
func (s *Service) AddFPRCard(ctx context.Context, by audit.Actor, personID string, in FPRCardInput) (FPRCard, error) {
	var out FPRCard
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		prow, err := s.lockPerson(tx, personID)
		if err != nil {
			return err
		}
		f := fieldErrors{}
		in, version := in.check(prow.person(), s.today(), &f)
		if err := f.err(); err != nil {
			return err
		}
		if err := numberFree(tx, personID, in.Number); err != nil {
			return err
		}
		prev, ok, err := currentCard(tx, personID)
		if err != nil {
			return err
		}
		row, err := s.newCard(personID, in, version, IssueFirst)
		if err != nil {
			return err
		}
		if ok {
			row.ReplacesID = &prev.ID
		}
		if err := s.supersede(tx, prev, ok, StatusReplaced, row); err != nil {
			return err
		}
		out = row.card()
		if err := audit.Write(tx, row.CreatedAt, audit.Entry{Actor: by, Action: "fpr_card.add", Entity: "person",
			EntityID: personID, Before: prevOrNil(ok, prev), After: row}); err != nil || !ok {
			return err
		}
		return s.hooks.changed(tx, row.CreatedAt, by, []Change{{PersonID: personID,
			Reason: ChangeCardReplaced, CardNumber: prev.Number}})
	})
	return out, wrapInternal(err, "add fpr card")
}

// numberFree refuses a card number already on record: for the same person
// its new issues are renewals or replacements, and a number is one
// person's for life.
func numberFree(tx *gorm.DB, personID, number string) error {
	var rows []cardRow
	if err := tx.Where("number = ?", number).Limit(1).Find(&rows).Error; err != nil {
		return err
	}
	switch {
	case len(rows) == 0:
		return nil
	case rows[0].PersonID != personID:
		return errCardElsewhere
	}
	return errCardExists
}

// newCard is a new issue of a card, valid, not yet linked to the one it
// supersedes.
func (s *Service) newCard(personID string, in FPRCardInput, version int, reason string) (cardRow, error) {
	id, err := newID()
	now := s.clock.Now().UTC()
	return cardRow{ID: id, PersonID: personID, Number: in.Number, Version: version, IssueNo: 1, IssueReason: reason,
		IssueDate: in.IssueDate, ExpiryDate: in.ExpiryDate, Status: StatusValid, PrintedName: in.PrintedName,
		CreatedAt: now, UpdatedAt: now}, err
}

// supersede gives prev (when ok), if still valid, status prevStatus and
// stores row, the issue that follows it.
func (s *Service) supersede(tx *gorm.DB, prev cardRow, ok bool, prevStatus string, row cardRow) error {
	if ok && prev.Status == StatusValid {
		if err := setStatus(tx, "fpr_cards", prev.ID, prevStatus, row.CreatedAt); err != nil {
			return err
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return errCardExists
		}
		return err
	}
	return nil
}

func prevOrNil[T any](ok bool, v T) any {
	if !ok {
		return nil
	}
	return v
}

// MarkPassport marks a valid or expired passport lost or stolen; the
// e-documents carrying it are withdrawn in the same transaction (Hooks).
func (s *Service) MarkPassport(ctx context.Context, by audit.Actor, id, status string) (Passport, error) {
	if status != StatusLost && status != StatusStolen {
		return Passport{}, errBadPassportStatus
	}
	var row passportRow
	// An expired passport can still be reported lost.
	err := s.mark(ctx, by, marking{table: "passports", id: id, status: status, dst: &row, notFound: errNoPassport,
		inForce: []string{StatusValid, StatusExpired},
		loaded:  func() (string, string, *string) { return row.PersonID, row.Number, &row.Status }})
	return row.passport(s.today()), err
}

// MarkFPRCard marks a valid FPR card issue lost, stolen or cancelled; the
// e-documents carrying it are withdrawn in the same transaction (Hooks).
func (s *Service) MarkFPRCard(ctx context.Context, by audit.Actor, id, status string) (FPRCard, error) {
	if status != StatusLost && status != StatusStolen && status != StatusCancelled {
		return FPRCard{}, errBadCardStatus
	}
	var row cardRow
	err := s.mark(ctx, by, marking{table: "fpr_cards", id: id, status: status, dst: &row, notFound: errNoCard,
		inForce: []string{StatusValid},
		loaded:  func() (string, string, *string) { return row.PersonID, row.Number, &row.Status }})
	return row.card(), err
}

// marking is one document to mark: its table and id, the status to give
// it, the row to load it into (notFound when there is none), the statuses
// it may be marked from, and loaded, which gives the loaded row's person,
// number and status field.
type marking struct {
	table, id, status string
	dst               any
	notFound          error
	inForce           []string
	loaded            func() (personID, number string, status *string)
}

// mark sets a document's status, in the table and in the loaded row, with
// an audit row, and runs the hooks. The UPDATE names the statuses it may
// change, so a document superseded or marked meanwhile is refused rather
// than marked twice.
func (s *Service) mark(ctx context.Context, by audit.Actor, m marking) error {
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Table(m.table).Where("id = ?", m.id).Take(m.dst).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return m.notFound
		}
		if err != nil {
			return err
		}
		personID, number, field := m.loaded()
		current := *field
		now := s.clock.Now().UTC()
		res := tx.Table(m.table).Where("id = ? AND status IN ?", m.id, m.inForce).
			Updates(map[string]any{"status": m.status, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errNotActive
		}
		*field = m.status
		if err := audit.Write(tx, now, audit.Entry{Actor: by, Action: m.table + ".mark_" + m.status, Entity: "person",
			EntityID: personID, Before: map[string]string{"id": m.id, "status": current},
			After: map[string]string{"id": m.id, "status": m.status}}); err != nil {
			return err
		}
		ch := Change{PersonID: personID, Reason: statusChange(m.table, m.status)}
		if m.table == "passports" {
			ch.PassportNumber = number
		} else {
			ch.CardNumber = number
		}
		return s.hooks.changed(tx, now, by, []Change{ch})
	})
	return wrapInternal(err, "mark document")
}

func setStatus(tx *gorm.DB, table, id, status string, now any) error {
	return tx.Table(table).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": now}).Error
}
