package verifier

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/fprlink/fprlink/issuer/edoc"
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
		writeClaims(&b, c, r.KID)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeClaims lists the document's members one to a line, leaving out
// those it does not carry: a purpose-bound document holds only what its
// sector needs, and an empty "born" line would read as a blank birth date.
func writeClaims(b *strings.Builder, c edoc.Claims, kid string) {
	tw := tabwriter.NewWriter(b, 0, 4, 2, ' ', 0)
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(tw, "  %s\t%s\n", label, value)
		}
	}
	line("number", c.ID)
	line("issuer", fmt.Sprintf("%s (key %s)", c.Issuer, kid))
	line("for", c.Audience)
	line("surname", c.Passport.Surname)
	line("given names", c.Passport.GivenNames)
	line("Chinese name", c.ChineseName)
	line("sex", c.Passport.Sex)
	line("born", c.Passport.BirthDate)
	line("nationality", c.Passport.Nationality)
	line("passport", c.Passport.Number)
	line("issuing state", c.Passport.IssuingState)
	line("passport expires", c.Passport.ExpiryDate)
	line("previous passport", c.Passport.PreviousNumber)
	line("FPR card", c.Card.Number)
	line("card version", c.Card.Version)
	line("card issued", c.Card.IssueDate)
	line("card expires", c.Card.ExpiryDate)
	line("previous card", c.Card.PreviousNumber)
	_ = tw.Flush()
}
