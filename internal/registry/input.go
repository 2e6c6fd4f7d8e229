package registry

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
)

// PersonInput is a person as given by an officer or an import line.
type PersonInput struct {
	Surname     string
	GivenNames  string
	ChineseName string
	Sex         string
	BirthDate   string // YYYY-MM-DD
	Nationality string
	// Mobile and Email are the contact on record, where enrolment codes
	// are sent; either may be empty.
	Mobile string
	Email  string
}

// PassportInput is a passport to add.
type PassportInput struct {
	Number       string
	IssuingState string
	IssueDate    string
	ExpiryDate   string
	MRZ          string // optional; when given it must agree with the rest
}

// FPRCardInput is an FPR card to add; the version follows from the number.
type FPRCardInput struct {
	Number     string
	IssueDate  string
	ExpiryDate string
}

// fieldErrors gathers every invalid field of one input so the caller sees
// them all at once.
type fieldErrors struct {
	prefix string
	list   []apperr.FieldError
}

func (f *fieldErrors) add(field, code string, msg i18n.Text) {
	f.list = append(f.list, apperr.FieldError{Field: f.prefix + field, Code: code, Message: msg})
}

func (f *fieldErrors) addErr(field string, err error) {
	if e, ok := apperr.As(err); ok {
		f.add(field, e.Code, e.Message)
	}
}

// err returns nil or one Invalid error naming the first field and listing all.
func (f *fieldErrors) err() error {
	if len(f.list) == 0 {
		return nil
	}
	first := f.list[0]
	return &apperr.Error{Kind: apperr.KindInvalid, Code: first.Code, Field: first.Field,
		Message: first.Message, Fields: f.list}
}

// mrzName normalises a name to MRZ form: upper case A–Z, single spaces.
func mrzName(s string) string {
	return strings.Join(strings.Fields(strings.ToUpper(s)), " ")
}

func validMRZName(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != ' ' {
			return false
		}
	}
	return len(s) <= 39
}

// normalize returns the input in stored form and its parsed birth date,
// or every invalid field. today bounds the birth date.
func (in PersonInput) normalize(today calendar.Date, f *fieldErrors) (PersonInput, calendar.Date) {
	in.Surname, in.GivenNames = mrzName(in.Surname), mrzName(in.GivenNames)
	in.ChineseName = strings.TrimSpace(in.ChineseName)
	in.Sex, in.Nationality = strings.ToUpper(strings.TrimSpace(in.Sex)), strings.ToUpper(strings.TrimSpace(in.Nationality))
	msgName := i18n.T("Names are written as in the passport's MRZ: letters A–Z and spaces, at most 39.",
		"姓名应与护照机读区一致：仅限字母 A–Z 和空格，最多 39 个字符。")
	if in.Surname == "" {
		f.add("surname", "required", i18n.T("The surname is required.", "姓氏为必填项。"))
	} else if !validMRZName(in.Surname) {
		f.add("surname", "invalid_name", msgName)
	}
	if !validMRZName(in.GivenNames) {
		f.add("given_names", "invalid_name", msgName)
	}
	if utf8.RuneCountInString(in.ChineseName) > 30 || strings.IndexFunc(in.ChineseName, unicode.IsControl) >= 0 {
		f.add("chinese_name", "invalid_name", i18n.T("The Chinese name may have at most 30 characters.", "中文姓名最多 30 个字符。"))
	}
	if in.Sex != "M" && in.Sex != "F" && in.Sex != "X" {
		f.add("sex", "invalid_sex", i18n.T("sex must be M, F or X.", "性别必须是 M、F 或 X。"))
	}
	if !docnum.IsNationality(in.Nationality) {
		f.add("nationality", "invalid_nationality", i18n.T("nationality must be a known ISO 3166-1 alpha-3 code.", "国籍必须是有效的 ISO 3166-1 三字母代码。"))
	}
	birth, ok := pastDate(in.BirthDate, today)
	if !ok {
		f.add("birth_date", "invalid_date", i18n.T("birth_date must be a YYYY-MM-DD date between 1900 and today.", "出生日期须为 1900 年至今的 YYYY-MM-DD 日期。"))
	}
	in.checkContact(f)
	return in, birth
}

func pastDate(s string, today calendar.Date) (calendar.Date, bool) {
	d, err := calendar.ParseDate(strings.TrimSpace(s))
	if err != nil || d.Year < 1900 || today.Before(d) {
		return calendar.Date{}, false
	}
	return d, true
}

// validity checks an issue/expiry pair: issued by today, expiring after
// issue. Like every other field, a date is read without surrounding spaces;
// the caller stores the parsed dates, never the text as given.
func validity(issue, expiry string, today calendar.Date, f *fieldErrors) (calendar.Date, calendar.Date) {
	from, ok := pastDate(issue, today)
	if !ok {
		f.add("issue_date", "invalid_date", i18n.T("issue_date must be a YYYY-MM-DD date no later than today.", "签发日期须为不晚于今天的 YYYY-MM-DD 日期。"))
	}
	to, err := calendar.ParseDate(strings.TrimSpace(expiry))
	if err != nil || (ok && !from.Before(to)) {
		f.add("expiry_date", "invalid_date", i18n.T("expiry_date must be a YYYY-MM-DD date after the issue date.", "有效期须为晚于签发日期的 YYYY-MM-DD 日期。"))
	}
	return from, to
}

// check validates a passport for holder p and returns it in stored form.
func (in PassportInput) check(p Person, today calendar.Date, f *fieldErrors) PassportInput {
	in.Number = strings.ToUpper(strings.TrimSpace(in.Number))
	in.IssuingState = strings.ToUpper(strings.TrimSpace(in.IssuingState))
	if in.Number == "" || len(in.Number) > 9 || strings.IndexFunc(in.Number, notAlnum) >= 0 {
		f.add("number", "invalid_passport_number", i18n.T("The passport number is 1 to 9 letters and digits.", "护照号码应为 1 至 9 位字母或数字。"))
	}
	if !docnum.IsNationality(in.IssuingState) {
		f.add("issuing_state", "invalid_state", i18n.T("issuing_state must be a known ISO 3166-1 alpha-3 code.", "签发国必须是有效的 ISO 3166-1 三字母代码。"))
	}
	issue, expiry := validity(in.IssueDate, in.ExpiryDate, today, f)
	in.IssueDate, in.ExpiryDate = issue.String(), expiry.String()
	in.MRZ = strings.TrimSpace(in.MRZ)
	if in.MRZ != "" {
		m, err := docnum.ParseTD3(in.MRZ, today)
		switch {
		case err != nil:
			f.addErr("mrz", err)
		case m.Number != in.Number || m.IssuingState != in.IssuingState || m.ExpiryDate != expiry ||
			m.Nationality != p.Nationality || m.BirthDate != p.BirthDate:
			f.add("mrz", "mrz_mismatch", i18n.T("The MRZ does not agree with the passport or its holder.", "机读区与护照或持照人信息不符。"))
		default:
			in.MRZ = m.Line1 + "\n" + m.Line2
		}
	}
	return in
}

// check validates an FPR card for holder p and returns it in stored form
// with its version.
func (in FPRCardInput) check(p Person, today calendar.Date, f *fieldErrors) (FPRCardInput, int) {
	n, err := docnum.ParseFPR(in.Number)
	if err == nil {
		err = n.AgreesWith(p.Nationality, p.BirthDate)
	}
	if err != nil {
		f.addErr("number", err)
	}
	in.Number = n.Number
	issue, expiry := validity(in.IssueDate, in.ExpiryDate, today, f)
	in.IssueDate, in.ExpiryDate = issue.String(), expiry.String()
	return in, n.Version
}

func notAlnum(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }
