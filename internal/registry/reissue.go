package registry

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
)

// ReissueInput is a new issue of a person's current FPR card: a renewal on
// expiry or a replacement. A 2023 card keeps its number for life, so its
// new issue carries the same number (Number may be left empty). A 2017
// card is renewed or replaced by a 2023 card, whose new number Number
// gives; the new card stays linked to the old one.
type ReissueInput struct {
	Number     string
	IssueDate  string
	ExpiryDate string
	// Cause is why a replacement is needed (CauseLost, CauseStolen,
	// CauseDamaged); a renewal has none.
	Cause string
	// PrintedName is the name as printed on the new card where it differs
	// from the MRZ name; left empty, the previous issue's is kept.
	PrintedName string
}

// Causes of a replacement.
const (
	CauseLost    = "lost"
	CauseStolen  = "stolen"
	CauseDamaged = "damaged"
)

var (
	errNotCurrent = apperr.Conflict("fpr_card_not_current", i18n.T(
		"Only the person's current card can be renewed or replaced; this one has been superseded.",
		"只能为持证人当前的证件办理换发或补发，此证件已被取代。"))
	errCancelledCard = apperr.Conflict("fpr_card_cancelled", i18n.T(
		"A cancelled card is neither renewed nor replaced.", "已注销的证件不予换发或补发。"))
	errMissingCard = apperr.Conflict("fpr_card_reported_missing", i18n.T(
		"The card is reported lost or stolen: it is replaced, not renewed, and not as damaged.",
		"该证件已登记遗失或被盗，应办理补发，不能办理期满换发或按损坏换发。"))
	errBadCause = apperr.Invalid("invalid_cause", "cause", i18n.T(
		"cause must be lost, stolen or damaged.", "补换发原因须为遗失、被盗或损坏之一。"))
)

// RenewFPRCard records the renewal of the person's current card cardID:
// a new issue, which supersedes it (replaced). The e-documents carrying
// the previous issue are withdrawn in the same transaction (Hooks).
func (s *Service) RenewFPRCard(ctx context.Context, by audit.Actor, cardID string, in ReissueInput) (FPRCard, error) {
	in.Cause = ""
	return s.reissue(ctx, by, cardID, IssueRenewal, in)
}

// ReplaceFPRCard records the replacement of the person's current card
// cardID. A valid card replaced as lost or stolen is marked so, a damaged
// one replaced; a card already reported lost or stolen keeps that status.
func (s *Service) ReplaceFPRCard(ctx context.Context, by audit.Actor, cardID string, in ReissueInput) (FPRCard, error) {
	in.Cause = strings.ToLower(strings.TrimSpace(in.Cause))
	if in.Cause != CauseLost && in.Cause != CauseStolen && in.Cause != CauseDamaged {
		return FPRCard{}, errBadCause
	}
	return s.reissue(ctx, by, cardID, IssueReplacement, in)
}

func (s *Service) reissue(ctx context.Context, by audit.Actor, cardID, reason string, in ReissueInput) (FPRCard, error) {
	var out FPRCard
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		prev, person, err := s.lockCurrentCard(tx, cardID)
		if err != nil {
			return err
		}
		prevStatus, err := reissuedStatus(prev, reason, in.Cause)
		if err != nil {
			return err
		}
		row, err := s.checkReissue(tx, prev, person, reason, in)
		if err != nil {
			return err
		}
		if err := s.supersede(tx, prev, true, prevStatus, row); err != nil {
			return err
		}
		out = row.card()
		if err := audit.Write(tx, row.CreatedAt, audit.Entry{Actor: by, Action: "fpr_card." + reason, Entity: "person",
			EntityID: person.ID, Before: prev, After: map[string]any{"card": row, "previous_status": prevStatus}}); err != nil {
			return err
		}
		change := ChangeCardReplaced
		switch {
		case reason == IssueRenewal:
			change = ChangeCardRenewed
		case prev.Status == StatusValid && prevStatus != StatusReplaced:
			change = statusChange("fpr_cards", prevStatus)
		}
		return s.hooks.changed(tx, row.CreatedAt, by, []Change{{PersonID: person.ID, Reason: change, CardNumber: prev.Number}})
	})
	return out, wrapInternal(err, "reissue fpr card")
}

// lockCurrentCard loads card id and its holder, locked, and refuses a
// card that is not the holder's current one.
func (s *Service) lockCurrentCard(tx *gorm.DB, id string) (cardRow, Person, error) {
	var card cardRow
	err := tx.Where("id = ?", id).Take(&card).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return card, Person{}, errNoCard
	}
	if err != nil {
		return card, Person{}, err
	}
	prow, err := s.lockPerson(tx, card.PersonID)
	if err != nil {
		return card, Person{}, err
	}
	// Read again under the lock: a concurrent change of this person's
	// cards has committed by now.
	cur, ok, err := currentCard(tx, card.PersonID)
	if err != nil {
		return card, Person{}, err
	}
	if !ok || cur.ID != id {
		return card, Person{}, errNotCurrent
	}
	return cur, prow.person(), nil
}

// reissuedStatus is the status the previous issue takes, or why it cannot
// be renewed or replaced.
func reissuedStatus(prev cardRow, reason, cause string) (string, error) {
	missing := prev.Status == StatusLost || prev.Status == StatusStolen
	switch {
	case prev.Status == StatusCancelled:
		return "", errCancelledCard
	case missing && (reason == IssueRenewal || cause == CauseDamaged):
		return "", errMissingCard
	case missing:
		return prev.Status, nil
	case reason == IssueReplacement && cause == CauseLost:
		return StatusLost, nil
	case reason == IssueReplacement && cause == CauseStolen:
		return StatusStolen, nil
	}
	return StatusReplaced, nil
}

// checkReissue validates the new issue for person and returns its row:
// the number (the same for a 2023 card, a new 2023 number for a 2017
// one), dates that follow the card-term rule and do not precede the
// previous issue, and the issue count.
func (s *Service) checkReissue(tx *gorm.DB, prev cardRow, person Person, reason string, in ReissueInput) (cardRow, error) {
	f := fieldErrors{}
	number := reissueNumber(prev, in.Number, &f)
	if strings.TrimSpace(in.PrintedName) == "" {
		in.PrintedName = prev.PrintedName
	}
	card, version := FPRCardInput{Number: number, IssueDate: in.IssueDate, ExpiryDate: in.ExpiryDate,
		PrintedName: in.PrintedName}.check(person, s.today(), &f)
	if issue, err := calendar.ParseDate(card.IssueDate); err == nil && len(f.list) == 0 && issue.Before(date(prev.IssueDate)) {
		f.add("issue_date", "fpr_issue_before_previous", i18n.T(
			"The new issue cannot be dated before the card it succeeds ("+prev.IssueDate+").",
			"新证签发日期不能早于其所接替证件的签发日期（"+prev.IssueDate+"）。"))
	}
	if prev.Version == docnum.FPR2017 && len(f.list) == 0 && version != docnum.FPR2023 {
		f.add("number", "fpr_2023_required", i18n.T(
			"A 2017 card is renewed or replaced by a 2023 card: give the 2023 card's number.",
			"2017 版证件换发或补发后为 2023 版证件，请填写 2023 版证件号码。"))
	}
	if err := f.err(); err != nil {
		return cardRow{}, err
	}
	if card.Number != prev.Number {
		if err := numberFree(tx, person.ID, card.Number); err != nil {
			return cardRow{}, err
		}
	}
	row, err := s.newCard(person.ID, card, version, reason)
	if err != nil {
		return row, err
	}
	row.ReplacesID = &prev.ID
	if card.Number == prev.Number {
		var last struct{ N int }
		if err := tx.Model(&cardRow{}).Select("MAX(issue_no) AS n").Where("number = ?", card.Number).Scan(&last).Error; err != nil {
			return row, err
		}
		row.IssueNo = last.N + 1
	}
	return row, nil
}

// reissueNumber is the number of the new issue: a 2023 card's own, which
// in must repeat or leave empty; for a 2017 card the new number in gives.
func reissueNumber(prev cardRow, given string, f *fieldErrors) string {
	given = strings.ToUpper(strings.TrimSpace(given))
	switch {
	case prev.Version == docnum.FPR2023 && given != "" && given != prev.Number:
		f.add("number", "fpr_number_for_life", i18n.T(
			"A 2023 card keeps its number for life: its new issue carries "+prev.Number+".",
			"2023 版永久居留身份证号码终身不变，新证号码仍为 "+prev.Number+"。"))
		return prev.Number
	case prev.Version == docnum.FPR2023:
		return prev.Number
	case given == "":
		f.add("number", "required", i18n.T(
			"A 2017 card is renewed or replaced by a 2023 card: give the 2023 card's number.",
			"2017 版证件换发或补发后为 2023 版证件，请填写 2023 版证件号码。"))
		return prev.Number // checked no further: the field already has its error
	}
	return given
}
