package verifier

import (
	"strings"
	"testing"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// A telecom document carries no birth date, sex or passport: the report
// leaves those lines out instead of printing them blank.
func TestReportOmitsMembersTheDocumentLacks(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	writeClaims(&b, edoc.Claims{ID: "FP-1", Issuer: "https://fprlink.example.gov.cn", Audience: "telecom",
		Passport: edoc.Passport{Surname: "MARTIN", GivenNames: "CLAIRE"},
		Card:     edoc.FPRCard{Number: "911250198504120011", ExpiryDate: "2034-01-14"}}, "kid1")
	out := b.String()
	for _, want := range []string{"for", "telecom", "MARTIN", "911250198504120011", "card expires"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	for _, absent := range []string{"born", "sex", "passport expires", "card issued", "previous"} {
		if strings.Contains(out, absent) {
			t.Errorf("report shows %q for a member the document lacks:\n%s", absent, out)
		}
	}
}
