package docnum

import (
	"strings"

	"github.com/fprlink/fprlink/internal/calendar"
)

// MRZ is a parsed ICAO Doc 9303 TD3 (passport) machine-readable zone whose
// check digits all hold.
type MRZ struct {
	DocumentCode string // "P" plus an optional type letter
	IssuingState string // code as printed, fillers dropped: "D" for Germany's "D<<"
	Surname      string // as in the MRZ, fillers turned into spaces
	GivenNames   string
	Number       string // document number without fillers
	Nationality  string // code as printed, fillers dropped
	BirthDate    calendar.Date
	Sex          string // "M", "F" or "X" (the MRZ's '<')
	ExpiryDate   calendar.Date
	OptionalData string // personal number or other optional data, fillers removed
	Line1, Line2 string
}

// TD3 line length.
const mrzLineLen = 44

// ParseTD3 parses a two-line passport MRZ, given as two lines separated by a
// newline or as the 88 characters run together, and verifies the check
// digits of the document number, birth date, expiry date and optional data
// and the composite check digit. today resolves two-digit years: a birth
// year that would lie in the future belongs to the previous century, an
// expiry year to this one unless it is more than 20 years ahead.
//
// The 7-3-1 scheme cannot see a substitution whose character values differ
// by a multiple of 10 (such as '0' for 'A'); those reach the format checks
// of the field or, for the document number, go undetected, as in every MRZ
// reader.
func ParseTD3(text string, today calendar.Date) (MRZ, error) {
	l1, l2, err := splitTD3(text)
	if err != nil {
		return MRZ{}, err
	}
	if err := verifyTD3Checks(l2); err != nil {
		return MRZ{}, err
	}
	return decodeTD3(l1, l2, today)
}

func splitTD3(text string) (string, string, error) {
	s := strings.TrimSpace(strings.ReplaceAll(text, "\r", ""))
	var l1, l2 string
	if a, b, ok := strings.Cut(s, "\n"); ok {
		l1, l2 = strings.TrimSpace(a), strings.TrimSpace(b)
	} else if len(s) == 2*mrzLineLen {
		l1, l2 = s[:mrzLineLen], s[mrzLineLen:]
	}
	if len(l1) != mrzLineLen || len(l2) != mrzLineLen {
		return "", "", invalid("mrz_length",
			"A passport MRZ is two lines of 44 characters.", "护照机读区应为两行，每行 44 个字符。")
	}
	for _, l := range [2]string{l1, l2} {
		for i := 0; i < len(l); i++ {
			if _, ok := charValue(l[i]); !ok {
				return "", "", invalid("mrz_format",
					"The MRZ may only hold A–Z, 0–9 and '<'.", "机读区只能包含 A–Z、0–9 和 '<'。")
			}
		}
	}
	if l1[0] != 'P' {
		return "", "", invalid("mrz_document_code",
			"This is not a passport MRZ: line 1 must start with P.", "这不是护照机读区：第一行应以 P 开头。")
	}
	return l1, l2, nil
}

// td3Check is one check digit of line 2: the characters it covers and where
// it stands.
type td3Check struct {
	code     string
	en, zh   string
	from, to int // covered range of line 2
	at       int // position of the check digit
}

func td3Checks() [4]td3Check {
	return [4]td3Check{
		{"mrz_number_check", "The check digit of the passport number does not match.", "护照号码的校验位不符。", 0, 9, 9},
		{"mrz_birth_check", "The check digit of the birth date does not match.", "出生日期的校验位不符。", 13, 19, 19},
		{"mrz_expiry_check", "The check digit of the expiry date does not match.", "有效期的校验位不符。", 21, 27, 27},
		{"mrz_optional_check", "The check digit of the optional data does not match.", "可选数据的校验位不符。", 28, 42, 42},
	}
}

func verifyTD3Checks(l2 string) error {
	for _, c := range td3Checks() {
		if !checkDigitHolds(l2[c.from:c.to], l2[c.at], c.code == "mrz_optional_check") {
			return invalid(c.code, c.en, c.zh)
		}
	}
	composite := l2[0:10] + l2[13:20] + l2[21:43]
	if !checkDigitHolds(composite, l2[43], false) {
		return invalid("mrz_composite_check",
			"The composite check digit of the MRZ does not match.", "机读区的总校验位不符。")
	}
	return nil
}

// checkDigitHolds reports whether c is the check digit of field. Doc 9303
// lets an all-filler optional data field carry '<' as its check digit.
func checkDigitHolds(field string, c byte, fillerAllowed bool) bool {
	if fillerAllowed && c == '<' {
		return strings.Trim(field, "<") == ""
	}
	want, ok := checkDigit731(field)
	return ok && isDigit(c) && int(c-'0') == want
}

func decodeTD3(l1, l2 string, today calendar.Date) (MRZ, error) {
	m := MRZ{Line1: l1, Line2: l2,
		DocumentCode: strings.TrimRight(l1[0:2], "<"),
		IssuingState: strings.TrimRight(l1[2:5], "<"), Nationality: strings.TrimRight(l2[10:13], "<"),
		Number: strings.TrimRight(l2[0:9], "<"), OptionalData: strings.TrimRight(l2[28:42], "<"),
	}
	if !stateCode(l1[2:5]) || !stateCode(l2[10:13]) {
		return MRZ{}, invalid("mrz_state", "The issuing state and nationality must be three-letter codes.", "签发国和国籍必须是三字母代码。")
	}
	surname, given, _ := strings.Cut(strings.TrimRight(l1[5:], "<"), "<<")
	m.Surname, m.GivenNames = fillers(surname), fillers(given)
	if m.Surname == "" || m.Number == "" {
		return MRZ{}, invalid("mrz_format", "The MRZ lacks a surname or a document number.", "机读区缺少姓氏或证件号码。")
	}
	switch l2[20] {
	case 'M', 'F':
		m.Sex = string(l2[20])
	case '<':
		m.Sex = "X"
	default:
		return MRZ{}, invalid("mrz_sex", "The sex in the MRZ must be M, F or '<'.", "机读区中的性别必须是 M、F 或 '<'。")
	}
	var ok bool
	if m.BirthDate, ok = yymmdd(l2[13:19], today, 0); !ok {
		return MRZ{}, invalid("mrz_birth_date", "The birth date in the MRZ is not a real date.", "机读区中的出生日期无效。")
	}
	if m.ExpiryDate, ok = yymmdd(l2[21:27], today, 20); !ok {
		return MRZ{}, invalid("mrz_expiry_date", "The expiry date in the MRZ is not a real date.", "机读区中的有效期无效。")
	}
	return m, nil
}

// stateCode accepts three letters, allowing trailing fillers for the
// one- and two-letter codes Doc 9303 keeps (D<< for Germany).
func stateCode(s string) bool {
	t := strings.TrimRight(s, "<")
	return t != "" && allLetters(t)
}

func fillers(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '<' }), " ")
}

// yymmdd resolves a six-digit date to the latest century that puts it no
// more than ahead years after today.
func yymmdd(s string, today calendar.Date, ahead int) (calendar.Date, bool) {
	if !allDigits(s) {
		return calendar.Date{}, false
	}
	yy := int(s[0]-'0')*10 + int(s[1]-'0')
	year := today.Year - today.Year%100 + yy
	if year > today.Year+ahead {
		year -= 100
	}
	y := [4]byte{byte('0' + year/1000%10), byte('0' + year/100%10), byte('0' + year/10%10), byte('0' + year%10)}
	return parseYYYYMMDD(string(y[:]) + s[2:])
}
