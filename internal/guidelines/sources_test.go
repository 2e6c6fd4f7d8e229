package guidelines

import (
	"encoding/json"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
)

// The shipped guidelines: every fee and deadline names a public page and the
// day it was read, a guideline without fees says they are unknown, and none
// names a processing time other than the catalogue's.
func TestShippedGuidelinesCarryTheirSources(t *testing.T) {
	b, err := refFile.ReadFile("refdata/guidelines.json")
	if err != nil {
		t.Fatal(err)
	}
	var f seedFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, g := range f.Guidelines {
		seen[g.Business] = true
		for i, fee := range g.Content.Fees {
			if !sourceValid(fee.Source) {
				t.Errorf("%s fees[%d] (%s) has no source", g.Business, i, fee.Item.En)
			}
		}
		for i, d := range g.Content.Deadlines {
			if !sourceValid(d.Source) {
				t.Errorf("%s deadlines[%d] has no source", g.Business, i)
			}
		}
		if len(g.Content.Fees) == 0 && (len(g.Content.Unknown) != 1 || g.Content.Unknown[0] != UnknownFees) {
			t.Errorf("%s lists no fee and does not say the fee is unknown", g.Business)
		}
		if err := g.Content.ValidateFor(g.Business); err != nil {
			t.Errorf("%s: %v", g.Business, err)
		}
	}
	for _, bt := range business.All() {
		if !seen[bt.Code] {
			t.Errorf("no shipped guideline for %s", bt.Code)
		}
	}
}

// Each row is one way a fee or a deadline can lack its source.
func TestValidateRefusesAFactWithoutSource(t *testing.T) {
	rows := []struct {
		name, field string
		mod         func(*Content)
	}{
		{"fee-without-source", "fees[0].source", func(c *Content) { c.Fees[0].Source = Source{} }},
		{"fee-source-not-a-url", "fees[0].source", func(c *Content) { c.Fees[0].Source.URL = "gov.cn/fees" }},
		{"fee-source-ftp", "fees[0].source", func(c *Content) { c.Fees[0].Source.URL = "ftp://gov.cn/fees" }},
		{"fee-source-without-day", "fees[0].source", func(c *Content) { c.Fees[0].Source.Seen = "" }},
		{"fee-source-bad-day", "fees[0].source", func(c *Content) { c.Fees[0].Source.Seen = "2026-13-01" }},
		{"deadline-without-source", "deadlines[0].source", func(c *Content) { c.Deadlines[0].Source = Source{} }},
		{"guideline-source-broken", "sources[0]", func(c *Content) { c.Sources = []Source{{URL: "x"}} }},
		{"unknown-fees-with-fees", "unknown[0]", func(c *Content) { c.Unknown = []string{UnknownFees} }},
		{"unknown-other-part", "unknown[0]", func(c *Content) { c.Fees = nil; c.Unknown = []string{"steps"} }},
		{"unknown-twice", "unknown[1]", func(c *Content) { c.Fees = nil; c.Unknown = []string{UnknownFees, UnknownFees} }},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			c := validContent()
			r.mod(&c)
			fieldIsBad(t, c.Validate(), r.field)
		})
	}
	c := validContent()
	c.Fees, c.Unknown = nil, []string{UnknownFees}
	if err := c.Validate(); err != nil {
		t.Fatalf("unknown fees refused: %v", err)
	}
}

func fieldIsBad(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("got %v, want an invalid %s", err, field)
	}
	for _, f := range e.Fields {
		if f.Field == field {
			if f.Message.En == "" || f.Message.Zh == "" {
				t.Errorf("%s: message not in both languages", field)
			}
			return
		}
	}
	t.Fatalf("%v does not name %s: %+v", err, field, e.Fields)
}
