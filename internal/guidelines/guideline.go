// Package guidelines keeps the application guidelines of every business
// type: the materials to bring (with notes), requirements, procedure steps,
// ways to apply, processing time, fee items and legal deadlines, in English
// and Chinese. Guidelines are versioned: an officer's update adds a version
// that takes effect on a date, the version in force on a day is the newest
// one effective by then, and every earlier version stays readable.
package guidelines

import (
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
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
}

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
}

// Deadline is a legal time limit, e.g. "apply at least 7 days before the
// authorised stay expires". Days is the number of days it names.
type Deadline struct {
	Text i18n.Text `json:"text"`
	Days int       `json:"days"`
}

const (
	maxItems = 50
	maxText  = 1000
)

// Validate checks a guideline's content and names every bad field, e.g.
// materials[2].name.
func (c Content) Validate() error {
	var errs []apperr.FieldError
	bad := func(field, code string, msg i18n.Text) {
		errs = append(errs, apperr.FieldError{Field: field, Code: code, Message: msg})
	}
	needText := func(field string, t i18n.Text, required bool) {
		if (required && (t.En == "" || t.Zh == "")) || len(t.En) > maxText || len(t.Zh) > 3*maxText {
			bad(field, "invalid_text", i18n.T(field+" needs en and zh-CN text of at most 1000 characters.", field+" 需要不超过 1000 个字符的 en 和 zh-CN 文本。"))
		}
	}
	needText("summary", c.Summary, true)
	if len(c.Materials) == 0 || len(c.Materials) > maxItems {
		bad("materials", "invalid_count", i18n.T("List 1 to 50 materials.", "材料须为 1 至 50 项。"))
	}
	for i, m := range c.Materials {
		needText(fmt.Sprintf("materials[%d].name", i), m.Name, true)
		needText(fmt.Sprintf("materials[%d].note", i), m.Note, false)
	}
	if len(c.Steps) == 0 || len(c.Steps) > maxItems {
		bad("steps", "invalid_count", i18n.T("List 1 to 50 steps.", "步骤须为 1 至 50 项。"))
	}
	for i, s := range c.Steps {
		needText(fmt.Sprintf("steps[%d]", i), s, true)
	}
	if len(c.Requirements) > maxItems {
		bad("requirements", "invalid_count", i18n.T("List at most 50 requirements.", "条件最多 50 项。"))
	}
	for i, r := range c.Requirements {
		needText(fmt.Sprintf("requirements[%d]", i), r, true)
	}
	errs = append(errs, c.validateRest()...)
	if len(errs) == 0 {
		return nil
	}
	e := apperr.Invalid("invalid_guideline", errs[0].Field, i18n.T("Some fields of the guideline are not valid.", "指南的部分字段无效。"))
	e.Fields = errs
	return e
}

func (c Content) validateRest() []apperr.FieldError {
	var errs []apperr.FieldError
	bad := func(field, code, en, zh string) {
		errs = append(errs, apperr.FieldError{Field: field, Code: code, Message: i18n.T(en, zh)})
	}
	if !validMethods(c.Methods) {
		bad("methods", "invalid_methods", "methods lists in_person, assistant or online_appointment, at least one, each once.", "methods 须从 in_person、assistant、online_appointment 中选择，至少一项且不重复。")
	}
	if c.ProcessingDays < 1 || c.ProcessingDays > 180 {
		bad("processing_days", "invalid_processing_days", "processing_days is 1 to 180 working days.", "processing_days 须为 1 至 180 个工作日。")
	}
	if len(c.Fees) > maxItems {
		bad("fees", "invalid_count", "List at most 50 fee items.", "收费项目最多 50 项。")
	}
	for i, f := range c.Fees {
		if f.Item.En == "" || f.Item.Zh == "" || len(f.Item.En) > maxText || len(f.Condition.En) > maxText {
			bad(fmt.Sprintf("fees[%d].item", i), "invalid_text", "A fee item needs en and zh-CN text.", "收费项目需要 en 和 zh-CN 文本。")
		}
		if f.AmountYuan < 0 || f.AmountYuan > 1_000_000 {
			bad(fmt.Sprintf("fees[%d].amount_yuan", i), "invalid_amount", "amount_yuan is 0 to 1,000,000.", "amount_yuan 须为 0 至 1,000,000。")
		}
	}
	if len(c.Deadlines) > maxItems {
		bad("deadlines", "invalid_count", "List at most 50 deadlines.", "期限最多 50 项。")
	}
	for i, d := range c.Deadlines {
		if d.Text.En == "" || d.Text.Zh == "" || len(d.Text.En) > maxText {
			bad(fmt.Sprintf("deadlines[%d].text", i), "invalid_text", "A deadline needs en and zh-CN text.", "期限需要 en 和 zh-CN 文本。")
		}
		if d.Days < 0 || d.Days > 3650 {
			bad(fmt.Sprintf("deadlines[%d].days", i), "invalid_days", "days is 0 to 3650.", "days 须为 0 至 3650。")
		}
	}
	return errs
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
