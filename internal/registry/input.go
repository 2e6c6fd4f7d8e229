package registry

import (
	"fmt"
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
	// NameMismatchReason is an officer's reason for recording a passport
	// whose MRZ name differs from the registered name (a transliteration
	// the issuing State chose otherwise, a name changed by marriage while
	// the record awaits correction). Without it such a passport is refused;
	// with it the passport is recorded and the reason audited. Imports
	// carry none: a mismatched line is refused.
	NameMismatchReason string
}

// MaxNameMismatchReason bounds an officer's reason, in characters.
const MaxNameMismatchReason = 500

// FPRCardInput is an FPR card to add; the version follows from the number.
type FPRCardInput struct {
	Number     string
	IssueDate  string
	ExpiryDate string
	// PrintedName is the name as printed on the card, given only where it
	// differs from the MRZ name.
	PrintedName string
}

// MaxPrintedName bounds the name printed on a card, in characters.
const MaxPrintedName = 100

// checkPrintedName trims the printed name and refuses one that is too
// long or holds control characters; one equal to the MRZ name is not kept.
func checkPrintedName(name string, p Person, f *fieldErrors) string {
	bad := !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl)
	name = strings.Join(strings.Fields(name), " ")
	bad = bad || utf8.RuneCountInString(name) > MaxPrintedName
	if bad {
		f.add("printed_name", "invalid_printed_name", i18n.T(
			"The name as printed on the card is at most 100 characters, without control characters.",
			"证件所印姓名最多 100 个字符，且不含控制字符。"))
		return ""
	}
	if strings.EqualFold(name, p.Surname+" "+p.GivenNames) {
		return ""
	}
	return name
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

// normalize returns the input in stored form and its parsed birth date,
// or every invalid field. today bounds the birth date. Names are stored as
// the MRZ writes them (docnum.MRZName): O'Brien as OBRIEN, Jean-Luc as
// JEAN LUC, Müller as MUELLER; the nationality as its ISO code when it has
// one (D as DEU).
func (in PersonInput) normalize(today calendar.Date, f *fieldErrors) (PersonInput, calendar.Date) {
	var err error
	// The nationality picks the national forms of Cyrillic letters
	// (docnum.MRZNameFor); a refusal of it is reported after the names.
	nf := fieldErrors{prefix: f.prefix}
	in.Nationality = checkNationality(strings.TrimSpace(in.Nationality), "nationality", &nf)
	if in.Surname, err = docnum.MRZNameFor(in.Surname, in.Nationality); err != nil {
		f.addErr("surname", err)
	} else if in.Surname == "" {
		f.add("surname", "required", i18n.T("The surname is required.", "姓氏为必填项。"))
	}
	if in.GivenNames, err = docnum.MRZNameFor(in.GivenNames, in.Nationality); err != nil {
		f.addErr("given_names", err)
	}
	in.ChineseName = strings.TrimSpace(in.ChineseName)
	in.Sex = strings.ToUpper(strings.TrimSpace(in.Sex))
	if utf8.RuneCountInString(in.ChineseName) > 30 || strings.IndexFunc(in.ChineseName, unicode.IsControl) >= 0 {
		f.add("chinese_name", "invalid_name", i18n.T("The Chinese name may have at most 30 characters.", "中文姓名最多 30 个字符。"))
	}
	if in.Sex != "M" && in.Sex != "F" && in.Sex != "X" {
		f.add("sex", "invalid_sex", i18n.T("sex must be M, F or X.", "性别必须是 M、F 或 X。"))
	}
	f.list = append(f.list, nf.list...)
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
	if in.Number == "" || len(in.Number) > 9 || strings.IndexFunc(in.Number, notAlnum) >= 0 {
		f.add("number", "invalid_passport_number", i18n.T("The passport number is 1 to 9 letters and digits.", "护照号码应为 1 至 9 位字母或数字。"))
	}
	in.IssuingState = checkIssuer(strings.TrimSpace(in.IssuingState), "issuing_state", f)
	issue, expiry := validity(in.IssueDate, in.ExpiryDate, today, f)
	in.IssueDate, in.ExpiryDate = issue.String(), expiry.String()
	in.MRZ = strings.TrimSpace(in.MRZ)
	if in.MRZ != "" {
		m, err := docnum.ParseTD3(in.MRZ, today)
		switch {
		case err != nil:
			f.addErr("mrz", err)
		case m.Number != in.Number || canonical(m.IssuingState) != in.IssuingState || m.ExpiryDate != expiry ||
			canonical(m.Nationality) != p.Nationality || m.BirthDate != p.BirthDate:
			f.add("mrz", "mrz_mismatch", i18n.T("The MRZ does not agree with the passport or its holder.", "机读区与护照或持照人信息不符。"))
		default:
			in.MRZ = m.Line1 + "\n" + m.Line2
			in.checkMRZName(m, p, f)
		}
	}
	if in.MRZ == "" || strings.TrimSpace(in.NameMismatchReason) == "" {
		in.NameMismatchReason = ""
	}
	return in
}

// checkMRZName compares the MRZ's name field with the holder's registered
// name written as the MRZ would write it (docnum.MRZNameField: fillers for
// spaces, cut at 39 characters as Doc 9303 truncates). A difference is
// refused, naming both, unless an officer gives the reason to record it.
func (in *PassportInput) checkMRZName(m docnum.MRZ, p Person, f *fieldErrors) {
	reason := strings.TrimSpace(in.NameMismatchReason)
	if reason != "" && (utf8.RuneCountInString(reason) > MaxNameMismatchReason || strings.ContainsFunc(reason, unicode.IsControl)) {
		f.add("name_mismatch_reason", "invalid_reason", i18n.T(
			"name_mismatch_reason is at most 500 characters, without control characters.",
			"姓名不一致的说明最多 500 个字符，且不含控制字符。"))
		return
	}
	in.NameMismatchReason = reason
	want := docnum.MRZNameField(p.Surname, p.GivenNames)
	got := docnum.MRZNameField(m.Surname, m.GivenNames)
	if got == want || reason != "" {
		return
	}
	f.add("mrz", "mrz_name_mismatch", i18n.T(
		fmt.Sprintf("The MRZ name %s does not match the registered name %s written as in an MRZ (%s). Correct the person's name first, or give name_mismatch_reason to record the passport as it is.", got, p.Surname+" "+p.GivenNames, want),
		fmt.Sprintf("机读区姓名 %s 与登记姓名按机读区写法的结果 %s 不符。请先更正登记姓名，或填写姓名不一致的说明后按原样登记护照。", got, want)))
}

// check validates an FPR card for holder p and returns it in stored form
// with its version: the number must be well formed and agree with the
// holder, and the dates must follow the rule for the card's term.
func (in FPRCardInput) check(p Person, today calendar.Date, f *fieldErrors) (FPRCardInput, int) {
	checkCardHolder(p, f)
	n, err := docnum.ParseFPR(in.Number, today)
	if err == nil {
		err = n.AgreesWith(p.Nationality, p.BirthDate)
	}
	if err != nil {
		f.addErr("number", err)
	}
	in.Number = n.Number
	before := len(f.list)
	issue, expiry := validity(in.IssueDate, in.ExpiryDate, today, f)
	if len(f.list) == before {
		checkCardTerm(n.Version, p.BirthDate, issue, expiry, f)
	}
	in.IssueDate, in.ExpiryDate = issue.String(), expiry.String()
	in.PrintedName = checkPrintedName(in.PrintedName, p, f)
	return in, n.Version
}

// canonical is the stored form of an MRZ country code: the ISO code when
// it has one, so that an MRZ's D matches a stored DEU.
func canonical(code string) string {
	if c, ok := docnum.LookupCountry(code); ok {
		return c.Canonical()
	}
	return strings.ToUpper(code)
}

func notAlnum(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }
