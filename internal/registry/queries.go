package registry

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
)

// currentPassport is the person's most recently added passport. IDs are
// UUIDv7, so the greatest ID is the newest row.
func currentPassport(tx *gorm.DB, personID string) (passportRow, bool, error) {
	var row passportRow
	err := tx.Where("person_id = ?", personID).Order("id DESC").Take(&row).Error
	return row, err == nil, ignoreNotFound(err)
}

func currentCard(tx *gorm.DB, personID string) (cardRow, bool, error) {
	var row cardRow
	err := tx.Where("person_id = ?", personID).Order("id DESC").Take(&row).Error
	return row, err == nil, ignoreNotFound(err)
}

func ignoreNotFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

// CurrentPassport returns the person's newest passport with its effective
// status, which may be expired or lost: the caller decides what that means.
func (s *Service) CurrentPassport(ctx context.Context, personID string) (Passport, error) {
	row, ok, err := currentPassport(s.db.Gorm.WithContext(ctx), personID)
	if err != nil {
		return Passport{}, apperr.Internal("registry: current passport: %w", err)
	}
	if !ok {
		return Passport{}, errNoPassport
	}
	return row.passport(s.today()), nil
}

// CurrentFPRCard returns the person's newest FPR card issue with the
// numbers of the earlier cards it replaced, most recent first: the earlier
// issues of its own number are not other cards.
func (s *Service) CurrentFPRCard(ctx context.Context, personID string) (FPRCard, error) {
	var rows []cardRow
	err := s.db.Gorm.WithContext(ctx).Where("person_id = ?", personID).Order("id DESC").Find(&rows).Error
	if err != nil {
		return FPRCard{}, apperr.Internal("registry: current card: %w", err)
	}
	if len(rows) == 0 {
		return FPRCard{}, errNoCard
	}
	byID := make(map[string]cardRow, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	card := rows[0].card()
	card.Replaced = []string{}
	// Follow the replaces links rather than list every card: the chain is
	// what the current card superseded. A bound stops a corrupt cycle.
	for next, i := card.ReplacesID, 0; next != "" && i < len(rows); i++ {
		prev, ok := byID[next]
		if !ok {
			break
		}
		if prev.Number != card.Number && !slices.Contains(card.Replaced, prev.Number) {
			card.Replaced = append(card.Replaced, prev.Number)
		}
		next = deref(prev.ReplacesID)
	}
	return card, nil
}

// Record returns a person with every passport and card, newest first.
func (s *Service) Record(ctx context.Context, personID string) (Record, error) {
	db := s.db.Gorm.WithContext(ctx)
	prow, err := loadPerson(db, personID)
	if err != nil {
		return Record{}, err
	}
	var prows []passportRow
	var crows []cardRow
	if err := db.Where("person_id = ?", personID).Order("id DESC").Find(&prows).Error; err != nil {
		return Record{}, apperr.Internal("registry: passports: %w", err)
	}
	if err := db.Where("person_id = ?", personID).Order("id DESC").Find(&crows).Error; err != nil {
		return Record{}, apperr.Internal("registry: cards: %w", err)
	}
	rec := Record{Person: prow.person(), Passports: make([]Passport, len(prows)), FPRCards: make([]FPRCard, len(crows))}
	today := s.today()
	for i, r := range prows {
		rec.Passports[i] = r.passport(today)
	}
	for i, r := range crows {
		rec.FPRCards[i] = r.card()
	}
	return rec, nil
}

// PersonByPassport finds the holder of a passport on record.
func (s *Service) PersonByPassport(ctx context.Context, issuingState, number string) (Person, error) {
	var pass passportRow
	err := s.db.Gorm.WithContext(ctx).Where("issuing_state = ? AND number = ?", canonical(issuingState), number).Take(&pass).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Person{}, errNoPassport
	}
	if err != nil {
		return Person{}, apperr.Internal("registry: person by passport: %w", err)
	}
	return s.Person(ctx, pass.PersonID)
}

// IsEmpty reports whether the registry holds no person at all.
func (s *Service) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.Gorm.WithContext(ctx).Model(&personRow{}).Limit(1).Count(&n).Error; err != nil {
		return false, apperr.Internal("registry: count: %w", err)
	}
	return n == 0, nil
}

// Holdings is a person's passports and FPR cards, newest first, with the
// fields a document check needs (number, effective status, dates).
type Holdings struct {
	Passports []Passport
	FPRCards  []FPRCard
}

// holdingRow is one passport or card as HoldingsOf reads it.
type holdingRow struct {
	Kind       string
	ID         string
	PersonID   string
	Number     string
	Status     string
	IssueDate  string
	ExpiryDate string
}

// HoldingsOf returns the passports and cards of each person in one query,
// however many persons are asked for (at most batchSize per query). A
// person holding nothing, or unknown, is absent from the map. It is the
// verify API's live registry check, so it reads only what that needs.
func (s *Service) HoldingsOf(ctx context.Context, personIDs []string) (map[string]Holdings, error) {
	out := make(map[string]Holdings, len(personIDs))
	today := s.today()
	db := s.db.Gorm.WithContext(ctx)
	err := chunked(slices.Compact(slices.Sorted(slices.Values(personIDs))), func(ids []string) error {
		var rows []holdingRow
		err := db.Raw(`SELECT 'passport' AS kind, id, person_id, number, status, issue_date, expiry_date
			FROM passports WHERE person_id IN ?
			UNION ALL
			SELECT 'fpr_card' AS kind, id, person_id, number, status, issue_date, expiry_date
			FROM fpr_cards WHERE person_id IN ?
			ORDER BY id DESC`, ids, ids).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			h := out[r.PersonID]
			if r.Kind == "passport" {
				h.Passports = append(h.Passports, passportRow{ID: r.ID, PersonID: r.PersonID, Number: r.Number,
					IssueDate: r.IssueDate, ExpiryDate: r.ExpiryDate, Status: r.Status}.passport(today))
			} else {
				h.FPRCards = append(h.FPRCards, cardRow{ID: r.ID, PersonID: r.PersonID, Number: r.Number,
					IssueDate: r.IssueDate, ExpiryDate: r.ExpiryDate, Status: r.Status}.card())
			}
			out[r.PersonID] = h
		}
		return nil
	})
	if err != nil {
		return nil, apperr.Internal("registry: holdings: %w", err)
	}
	return out, nil
}
