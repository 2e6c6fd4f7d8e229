package registry

import (
	"bytes"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
)

// FuzzParseImport: whatever the file, parsing never panics, and every line
// it accepts is in stored form: a card number that parses and agrees with
// the line's person, and an issue reason that is one of the known ones.
func FuzzParseImport(f *testing.F) {
	f.Add(ndjson(f, testLine(0)).Bytes())
	f.Add(ndjson(f, reissueLine(IssueRenewal), reissueLine("exchange")).Bytes())
	f.Add([]byte(`{"surname":"X","sex":"M","birth_date":"1990-01-01","nationality":"FRA","passport":{},"fpr_card":{"reason":7}}`))
	f.Add([]byte("\n\n{}\nnonsense\n"))
	today := calendar.LocalDate(testNow)
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, bad, err := parseImport(bytes.NewReader(data), today)
		if err != nil {
			return
		}
		if len(bad) > MaxImportErrors+1 {
			t.Fatalf("%d errors listed", len(bad))
		}
		for _, l := range lines {
			if l.card == nil {
				continue
			}
			n, err := docnum.ParseFPR(l.card.Number, today)
			if err != nil || n.AgreesWith(l.person.Nationality, l.birth) != nil {
				t.Fatalf("accepted card %q for %+v: %v", l.card.Number, l.person, err)
			}
			if l.reason != "" && l.reason != IssueRenewal && l.reason != IssueReplacement {
				t.Fatalf("accepted reason %q", l.reason)
			}
		}
	})
}
