package registry

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// ImportLine is one NDJSON line of a bulk import: a person, their current
// passport (which identifies them on re-import) and optionally their
// current FPR card.
type ImportLine struct {
	Surname     string `json:"surname"`
	GivenNames  string `json:"given_names"`
	ChineseName string `json:"chinese_name,omitempty"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
	// Mobile and Email are the contact on record, where enrolment codes
	// are sent. Like the other person fields, a line states them in full:
	// a line without them clears them.
	Mobile   string          `json:"mobile,omitempty"`
	Email    string          `json:"email,omitempty"`
	Passport *ImportPassport `json:"passport"`
	FPRCard  *ImportFPRCard  `json:"fpr_card,omitempty"`
}

// ImportPassport is the passport of an import line.
type ImportPassport struct {
	Number       string `json:"number"`
	IssuingState string `json:"issuing_state"`
	IssueDate    string `json:"issue_date"`
	ExpiryDate   string `json:"expiry_date"`
	MRZ          string `json:"mrz,omitempty"`
}

// ImportFPRCard is the FPR card of an import line. A card whose number is
// on record with other dates is a new issue of that number, and Reason
// says which: renewal or replacement. It may also name why a card with a
// new number was issued (a 2017 card renewed as a 2023 one); left out,
// such a card is a first issue.
type ImportFPRCard struct {
	Number      string `json:"number"`
	IssueDate   string `json:"issue_date"`
	ExpiryDate  string `json:"expiry_date"`
	PrintedName string `json:"printed_name,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// MaxImportErrors caps how many bad lines one answer lists; a file with
// more is usually the wrong file altogether.
const MaxImportErrors = 100

// maxLineBytes bounds one NDJSON line.
const maxLineBytes = 64 << 10

// parsedLine is a validated line in stored form.
type parsedLine struct {
	no       int
	person   PersonInput
	birth    calendar.Date
	passport PassportInput
	card     *FPRCardInput
	version  int
	reason   string // why the card was issued; empty when the line does not say
}

// parseImport reads and validates every line; it touches no database.
func parseImport(r io.Reader, today calendar.Date) ([]parsedLine, []apperr.FieldError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLineBytes)
	var lines []parsedLine
	var bad []apperr.FieldError
	seenPass, seenCard := map[string]int{}, map[string]int{}
	no := 0
	for sc.Scan() {
		no++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		f := fieldErrors{prefix: fmt.Sprintf("line %d: ", no)}
		pl := parseLine(raw, no, today, &f)
		if len(f.list) == 0 {
			dupCheck(pl, seenPass, seenCard, &f)
		}
		bad = append(bad, f.list...)
		if len(f.list) == 0 {
			lines = append(lines, pl)
		}
		if len(bad) >= MaxImportErrors {
			return nil, bad[:MaxImportErrors], nil
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, append(bad, apperr.FieldError{Field: fmt.Sprintf("line %d", no+1), Code: "line_too_long",
				Message: i18n.T("A line is longer than 64 KiB.", "某一行超过 65536 字节。")}), nil
		}
		return nil, nil, apperr.Internal("registry: read import: %w", err)
	}
	return lines, bad, nil
}

func parseLine(raw []byte, no int, today calendar.Date, f *fieldErrors) parsedLine {
	var in ImportLine
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || dec.More() {
		f.add("", "malformed_line", i18n.T("The line is not one JSON object of the import format.", "该行不是符合导入格式的 JSON 对象。"))
		return parsedLine{}
	}
	pl := parsedLine{no: no}
	pl.person, pl.birth = PersonInput{Surname: in.Surname, GivenNames: in.GivenNames, ChineseName: in.ChineseName,
		Sex: in.Sex, BirthDate: in.BirthDate, Nationality: in.Nationality, Mobile: in.Mobile, Email: in.Email}.normalize(today, f)
	if len(f.list) > 0 {
		return pl
	}
	holder := Person{Surname: pl.person.Surname, GivenNames: pl.person.GivenNames,
		Nationality: pl.person.Nationality, BirthDate: pl.birth}
	if in.Passport == nil {
		f.add("passport", "required", i18n.T("Each line needs the person's passport.", "每一行都需要护照信息。"))
		return pl
	}
	pf := fieldErrors{prefix: f.prefix + "passport."}
	pl.passport = PassportInput{Number: in.Passport.Number, IssuingState: in.Passport.IssuingState,
		IssueDate: in.Passport.IssueDate, ExpiryDate: in.Passport.ExpiryDate, MRZ: in.Passport.MRZ}.check(holder, today, &pf)
	f.list = append(f.list, pf.list...)
	if in.FPRCard != nil {
		cf := fieldErrors{prefix: f.prefix + "fpr_card."}
		card, version := FPRCardInput{Number: in.FPRCard.Number, IssueDate: in.FPRCard.IssueDate,
			ExpiryDate: in.FPRCard.ExpiryDate, PrintedName: in.FPRCard.PrintedName}.check(holder, today, &cf)
		pl.card, pl.version = &card, version
		pl.reason = strings.TrimSpace(in.FPRCard.Reason)
		if pl.reason != "" && pl.reason != IssueRenewal && pl.reason != IssueReplacement {
			cf.add("reason", "invalid_issue_reason", i18n.T("reason must be renewal or replacement.", "签发原因须为期满换发或补换发。"))
		}
		f.list = append(f.list, cf.list...)
	}
	return pl
}

// dupCheck refuses a passport or card that appears twice in one file: the
// file would contradict itself.
func dupCheck(pl parsedLine, seenPass, seenCard map[string]int, f *fieldErrors) {
	key := pl.passport.IssuingState + "/" + pl.passport.Number
	if first, ok := seenPass[key]; ok {
		f.add("passport.number", "duplicate_in_file", i18n.T(
			fmt.Sprintf("This passport is already on line %d.", first), fmt.Sprintf("此护照已出现在第 %d 行。", first)))
	} else {
		seenPass[key] = pl.no
	}
	if pl.card == nil {
		return
	}
	if first, ok := seenCard[pl.card.Number]; ok {
		f.add("fpr_card.number", "duplicate_in_file", i18n.T(
			fmt.Sprintf("This FPR card is already on line %d.", first), fmt.Sprintf("此永久居留身份证已出现在第 %d 行。", first)))
	} else {
		seenCard[pl.card.Number] = pl.no
	}
}

// importError is the all-or-nothing answer for a file with bad lines.
func importError(bad []apperr.FieldError) error {
	first := bad[0]
	return &apperr.Error{Kind: apperr.KindInvalid, Code: "import_invalid", Field: first.Field, Fields: bad,
		Message: i18n.T(
			fmt.Sprintf("Nothing was imported: %d problem(s), the first at %s.", len(bad), first.Field),
			fmt.Sprintf("未导入任何数据：共 %d 处错误，第一处见错误列表。", len(bad)))}
}
