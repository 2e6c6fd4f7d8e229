package registry

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
)

var errPersonNotFound = apperr.NotFound("person_not_found",
	i18n.T("There is no such person in the registry.", "登记簿中没有此人。"))

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", apperr.Internal("registry: id: %w", err)
	}
	return id.String(), nil
}

// CreatePerson adds a person without documents.
func (s *Service) CreatePerson(ctx context.Context, by audit.Actor, in PersonInput) (Person, error) {
	var f fieldErrors
	in, birth := in.normalize(s.today(), &f)
	if err := f.err(); err != nil {
		return Person{}, err
	}
	id, err := newID()
	if err != nil {
		return Person{}, err
	}
	now := s.clock.Now().UTC()
	row := personRow{ID: id, Surname: in.Surname, GivenNames: in.GivenNames, ChineseName: in.ChineseName,
		Sex: in.Sex, BirthDate: birth.String(), Nationality: in.Nationality, Mobile: in.Mobile, Email: in.Email,
		CreatedAt: now, UpdatedAt: now}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by, Action: "person.create", Entity: "person",
			EntityID: id, After: row.person()})
	})
	if err != nil {
		return Person{}, apperr.Internal("registry: create person: %w", err)
	}
	return row.person(), nil
}

// Person returns one person.
func (s *Service) Person(ctx context.Context, id string) (Person, error) {
	row, err := loadPerson(s.db.Gorm.WithContext(ctx), id)
	if err != nil {
		return Person{}, err
	}
	return row.person(), nil
}

func loadPerson(tx *gorm.DB, id string) (personRow, error) {
	var row personRow
	err := tx.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, errPersonNotFound
	}
	if err != nil {
		return row, apperr.Internal("registry: load person: %w", err)
	}
	return row, nil
}

// lockPerson loads a person for a change of their documents. On PostgreSQL
// the row lock serialises concurrent supersessions of the same person; a
// SQLite transaction already holds the database's write lock.
func (s *Service) lockPerson(tx *gorm.DB, id string) (personRow, error) {
	return loadPerson(storage.RowLock(tx, "UPDATE"), id)
}

// Persons lists persons in creation order, a page at a time.
func (s *Service) Persons(ctx context.Context, p paging.Request) (paging.Page[Person], error) {
	q := s.db.Gorm.WithContext(ctx)
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []personRow
	if err := q.Order("id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return paging.Page[Person]{}, apperr.Internal("registry: list persons: %w", err)
	}
	out := make([]Person, len(rows))
	for i, r := range rows {
		out[i] = r.person()
	}
	return paging.Build(out, p.Limit, func(x Person) string { return x.ID }), nil
}

// PersonPatch changes some fields of a person; nil fields stay as they are.
type PersonPatch struct {
	Surname, GivenNames, ChineseName, Sex, BirthDate, Nationality *string
	// Mobile and Email set the contact on record; "" clears one.
	Mobile, Email *string
}

func (pp PersonPatch) apply(p Person) PersonInput {
	in := PersonInput{Surname: p.Surname, GivenNames: p.GivenNames, ChineseName: p.ChineseName,
		Sex: p.Sex, BirthDate: p.BirthDate.String(), Nationality: p.Nationality, Mobile: p.Mobile, Email: p.Email}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Surname, pp.Surname)
	set(&in.GivenNames, pp.GivenNames)
	set(&in.ChineseName, pp.ChineseName)
	set(&in.Sex, pp.Sex)
	set(&in.BirthDate, pp.BirthDate)
	set(&in.Nationality, pp.Nationality)
	set(&in.Mobile, pp.Mobile)
	set(&in.Email, pp.Email)
	return in
}

// UpdatePerson corrects a person's data. The current FPR card number
// embeds nationality and birth date, so a change that would contradict a
// valid card is refused: the card has to be replaced first. What was
// signed on the old data is withdrawn in the same transaction (Hooks).
func (s *Service) UpdatePerson(ctx context.Context, by audit.Actor, id string, patch PersonPatch) (Person, error) {
	var out Person
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockPerson(tx, id)
		if err != nil {
			return err
		}
		before := row.person()
		var f fieldErrors
		in, birth := patch.apply(before).normalize(s.today(), &f)
		if err := f.err(); err != nil {
			return err
		}
		after := before
		after.Surname, after.GivenNames, after.ChineseName = in.Surname, in.GivenNames, in.ChineseName
		after.Sex, after.BirthDate, after.Nationality = in.Sex, birth, in.Nationality
		after.Mobile, after.Email = in.Mobile, in.Email
		if err := s.checkCardAgrees(tx, after); err != nil {
			return err
		}
		if after == before {
			out = before
			return nil
		}
		after.UpdatedAt = s.clock.Now().UTC()
		out = after
		if err := s.savePerson(tx, by, before, after); err != nil {
			return err
		}
		return s.hooks.changed(tx, after.UpdatedAt, by, []Change{personChanged(before, after)})
	})
	return out, wrapInternal(err, "update person")
}

func (s *Service) savePerson(tx *gorm.DB, by audit.Actor, before, after Person) error {
	err := tx.Model(&personRow{}).Where("id = ?", after.ID).Updates(map[string]any{
		"surname": after.Surname, "given_names": after.GivenNames, "chinese_name": after.ChineseName,
		"sex": after.Sex, "birth_date": after.BirthDate.String(), "nationality": after.Nationality,
		"mobile": after.Mobile, "email": after.Email, "updated_at": after.UpdatedAt,
	}).Error
	if err != nil {
		return err
	}
	return audit.Write(tx, after.UpdatedAt, audit.Entry{Actor: by, Action: "person.update", Entity: "person",
		EntityID: after.ID, Before: before, After: after})
}

// personChanged is the change of a person's data from before to after.
func personChanged(before, after Person) Change {
	return Change{PersonID: after.ID, Reason: ChangePersonData, Fields: changedFields(before, after)}
}

var msgCardDisagrees = i18n.T(
	"The change contradicts the nationality or birth date in the person's valid FPR card; replace the card first.",
	"此修改与持有的有效永久居留身份证号码中的国籍或出生日期矛盾，请先换发证件。")

func (s *Service) checkCardAgrees(tx *gorm.DB, p Person) error {
	card, ok, err := currentCard(tx, p.ID)
	if err != nil || !ok {
		return err
	}
	if cardDisagrees(card, p, s.today()) != "" {
		return apperr.Conflict("fpr_card_disagrees", msgCardDisagrees)
	}
	return nil
}

// cardDisagrees names the field of p that contradicts card, when card is
// valid and its number encodes another nationality or birth date; it is
// empty when they agree.
func cardDisagrees(card cardRow, p Person, today calendar.Date) string {
	if card.Status != StatusValid {
		return ""
	}
	n, err := docnum.ParseFPR(card.Number, today)
	if err == nil {
		err = n.AgreesWith(p.Nationality, p.BirthDate)
	}
	switch {
	case err == nil:
		return ""
	case apperr.Is(err, "fpr_birth_mismatch"):
		return "birth_date"
	default:
		return "nationality"
	}
}

// wrapInternal keeps typed errors and marks anything else internal.
func wrapInternal(err error, what string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return apperr.Internal("registry: %s: %w", what, err)
}
