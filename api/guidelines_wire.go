package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/guidelines"
	"github.com/fprlink/fprlink/internal/i18n"
)

type guidelineMaterialView struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

// guidelineSourceView is the public page a fee or time limit comes from.
type guidelineSourceView struct {
	URL  string `json:"url"`
	Seen string `json:"seen"`
}

type guidelineFeeView struct {
	Item       string              `json:"item"`
	AmountYuan int64               `json:"amount_yuan"`
	Condition  string              `json:"condition,omitempty"`
	Source     guidelineSourceView `json:"source"`
}

type guidelineDeadlineView struct {
	Text   string              `json:"text"`
	Days   int                 `json:"days"`
	Source guidelineSourceView `json:"source"`
}

type guidelineView struct {
	Business       string                  `json:"business"`
	BusinessName   string                  `json:"business_name"`
	Version        int                     `json:"version"`
	EffectiveFrom  string                  `json:"effective_from"`
	Summary        string                  `json:"summary"`
	Materials      []guidelineMaterialView `json:"materials"`
	Requirements   []string                `json:"requirements"`
	Steps          []string                `json:"steps"`
	Methods        []dirNamedCode          `json:"methods"`
	ProcessingDays int                     `json:"processing_days"`
	Fees           []guidelineFeeView      `json:"fees"`
	Deadlines      []guidelineDeadlineView `json:"deadlines"`
	PublishedAt    string                  `json:"published_at"`
	// Unknown names the parts no public source gives, so an empty fee list
	// is not read as "free"; UnknownNote says so in the reader's language.
	Unknown     []string `json:"unknown"`
	UnknownNote string   `json:"unknown_note,omitempty"`
	key         string   // page key: the catalogue position
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

func textsIn(ts []i18n.Text, lang i18n.Lang) []string {
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
		Requirements: textsIn(c.Requirements, lang), Steps: textsIn(c.Steps, lang),
		ProcessingDays: c.ProcessingDays, PublishedAt: g.CreatedAt.UTC().Format(time.RFC3339),
		Materials: []guidelineMaterialView{}, Methods: []dirNamedCode{}, Fees: []guidelineFeeView{}, Deadlines: []guidelineDeadlineView{},
	}
	for _, m := range c.Materials {
		v.Materials = append(v.Materials, guidelineMaterialView{Name: m.Name.In(lang), Note: m.Note.In(lang)})
	}
	for _, m := range c.Methods {
		v.Methods = append(v.Methods, dirNamedCode{Code: m, Name: guidelineMethodName(m).In(lang)})
	}
	for _, f := range c.Fees {
		v.Fees = append(v.Fees, guidelineFeeView{Item: f.Item.In(lang), AmountYuan: f.AmountYuan, Condition: f.Condition.In(lang),
			Source: guidelineSourceView(f.Source)})
	}
	for _, d := range c.Deadlines {
		v.Deadlines = append(v.Deadlines, guidelineDeadlineView{Text: d.Text.In(lang), Days: d.Days, Source: guidelineSourceView(d.Source)})
	}
	v.Unknown = guidelineUnknown(c)
	if len(v.Unknown) > 0 {
		v.UnknownNote = guidelineFeesUnknownNote.In(lang)
	}
	return v
}

// guidelineUnknown lists the parts no source gives. Every fee must carry a
// source, so a guideline without fees has none sourced: its fees are
// unknown, whether or not the publisher said so.
func guidelineUnknown(c guidelines.Content) []string {
	if len(c.Fees) == 0 {
		return []string{guidelines.UnknownFees}
	}
	return []string{}
}

var guidelineFeesUnknownNote = i18n.T(
	"No public source we rely on gives the fees of this business, so none is listed; that does not mean it is free. Please ask at the hall or call 12367.",
	"本指南所依据的公开资料未载明该业务的收费标准，故未列出收费项目，但这并不表示免费。请向受理大厅咨询或拨打12367。")
