package registry

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// onRecord is what the database already holds for the lines of an import.
type onRecord struct {
	passports map[string]passportRow // by issuing state + "/" + number
	cards     map[string][]cardRow   // every issue of each number, by number
	persons   map[string]personRow
	current   map[string]cardRow // newest card by person ID
}

// planImport decides, line by line, what to write. It reads in bulk (a few
// IN queries per 500 lines) rather than per line, which is what makes a
// 10,000-line file quick.
func (s *Service) planImport(tx *gorm.DB, lines []parsedLine) (*importPlan, error) {
	rec, err := loadOnRecord(tx, lines)
	if err != nil {
		return nil, err
	}
	plan := &importPlan{now: s.clock.Now().UTC()}
	for _, l := range lines {
		var err error
		if pass, ok := rec.passports[l.passport.IssuingState+"/"+l.passport.Number]; ok {
			err = s.planExisting(plan, rec, l, pass)
		} else {
			err = s.planNew(plan, rec, l)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(plan.lineErrors) > 0 {
		return nil, importError(plan.lineErrors)
	}
	return plan, nil
}

func loadOnRecord(tx *gorm.DB, lines []parsedLine) (*onRecord, error) {
	rec := &onRecord{passports: map[string]passportRow{}, cards: map[string][]cardRow{},
		persons: map[string]personRow{}, current: map[string]cardRow{}}
	var numbers, cardNumbers []string
	for _, l := range lines {
		numbers = append(numbers, l.passport.Number)
		if l.card != nil {
			cardNumbers = append(cardNumbers, l.card.Number)
		}
	}
	err := chunked(numbers, func(part []string) error {
		var rows []passportRow
		if err := tx.Where("number IN ?", part).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			rec.passports[r.IssuingState+"/"+r.Number] = r
		}
		return nil
	})
	if err == nil {
		err = chunked(cardNumbers, func(part []string) error {
			var rows []cardRow
			if err := tx.Where("number IN ?", part).Find(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				rec.cards[r.Number] = append(rec.cards[r.Number], r)
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	return rec, rec.loadPersons(tx)
}

// loadPersons fetches the persons of the passports on record and their
// newest cards.
func (rec *onRecord) loadPersons(tx *gorm.DB) error {
	ids := make([]string, 0, len(rec.passports))
	for _, p := range rec.passports {
		ids = append(ids, p.PersonID)
	}
	return chunked(ids, func(part []string) error {
		var persons []personRow
		if err := tx.Where("id IN ?", part).Find(&persons).Error; err != nil {
			return err
		}
		for _, p := range persons {
			rec.persons[p.ID] = p
		}
		var cards []cardRow
		if err := tx.Where("person_id IN ?", part).Order("id").Find(&cards).Error; err != nil {
			return err
		}
		for _, c := range cards {
			rec.current[c.PersonID] = c // ordered by id: the last one wins
		}
		return nil
	})
}

func chunked(keys []string, fn func([]string) error) error {
	for i := 0; i < len(keys); i += batchSize {
		if err := fn(keys[i:min(i+batchSize, len(keys))]); err != nil {
			return err
		}
	}
	return nil
}

func (p *importPlan) lineError(no int, field, code string, msg i18n.Text) {
	p.lineErrors = append(p.lineErrors, apperr.FieldError{Field: fmt.Sprintf("line %d: %s", no, field), Code: code, Message: msg})
}

var msgCardElsewhere = i18n.T("This FPR card number is on record for another person.", "此永久居留身份证号码已登记在他人名下。")

func (s *Service) planNew(plan *importPlan, rec *onRecord, l parsedLine) error {
	if l.card != nil {
		if len(rec.cards[l.card.Number]) > 0 {
			plan.lineError(l.no, "fpr_card.number", "fpr_card_elsewhere", msgCardElsewhere)
			return nil
		}
	}
	ids, err := newIDs(3)
	if err != nil {
		return err
	}
	now := plan.now
	person := personRow{ID: ids[0], Surname: l.person.Surname, GivenNames: l.person.GivenNames,
		ChineseName: l.person.ChineseName, Sex: l.person.Sex, BirthDate: l.birth.String(),
		Nationality: l.person.Nationality, Mobile: l.person.Mobile, Email: l.person.Email, CreatedAt: now, UpdatedAt: now}
	pass := passportRow{ID: ids[1], PersonID: person.ID, Number: l.passport.Number, IssuingState: l.passport.IssuingState,
		IssueDate: l.passport.IssueDate, ExpiryDate: l.passport.ExpiryDate, Status: StatusValid,
		MRZ: ptr(l.passport.MRZ), CreatedAt: now, UpdatedAt: now}
	plan.persons, plan.passports = append(plan.persons, person), append(plan.passports, pass)
	after := map[string]any{"person": person.person(), "passport": pass}
	if l.card != nil {
		card := newCardRow(ids[2], person.ID, l, now, nil, 1)
		plan.cards = append(plan.cards, card)
		after["fpr_card"] = card
	}
	ev, err := importAudit(now, "person.import", person.ID, nil, after)
	plan.audits = append(plan.audits, ev)
	return err
}

func newCardRow(id, personID string, l parsedLine, now time.Time, replaces *string, issueNo int) cardRow {
	reason := l.reason
	if reason == "" {
		reason = IssueFirst
	}
	return cardRow{ID: id, PersonID: personID, Number: l.card.Number, Version: l.version, IssueNo: issueNo,
		IssueReason: reason, IssueDate: l.card.IssueDate, ExpiryDate: l.card.ExpiryDate, Status: StatusValid,
		PrintedName: l.card.PrintedName, ReplacesID: replaces, CreatedAt: now, UpdatedAt: now}
}

func newIDs(n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		id, err := newID()
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// planExisting handles a line whose passport is on record: the passport
// must say the same, the person's data are corrected if they differ, and a
// card not yet on record supersedes the person's newest card. As when an
// officer edits the person, a correction that contradicts the person's
// valid card is refused, unless the line brings the card that replaces it.
func (s *Service) planExisting(plan *importPlan, rec *onRecord, l parsedLine, pass passportRow) error {
	if pass.IssueDate != l.passport.IssueDate || pass.ExpiryDate != l.passport.ExpiryDate {
		plan.lineError(l.no, "passport.number", "passport_conflict", i18n.T(
			"This passport is on record with other dates; correct it through the registry API.",
			"此护照已登记但日期不同，请通过登记簿接口更正。"))
		return nil
	}
	before := rec.persons[pass.PersonID].person()
	after := before
	after.Surname, after.GivenNames, after.ChineseName = l.person.Surname, l.person.GivenNames, l.person.ChineseName
	after.Sex, after.BirthDate, after.Nationality = l.person.Sex, l.birth, l.person.Nationality
	after.Mobile, after.Email = l.person.Mobile, l.person.Email
	changed := after != before
	if changed && !bringsNewCard(rec, l) {
		if field := cardDisagrees(rec.current[pass.PersonID], after, calendar.LocalDate(plan.now)); field != "" {
			plan.lineError(l.no, field, "fpr_card_disagrees", msgCardDisagrees)
			return nil
		}
	}
	if changed {
		plan.updates = append(plan.updates, personUpdate{before: before, after: after})
		plan.changes = append(plan.changes, personChanged(before, after))
	}
	if l.card != nil {
		added, err := s.planCard(plan, rec, l, pass.PersonID)
		if err != nil {
			return err
		}
		changed = changed || added
	}
	if changed {
		plan.changed++
	}
	return nil
}

// bringsNewCard says whether line l adds a card not yet on record, which
// then becomes the person's current one; parsing checked it against the
// line's nationality and birth date.
func bringsNewCard(rec *onRecord, l parsedLine) bool {
	return l.card != nil && len(rec.cards[l.card.Number]) == 0
}

// planCard handles the card of a line whose person is on record. A card
// on record with these dates changes nothing; a number not on record is a
// new card, and a number on record with other dates a new issue of the
// person's current card. Either supersedes the person's current card.
func (s *Service) planCard(plan *importPlan, rec *onRecord, l parsedLine, personID string) (bool, error) {
	issues := rec.cards[l.card.Number]
	if len(issues) > 0 && issues[0].PersonID != personID {
		plan.lineError(l.no, "fpr_card.number", "fpr_card_elsewhere", msgCardElsewhere)
		return false, nil
	}
	for _, c := range issues {
		if c.IssueDate == l.card.IssueDate && c.ExpiryDate == l.card.ExpiryDate {
			return false, nil // already on record for this person: nothing to do
		}
	}
	cur, hasCur := rec.current[personID]
	issueNo := 1
	if len(issues) > 0 {
		if !s.planReissue(plan, l, cur, hasCur) {
			return false, nil
		}
		for _, c := range issues {
			issueNo = max(issueNo, c.IssueNo+1)
		}
	}
	id, err := newID()
	if err != nil {
		return false, err
	}
	var replaces *string
	var before any
	if hasCur {
		replaces, before = &cur.ID, cur
		if cur.Status == StatusValid {
			plan.replaced = append(plan.replaced, cur.ID)
		}
		reason := ChangeCardReplaced
		if l.reason == IssueRenewal {
			reason = ChangeCardRenewed
		}
		plan.changes = append(plan.changes, Change{PersonID: personID, Reason: reason, CardNumber: cur.Number})
	}
	card := newCardRow(id, personID, l, plan.now, replaces, issueNo)
	plan.cards = append(plan.cards, card)
	ev, err := importAudit(plan.now, "fpr_card.import", personID, before, card)
	plan.audits = append(plan.audits, ev)
	return true, err
}

// planReissue checks a line that brings a new issue of a number on
// record: it must say why, be of the person's current card, follow an
// issue that may be renewed or replaced, and not be dated before it. It
// reports whether the line passed.
func (s *Service) planReissue(plan *importPlan, l parsedLine, cur cardRow, hasCur bool) bool {
	errs := len(plan.lineErrors)
	switch {
	case l.reason == "":
		plan.lineError(l.no, "fpr_card.reason", "reissue_reason_required", i18n.T(
			"This card number is on record with other dates: say whether this is its renewal or its replacement.",
			"此证件号码已登记但日期不同，请注明是期满换发还是补换发。"))
	case !hasCur || cur.Number != l.card.Number:
		plan.lineError(l.no, "fpr_card.number", "fpr_card_not_current", errNotCurrent.Message)
	default:
		if _, err := reissuedStatus(cur, l.reason, ""); err != nil {
			e, _ := apperr.As(err)
			plan.lineError(l.no, "fpr_card.number", e.Code, e.Message)
		} else if l.card.IssueDate < cur.IssueDate {
			plan.lineError(l.no, "fpr_card.issue_date", "fpr_issue_before_previous", i18n.T(
				"The new issue cannot be dated before the card it succeeds ("+cur.IssueDate+").",
				"新证签发日期不能早于其所接替证件的签发日期（"+cur.IssueDate+"）。"))
		}
	}
	return len(plan.lineErrors) == errs
}
