package verifier

import (
	"fmt"
	"slices"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// checkFields validates claim contents: shapes, check digits and dates that
// must agree with each other, and for a purpose-bound document exactly the
// fields of its purpose. It runs only on signed claims, so a failure here
// means the issuer signed bad data — worth reporting, never accepting.
func (v *Verifier) checkFields(c *edoc.Claims, r *Result) {
	if err := fieldError(c); err != nil {
		r.add(CheckFields, Fail, err.Error(), ErrField)
		return
	}
	r.add(CheckFields, Pass, "passport, FPR card and dates consistent", nil)
}

func fieldError(c *edoc.Claims) error {
	if c.ID == "" {
		return fmt.Errorf("jti (document number) missing")
	}
	switch c.Type {
	case edoc.DocumentType:
		if err := fullFieldError(c); err != nil {
			return err
		}
	case edoc.DocumentTypePurpose:
		if err := purposeFieldError(c); err != nil {
			return err
		}
	default:
		return fmt.Errorf("type %q is neither %s nor %s", c.Type, edoc.DocumentTypePurpose, edoc.DocumentType)
	}
	return dateError(c)
}

// fullFieldError checks a first-version document, which carries every
// passport and card field.
func fullFieldError(c *edoc.Claims) error {
	p, card := c.Passport, c.Card
	if !validPassportNumber(p.Number) {
		return fmt.Errorf("passport number %q is not 1-9 of A-Z 0-9", p.Number)
	}
	if p.Surname == "" || (p.Sex != "M" && p.Sex != "F" && p.Sex != "X") {
		return fmt.Errorf("passport holder name or sex missing")
	}
	if !validCardNumber(card.Version, card.Number) {
		return fmt.Errorf("FPR card number %q fails the %s check digit", card.Number, card.Version)
	}
	for name, d := range map[string]string{"passport.birth_date": p.BirthDate, "passport.expiry_date": p.ExpiryDate,
		"fpr_card.issue_date": card.IssueDate, "fpr_card.expiry_date": card.ExpiryDate} {
		if d == "" {
			return fmt.Errorf("%s missing", name)
		}
	}
	return nil
}

// purposeFieldError checks that a purpose-bound document holds the fields
// of its purpose and no others, and that those it holds are well formed.
// previous_number is the one optional member: not every holder has had an
// earlier passport or card.
func purposeFieldError(c *edoc.Claims) error {
	pf, cf, ok := edoc.PurposeFields(c.Audience)
	if !ok {
		return fmt.Errorf("aud %q is not a purpose", c.Audience)
	}
	for _, part := range []struct {
		name   string
		fields []string
		values map[string]string
	}{{"passport", pf, c.Passport.Fields()}, {"fpr_card", cf, c.Card.Fields()}} {
		for name, val := range part.values {
			allowed := slices.Contains(part.fields, name)
			switch {
			case !allowed && val != "":
				return fmt.Errorf("%s.%s is not a field of purpose %s", part.name, name, c.Audience)
			case allowed && val == "" && name != edoc.FieldPreviousNumber:
				return fmt.Errorf("%s.%s missing for purpose %s", part.name, name, c.Audience)
			}
		}
	}
	p, card := c.Passport, c.Card
	switch {
	case p.Number != "" && !validPassportNumber(p.Number):
		return fmt.Errorf("passport number %q is not 1-9 of A-Z 0-9", p.Number)
	case p.PreviousNumber != "" && !validPassportNumber(p.PreviousNumber):
		return fmt.Errorf("previous passport number %q is not 1-9 of A-Z 0-9", p.PreviousNumber)
	case p.Sex != "" && p.Sex != "M" && p.Sex != "F" && p.Sex != "X":
		return fmt.Errorf("sex %q is not M, F or X", p.Sex)
	case !validCardNumber(cardVersion(card.Version, card.Number), card.Number):
		return fmt.Errorf("FPR card number %q fails its check digit", card.Number)
	case card.PreviousNumber != "" && !validCardNumber(cardVersion("", card.PreviousNumber), card.PreviousNumber):
		return fmt.Errorf("previous FPR card number %q fails its check digit", card.PreviousNumber)
	}
	return nil
}

// cardVersion is the stated version, or the one the number's length gives
// when a purpose leaves the version out.
func cardVersion(stated, number string) string {
	switch {
	case stated != "":
		return stated
	case len(number) == 18:
		return edoc.CardVersion2023
	case len(number) == 15:
		return edoc.CardVersion2017
	}
	return ""
}

// dateError checks the dates the document holds; a purpose-bound document
// may leave any of them out.
func dateError(c *edoc.Claims) error {
	var birth, passExp, cardIssue, cardExp time.Time
	for _, d := range []struct {
		name, value string
		dst         *time.Time
	}{
		{"passport.birth_date", c.Passport.BirthDate, &birth},
		{"passport.expiry_date", c.Passport.ExpiryDate, &passExp},
		{"fpr_card.issue_date", c.Card.IssueDate, &cardIssue},
		{"fpr_card.expiry_date", c.Card.ExpiryDate, &cardExp},
	} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			return fmt.Errorf("%s %q is not a date", d.name, d.value)
		}
		*d.dst = t
	}
	switch {
	case !birth.IsZero() && !cardIssue.IsZero() && !birth.Before(cardIssue):
		return fmt.Errorf("birth date not before card issue date")
	case !cardIssue.IsZero() && !cardExp.IsZero() && !cardIssue.Before(cardExp):
		return fmt.Errorf("card issue date not before its expiry")
	case c.NotBefore > c.Expiry || c.IssuedAt > c.Expiry:
		return fmt.Errorf("nbf or iat after exp")
	}
	// The document may not outlive either credential: its exp is at most
	// the end of the earlier expiry day in UTC+8, i.e. before the next
	// UTC day ends.
	for _, last := range []time.Time{passExp, cardExp} {
		if !last.IsZero() && time.Unix(c.Expiry, 0).After(last.AddDate(0, 0, 1)) {
			return fmt.Errorf("document outlives the passport or FPR card")
		}
	}
	return nil
}

func validPassportNumber(s string) bool {
	if len(s) < 1 || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
