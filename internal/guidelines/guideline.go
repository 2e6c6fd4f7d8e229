// Package guidelines keeps the application guidelines of every business
// type: the materials to bring (with notes), requirements, procedure steps,
// ways to apply, processing time, fee items and legal deadlines, in English
// and Chinese. Guidelines are versioned: an officer's update adds a version
// that takes effect on a date, the version in force on a day is the newest
// one effective by then, and every earlier version stays readable.
package guidelines

import (
	"fmt"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Ways to apply.
const (
	MethodInPerson          = "in_person"          // the applicant at the counter
	MethodAssistant         = "assistant"          // an inviting organisation or a relative on the applicant's behalf
	MethodOnlineAppointment = "online_appointment" // book a counter slot online first
)

// Guideline is one version of the guideline of a business type.
type Guideline struct {
	Business      string
	Version       int
	EffectiveFrom calendar.Date
	Content       Content
	CreatedAt     time.Time
	CreatedBy     string
}

// Content is what a guideline says. It is stored as one JSON document per
// version, so its JSON names are part of the storage format.
type Content struct {
	Summary        i18n.Text   `json:"summary"`
	Materials      []Material  `json:"materials"`
	Requirements   []i18n.Text `json:"requirements"`
	Steps          []i18n.Text `json:"steps"`
	Methods        []string    `json:"methods"`
	ProcessingDays int         `json:"processing_days"` // working days
	Fees           []Fee       `json:"fees"`
	Deadlines      []Deadline  `json:"deadlines"`
	// Sources back the guideline's other statements (who may apply, what
	// to bring); each fee and deadline carries its own.
	Sources []Source `json:"sources,omitempty"`
	// Unknown names the parts no public source gives, so a reader sees
	// "not known" rather than mistaking an empty list for "none": "fees".
	Unknown []string `json:"unknown,omitempty"`
}

// Source is a public page that states a fact, and the day it was read.
type Source struct {
	URL  string `json:"url"`
	Seen string `json:"seen"` // YYYY-MM-DD
}

// Unknown parts a guideline may declare.
const UnknownFees = "fees"

// Material is a document to bring.
type Material struct {
	Name i18n.Text `json:"name"`
	Note i18n.Text `json:"note"`
}

// Fee is one fee item in whole yuan, charged when Condition holds.
type Fee struct {
	Item       i18n.Text `json:"item"`
	AmountYuan int64     `json:"amount_yuan"`
	Condition  i18n.Text `json:"condition"`
	Source     Source    `json:"source"`
}

// Deadline is a legal time limit, e.g. "apply at least 7 days before the
// authorised stay expires". Days is the number of days it names.
type Deadline struct {
	Text   i18n.Text `json:"text"`
	Days   int       `json:"days"`
	Source Source    `json:"source"`
}

const (
	maxItems = 50
	maxText  = 1000
)

// Validate checks a guideline's content and names every bad field, e.g.
// materials[2].name. Every text is needed in both languages, an optional one
// (a material's note, a fee's condition) in both or in neither: a caller
// reading English would otherwise see nothing where a Chinese reader sees
// the text.
func (c Content) Validate() error {
	return invalid(c.check(""))
}

// ValidateFor checks the content as the guideline of a business type: on top
// of Validate, its processing time must be the one the law gives that type,
// the figure application deadlines are counted with.
func (c Content) ValidateFor(code string) error {
	return invalid(c.check(code))
}

func invalid(errs []apperr.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	msg := i18n.T("Some fields of the guideline are not valid.", "指南的部分字段无效。")
	if len(errs) == 1 {
		msg = errs[0].Message
	}
	e := apperr.Invalid("invalid_guideline", errs[0].Field, msg)
	e.Fields = errs
	return e
}

// textError names field when t is not given in both languages (or, when
// optional, in neither) or is too long.
func textError(field string, t i18n.Text, required bool) (apperr.FieldError, bool) {
	en, zh := strings.TrimSpace(t.En) != "", strings.TrimSpace(t.Zh) != ""
	var msg i18n.Text
	switch {
	case len(t.En) > maxText || len(t.Zh) > 3*maxText || (required && !en && !zh):
		msg = i18n.T(field+" needs en and zh-CN text of at most 1000 characters.", "此项须有中文和英文文本，各不超过 1000 个字符。")
	case en == zh:
		return apperr.FieldError{}, false
	case required:
		msg = i18n.T(field+" is given in one language only; give it in both en and zh-CN.", "此项只有一种语言；请同时提供中文和英文文本。")
	default:
		msg = i18n.T(field+" is given in one language only; give it in both en and zh-CN, or in neither.", "此项只有一种语言；请同时提供中文和英文文本，或都不提供。")
	}
	return apperr.FieldError{Field: field, Code: "invalid_text", Message: msg}, true
}

// check lists every bad field; given a business type, it also holds the
// processing time to that type's.
func (c Content) check(businessCode string) []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, code, en, zh string) {
		errs = append(errs, apperr.FieldError{Field: field, Code: code, Message: i18n.T(en, zh)})
	}
	text := func(field string, t i18n.Text, required bool) {
		if e, ok := textError(field, t, required); ok {
			errs = append(errs, e)
		}
	}
	text("summary", c.Summary, true)
	if len(c.Materials) == 0 || len(c.Materials) > maxItems {
		bad("materials", "invalid_count", "List 1 to 50 materials.", "材料须为 1 至 50 项。")
	}
	for i, m := range c.Materials {
		text(fmt.Sprintf("materials[%d].name", i), m.Name, true)
		text(fmt.Sprintf("materials[%d].note", i), m.Note, false)
	}
	if len(c.Steps) == 0 || len(c.Steps) > maxItems {
		bad("steps", "invalid_count", "List 1 to 50 steps.", "步骤须为 1 至 50 项。")
	}
	for i, s := range c.Steps {
		text(fmt.Sprintf("steps[%d]", i), s, true)
	}
	if len(c.Requirements) > maxItems {
		bad("requirements", "invalid_count", "List at most 50 requirements.", "条件最多 50 项。")
	}
	for i, r := range c.Requirements {
		text(fmt.Sprintf("requirements[%d]", i), r, true)
	}
	if !validMethods(c.Methods) {
		bad("methods", "invalid_methods", "methods lists in_person, assistant or online_appointment, at least one, each once.", "办理方式须从现场办理、代为办理、网上预约中选择，至少一项且不重复。")
	}
	if days := business.ProcessingDays(businessCode); days > 0 {
		if c.ProcessingDays != days {
			bad("processing_days", "processing_days_not_statutory",
				fmt.Sprintf("processing_days must be %d, the statutory processing time of %s in working days; application deadlines are counted with it.", days, businessCode),
				fmt.Sprintf("办理时限须为 %d 个工作日，即该业务的法定办理时限，申请期限按此计算。", days))
		}
	} else if c.ProcessingDays < 1 || c.ProcessingDays > 180 {
		bad("processing_days", "invalid_processing_days", "processing_days is 1 to 180 working days.", "办理时限须为 1 至 180 个工作日。")
	}
	if len(c.Fees) > maxItems {
		bad("fees", "invalid_count", "List at most 50 fee items.", "收费项目最多 50 项。")
	}
	for i, f := range c.Fees {
		text(fmt.Sprintf("fees[%d].item", i), f.Item, true)
		if f.AmountYuan < 0 || f.AmountYuan > 1_000_000 {
			bad(fmt.Sprintf("fees[%d].amount_yuan", i), "invalid_amount", "amount_yuan is 0 to 1,000,000.", "收费金额须为 0 至 1,000,000 元。")
		}
		text(fmt.Sprintf("fees[%d].condition", i), f.Condition, false)
		errs = appendSourceError(errs, fmt.Sprintf("fees[%d].source", i), f.Source)
	}
	if len(c.Deadlines) > maxItems {
		bad("deadlines", "invalid_count", "List at most 50 deadlines.", "期限最多 50 项。")
	}
	for i, d := range c.Deadlines {
		text(fmt.Sprintf("deadlines[%d].text", i), d.Text, true)
		if d.Days < 0 || d.Days > 3650 {
			bad(fmt.Sprintf("deadlines[%d].days", i), "invalid_days", "days is 0 to 3650.", "天数须为 0 至 3650。")
		}
		errs = appendSourceError(errs, fmt.Sprintf("deadlines[%d].source", i), d.Source)
	}
	return append(errs, c.checkSourcesAndUnknown()...)
}

// withLists is c with every absent list empty, so stored versions and
// answers always hold arrays.
func (c Content) withLists() Content {
	if c.Materials == nil {
		c.Materials = []Material{}
	}
	if c.Requirements == nil {
		c.Requirements = []i18n.Text{}
	}
	if c.Steps == nil {
		c.Steps = []i18n.Text{}
	}
	if c.Methods == nil {
		c.Methods = []string{}
	}
	if c.Fees == nil {
		c.Fees = []Fee{}
	}
	if c.Deadlines == nil {
		c.Deadlines = []Deadline{}
	}
	return c
}

func validMethods(ms []string) bool {
	if len(ms) == 0 {
		return false
	}
	seen := map[string]bool{}
	for _, m := range ms {
		ok := m == MethodInPerson || m == MethodAssistant || m == MethodOnlineAppointment
		if !ok || seen[m] {
			return false
		}
		seen[m] = true
	}
	return true
}
