package registry

import (
	"context"
	"strings"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Proof is the document data a resident gives when asking for an
// enrolment code. It only names the person — it is printed on every
// e-document — and the code goes to the contact on record.
type Proof struct {
	PassportNumber string
	Nationality    string
	BirthDate      calendar.Date
	FPRCardNumber  string // required when the person holds a valid card
}

// ErrNoMatch is the one answer to every identity mismatch, whatever field
// was wrong, so that nobody can probe the registry field by field.
var ErrNoMatch = apperr.Invalid("identity_not_matched", "", i18n.T(
	"These details do not match a person with a valid passport in our registry.",
	"所填信息与登记簿中持有效护照的人员不符。"))

// MatchIdentity returns the ID of the person the proof describes: a person
// whose current passport has this number and is valid, with this
// nationality and birth date, and — when they hold a valid FPR card — that
// card's number. Anything else is ErrNoMatch.
func (s *Service) MatchIdentity(ctx context.Context, p Proof) (string, error) {
	db := s.db.Gorm.WithContext(ctx)
	var rows []passportRow
	number := strings.ToUpper(strings.TrimSpace(p.PassportNumber))
	if err := db.Where("number = ?", number).Limit(10).Find(&rows).Error; err != nil {
		return "", apperr.Internal("registry: match passport: %w", err)
	}
	today := s.today()
	for _, r := range rows {
		ok, err := s.proofHolds(ctx, r, p, today)
		if err != nil {
			return "", err
		}
		if ok {
			return r.PersonID, nil
		}
	}
	return "", ErrNoMatch
}

func (s *Service) proofHolds(ctx context.Context, pass passportRow, p Proof, today calendar.Date) (bool, error) {
	db := s.db.Gorm.WithContext(ctx)
	person, err := loadPerson(db, pass.PersonID)
	if err != nil {
		return false, err
	}
	current, _, err := currentPassport(db, pass.PersonID)
	if err != nil {
		return false, apperr.Internal("registry: match: %w", err)
	}
	if current.ID != pass.ID || current.passport(today).Status != StatusValid ||
		person.Nationality != canonical(strings.TrimSpace(p.Nationality)) || person.BirthDate != p.BirthDate.String() {
		return false, nil
	}
	card, hasCard, err := currentCard(db, pass.PersonID)
	if err != nil {
		return false, apperr.Internal("registry: match card: %w", err)
	}
	given := strings.ToUpper(strings.TrimSpace(p.FPRCardNumber))
	if hasCard && card.Status == StatusValid {
		return given == card.Number, nil
	}
	return given == "", nil
}
