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
		i18n.T("An FPR card with this number is already on record.", "此永久居留身份证号码已有记录。"))
	errNotActive = apperr.Conflict("document_not_active",
		i18n.T("Only a valid document can be marked lost or cancelled.", "只有有效的证件才能标记为遗失或注销。"))
	errBadStatus = apperr.Invalid("invalid_status", "status",
		i18n.T("A passport can be marked lost; an FPR card lost or cancelled.", "护照可标记为遗失；永久居留身份证可标记为遗失或注销。"))
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
		row, err := s.insertPassport(tx, by, personID, in)
		out = row.passport(today)
		return err
	})
	return out, wrapInternal(err, "add passport")
}

func (s *Service) insertPassport(tx *gorm.DB, by audit.Actor, personID string, in PassportInput) (passportRow, error) {
	now := s.clock.Now().UTC()
	id, err := newID()
	if err != nil {
		return passportRow{}, err
	}
	row := passportRow{ID: id, PersonID: personID, Number: in.Number, IssuingState: in.IssuingState,
		IssueDate: in.IssueDate, ExpiryDate: in.ExpiryDate, Status: StatusValid, MRZ: ptr(in.MRZ),
		CreatedAt: now, UpdatedAt: now}
	prev, ok, err := currentPassport(tx, personID)
	if err != nil {
		return row, err
	}
	if ok {
		row.ReplacesID = &prev.ID
		if prev.Status == StatusValid || prev.Status == StatusExpired {
			if err := setStatus(tx, "passports", prev.ID, StatusReplaced, now); err != nil {
				return row, err
			}
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return row, errPassportExists
		}
		return row, err
	}
	return row, audit.Write(tx, now, audit.Entry{Actor: by, Action: "passport.add", Entity: "person",
		EntityID: personID, Before: prevOrNil(ok, prev), After: row})
}

// AddFPRCard records a new FPR card for a person, superseding the current
// one and linking to it.
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
		row, err := s.insertCard(tx, by, personID, in, version)
		out = row.card()
		return err
	})
	return out, wrapInternal(err, "add fpr card")
}

func (s *Service) insertCard(tx *gorm.DB, by audit.Actor, personID string, in FPRCardInput, version int) (cardRow, error) {
	now := s.clock.Now().UTC()
	id, err := newID()
	if err != nil {
		return cardRow{}, err
	}
	row := cardRow{ID: id, PersonID: personID, Number: in.Number, Version: version,
		IssueDate: in.IssueDate, ExpiryDate: in.ExpiryDate, Status: StatusValid, PrintedName: in.PrintedName,
		CreatedAt: now, UpdatedAt: now}
	prev, ok, err := currentCard(tx, personID)
	if err != nil {
		return row, err
	}
	if ok {
		row.ReplacesID = &prev.ID
		if prev.Status == StatusValid {
			if err := setStatus(tx, "fpr_cards", prev.ID, StatusReplaced, now); err != nil {
				return row, err
			}
		}
	}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return row, errCardExists
		}
		return row, err
	}
	return row, audit.Write(tx, now, audit.Entry{Actor: by, Action: "fpr_card.add", Entity: "person",
		EntityID: personID, Before: prevOrNil(ok, prev), After: row})
}

func prevOrNil[T any](ok bool, v T) any {
	if !ok {
		return nil
	}
	return v
}

// MarkPassport marks a valid passport lost.
func (s *Service) MarkPassport(ctx context.Context, by audit.Actor, id, status string) (Passport, error) {
	if status != StatusLost {
		return Passport{}, errBadStatus
	}
	var row passportRow
	// An expired passport can still be reported lost.
	err := s.mark(ctx, by, "passports", id, status, &row, errNoPassport, StatusExpired,
		func() (string, *string) { return row.PersonID, &row.Status })
	return row.passport(s.today()), err
}

// MarkFPRCard marks a valid FPR card lost or cancelled.
func (s *Service) MarkFPRCard(ctx context.Context, by audit.Actor, id, status string) (FPRCard, error) {
	if status != StatusLost && status != StatusCancelled {
		return FPRCard{}, errBadStatus
	}
	var row cardRow
	err := s.mark(ctx, by, "fpr_cards", id, status, &row, errNoCard, "",
		func() (string, *string) { return row.PersonID, &row.Status })
	return row.card(), err
}

// mark loads the document into dst (notFound when there is none), checks
// it is in force (valid, or alsoInForce when that is set), and sets its
// status, in the table and in dst, with an audit row. fields gives the
// loaded row's person and its status field.
func (s *Service) mark(ctx context.Context, by audit.Actor, table, id, status string, dst any, notFound error, alsoInForce string,
	fields func() (string, *string)) error {
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Table(table).Where("id = ?", id).Take(dst).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return notFound
		}
		if err != nil {
			return err
		}
		personID, field := fields()
		current := *field
		if current != StatusValid && (alsoInForce == "" || current != alsoInForce) {
			return errNotActive
		}
		now := s.clock.Now().UTC()
		if err := setStatus(tx, table, id, status, now); err != nil {
			return err
		}
		*field = status
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: table + ".mark_" + status, Entity: "person",
			EntityID: personID, Before: map[string]string{"id": id, "status": current},
			After: map[string]string{"id": id, "status": status}})
	})
	return wrapInternal(err, "mark document")
}

func setStatus(tx *gorm.DB, table, id, status string, now any) error {
	return tx.Table(table).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": now}).Error
}
