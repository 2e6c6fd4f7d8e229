package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/guidelines"
	"github.com/fprlink/fprlink/internal/i18n"
)

type materialView struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

type feeView struct {
	Item       string `json:"item"`
	AmountYuan int64  `json:"amount_yuan"`
	Condition  string `json:"condition,omitempty"`
}

type deadlineView struct {
	Text string `json:"text"`
	Days int    `json:"days"`
}

type guidelineView struct {
	Business       string         `json:"business"`
	BusinessName   string         `json:"business_name"`
	Version        int            `json:"version"`
	EffectiveFrom  string         `json:"effective_from"`
	Summary        string         `json:"summary"`
	Materials      []materialView `json:"materials"`
	Requirements   []string       `json:"requirements"`
	Steps          []string       `json:"steps"`
	Methods        []businessRef  `json:"methods"`
	ProcessingDays int            `json:"processing_days"`
	Fees           []feeView      `json:"fees"`
	Deadlines      []deadlineView `json:"deadlines"`
	PublishedAt    string         `json:"published_at"`
	key            string         // page key: the catalogue position
}

// guidelineAdminView is a published version with both languages.
type guidelineAdminView struct {
	Business      string             `json:"business"`
	Version       int                `json:"version"`
	EffectiveFrom string             `json:"effective_from"`
	Content       guidelines.Content `json:"content"`
	PublishedAt   string             `json:"published_at"`
	PublishedBy   string             `json:"published_by"`
}

func texts(ts []i18n.Text, lang i18n.Lang) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

func guidelineViewOf(g guidelines.Guideline, lang i18n.Lang) guidelineView {
	c := g.Content
	t, _ := business.Lookup(g.Business)
	v := guidelineView{
		Business: g.Business, BusinessName: t.Name.In(lang), Version: g.Version,
		EffectiveFrom: g.EffectiveFrom.String(), Summary: c.Summary.In(lang),
		Requirements: texts(c.Requirements, lang), Steps: texts(c.Steps, lang),
		ProcessingDays: c.ProcessingDays, PublishedAt: g.CreatedAt.UTC().Format(time.RFC3339),
		Materials: []materialView{}, Methods: []businessRef{}, Fees: []feeView{}, Deadlines: []deadlineView{},
	}
	for _, m := range c.Materials {
		v.Materials = append(v.Materials, materialView{Name: m.Name.In(lang), Note: m.Note.In(lang)})
	}
	for _, m := range c.Methods {
		v.Methods = append(v.Methods, businessRef{Code: m, Name: methodName(m).In(lang)})
	}
	for _, f := range c.Fees {
		v.Fees = append(v.Fees, feeView{Item: f.Item.In(lang), AmountYuan: f.AmountYuan, Condition: f.Condition.In(lang)})
	}
	for _, d := range c.Deadlines {
		v.Deadlines = append(v.Deadlines, deadlineView{Text: d.Text.In(lang), Days: d.Days})
	}
	return v
}

func auditActor(p Principal) audit.Actor { return audit.Actor{ID: p.AccountID, Role: p.Role} }
