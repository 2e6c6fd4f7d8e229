package verifier

import (
	"fmt"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// checkFields validates claim contents: shapes, check digits and dates that
// must agree with each other. It runs only on signed claims, so a failure
// here means the issuer signed bad data — worth reporting, never accepting.
func (v *Verifier) checkFields(c *edoc.Claims, r *Result) {
	if err := fieldError(c); err != nil {
		r.add(CheckFields, Fail, err.Error(), ErrField)
		return
	}
	r.add(CheckFields, Pass, "passport, FPR card and dates consistent", nil)
}

func fieldError(c *edoc.Claims) error {
	p, card := c.Passport, c.Card
	if c.Type != edoc.DocumentType {
		return fmt.Errorf("type %q is not %s", c.Type, edoc.DocumentType)
	}
	if c.ID == "" {
		return fmt.Errorf("jti (document number) missing")
	}
	if !validPassportNumber(p.Number) {
		return fmt.Errorf("passport number %q is not 1-9 of A-Z 0-9", p.Number)
	}
	if p.Surname == "" || (p.Sex != "M" && p.Sex != "F" && p.Sex != "X") {
		return fmt.Errorf("passport holder name or sex missing")
	}
	if !validCardNumber(card.Version, card.Number) {
		return fmt.Errorf("FPR card number %q fails the %s check digit", card.Number, card.Version)
	}
	return dateError(c)
}

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
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			return fmt.Errorf("%s %q is not a date", d.name, d.value)
		}
		*d.dst = t
	}
	// The document may not outlive either credential: its exp is at most
	// the end of the earlier expiry day in UTC+8, i.e. before the next
	// UTC day ends.
	last := passExp
	if cardExp.Before(last) {
		last = cardExp
	}
	switch {
	case !birth.Before(cardIssue):
		return fmt.Errorf("birth date not before card issue date")
	case !cardIssue.Before(cardExp):
		return fmt.Errorf("card issue date not before its expiry")
	case c.NotBefore > c.Expiry || c.IssuedAt > c.Expiry:
		return fmt.Errorf("nbf or iat after exp")
	case time.Unix(c.Expiry, 0).After(last.AddDate(0, 0, 1)):
		return fmt.Errorf("document outlives the passport or FPR card")
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
