package verifier

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// FormatReport writes a human-readable report of r: the verdict, every
// check, and the holder data when the payload decoded. The command-line
// verifier prints it.
func FormatReport(w io.Writer, r *Result) error {
	verdict := "NOT VALID"
	if r.Valid {
		verdict = "VALID"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fprlink e-document: %s (status: %s)\n", verdict, r.Status)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Code, c.Result, c.Detail)
	}
	_ = tw.Flush()
	// A person comparing the holder with the passport needs to see what
	// even a rejected document claims; the label says how far to trust it.
	if c, ok := r.UnverifiedClaims(); ok {
		trust := ""
		if _, signed := r.SignedClaims(); !signed {
			trust = " (UNVERIFIED)"
		}
		fmt.Fprintf(&b, "document%s\n", trust)
		fmt.Fprintf(&b, "  number             %s\n", c.ID)
		fmt.Fprintf(&b, "  issuer             %s (key %s)\n", c.Issuer, r.KID)
		fmt.Fprintf(&b, "  holder             %s, %s  sex %s  born %s  nationality %s\n",
			c.Passport.Surname, c.Passport.GivenNames, c.Passport.Sex, c.Passport.BirthDate, c.Passport.Nationality)
		fmt.Fprintf(&b, "  passport           %s (%s), expires %s\n", c.Passport.Number, c.Passport.IssuingState, c.Passport.ExpiryDate)
		fmt.Fprintf(&b, "  FPR card           %s (%s), issued %s, expires %s\n", c.Card.Number, c.Card.Version, c.Card.IssueDate, c.Card.ExpiryDate)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
