package docnum

import (
	"fmt"
	"strings"

	"github.com/fprlink/fprlink/internal/calendar"
)

// FPR card versions.
const (
	FPR2017 = 2017
	FPR2023 = 2023
)

// FPRNumber is a parsed Foreign Permanent Resident ID Card number whose
// check character holds.
type FPRNumber struct {
	Number      string // normalised: upper case, no spaces
	Version     int    // FPR2017 or FPR2023
	Province    string // two-digit province-level code of the issuing authority
	Nationality string // alpha-3
	// BirthDate is the full date on a 2023 card. A 2017 card carries only
	// YYMMDD, so its Year is the two-digit year (0–99).
	BirthDate calendar.Date
}

// ParseFPR parses a 2023 (18 characters) or 2017 (15 characters) card
// number, telling them apart by length. today bounds the birth date a 2023
// number holds; a 2017 number gives only YYMMDD, which lies in the past in
// one century or the other, so AgreesWith is what checks it.
func ParseFPR(s string, today calendar.Date) (FPRNumber, error) {
	n := strings.ToUpper(strings.TrimSpace(s))
	switch len(n) {
	case 18:
		return parseFPR2023(n, today)
	case 15:
		return parseFPR2017(n)
	}
	return FPRNumber{}, invalid("fpr_length",
		"An FPR card number has 18 characters (2023 card) or 15 (2017 card).",
		"永久居留身份证号码应为 18 位（2023 版）或 15 位（2017 版）。")
}

// parseFPR2023 reads 9 + province(2) + ISO 3166 numeric nationality(3) +
// YYYYMMDD + sequence(3) + ISO 7064 MOD 11-2 check.
func parseFPR2023(n string, today calendar.Date) (FPRNumber, error) {
	if n[0] != '9' || !allDigits(n[:17]) || !(isDigit(n[17]) || n[17] == 'X') {
		return FPRNumber{}, invalid("fpr_format",
			"A 2023 FPR card number is 9, then 16 digits, then a digit or X.",
			"2023 版永久居留身份证号码以 9 开头，后跟 16 位数字和 1 位数字或 X。")
	}
	if c, _ := mod112Check(n[:17]); c != n[17] {
		return FPRNumber{}, errFPRCheck()
	}
	out := FPRNumber{Number: n, Version: FPR2023, Province: n[1:3]}
	if !IsProvince(out.Province) {
		return FPRNumber{}, errFPRProvince()
	}
	var ok bool
	if out.Nationality, ok = Alpha3(n[3:6]); !ok {
		return FPRNumber{}, errFPRNationality()
	}
	if out.BirthDate, ok = parseYYYYMMDD(n[6:14]); !ok {
		return FPRNumber{}, errFPRBirth()
	}
	if today.Before(out.BirthDate) {
		return FPRNumber{}, errFPRBirthFuture()
	}
	return out, nil
}

// parseFPR2017 reads ISO alpha-3 nationality + issuing authority(4, led by
// the province code) + YYMMDD + sequence(1) + 7-3-1 check over the first 14.
func parseFPR2017(n string) (FPRNumber, error) {
	if !allLetters(n[:3]) || !allDigits(n[3:]) {
		return FPRNumber{}, invalid("fpr_format",
			"A 2017 FPR card number is 3 letters followed by 12 digits.",
			"2017 版永久居留身份证号码为 3 个字母加 12 位数字。")
	}
	if c, _ := checkDigit731(n[:14]); int(n[14]-'0') != c {
		return FPRNumber{}, errFPRCheck()
	}
	out := FPRNumber{Number: n, Version: FPR2017, Province: n[3:5], Nationality: n[:3]}
	if !IsProvince(out.Province) {
		return FPRNumber{}, errFPRProvince()
	}
	if !isISOAlpha3(out.Nationality) {
		return FPRNumber{}, errFPRNationality()
	}
	// Any century will do to check the month and day; 2000 is a leap year
	// so 29 February passes.
	d, ok := parseYYYYMMDD("20" + n[7:13])
	if !ok {
		return FPRNumber{}, errFPRBirth()
	}
	out.BirthDate = calendar.Date{Year: d.Year - 2000, Month: d.Month, Day: d.Day}
	return out, nil
}

// AgreesWith checks that the nationality and birth date written in the
// number are the holder's: a card number copied from someone else fails.
// nationality is the holder's MRZ code; D and DEU are both Germany. A
// holder whose code has no ISO 3166-1 equivalent (a British National
// (Overseas), a stateless person, a refugee) gets fpr_nationality_not_iso:
// the card number can hold only an ISO code, so it cannot say theirs.
func (f FPRNumber) AgreesWith(nationality string, birth calendar.Date) error {
	c, known := LookupCountry(nationality)
	if known && c.ISO == "" {
		return errFPRNotISO(c)
	}
	if !known || c.ISO != f.Nationality {
		return invalid("fpr_nationality_mismatch",
			"The nationality in the FPR card number is not the holder's.",
			"永久居留身份证号码中的国籍与持证人不符。")
	}
	want := birth
	if f.Version == FPR2017 {
		want.Year %= 100
	}
	if f.BirthDate != want {
		return invalid("fpr_birth_mismatch",
			"The birth date in the FPR card number is not the holder's.",
			"永久居留身份证号码中的出生日期与持证人不符。")
	}
	return nil
}

func errFPRNotISO(c Country) error {
	return invalid("fpr_nationality_not_iso",
		fmt.Sprintf("The holder's nationality %s (%s) is an ICAO travel-document code with no ISO 3166-1 country code, "+
			"and an FPR card number can hold only an ISO 3166-1 code, so no card number can agree with it: "+
			"ask the exit-entry administration that issued the card which nationality it records.", c.Code, c.Name.En),
		fmt.Sprintf("持证人国籍代码 %s（%s）是国际民航组织旅行证件代码，没有对应的 ISO 3166-1 国家代码；"+
			"永久居留身份证号码只能包含 ISO 3166-1 国家代码，因此任何证件号码都无法与之相符。"+
			"请向签发该证件的出入境管理机构核实证件登记的国籍。", c.Code, c.Name.Zh))
}

func errFPRBirthFuture() error {
	return invalid("fpr_birth_future", "The FPR card number holds a birth date in the future.",
		"永久居留身份证号码中的出生日期晚于今天。")
}

func errFPRCheck() error {
	return invalid("fpr_check", "The FPR card number's check character is wrong: look for a typing mistake.",
		"永久居留身份证号码的校验位不正确，请检查是否输入有误。")
}

func errFPRProvince() error {
	return invalid("fpr_province", "The FPR card number does not start with a known province code.",
		"永久居留身份证号码中的省级代码无效。")
}

func errFPRNationality() error {
	return invalid("fpr_nationality", "The FPR card number holds an unknown nationality code.",
		"永久居留身份证号码中的国籍代码无效。")
}

func errFPRBirth() error {
	return invalid("fpr_birth_date", "The FPR card number holds an impossible birth date.",
		"永久居留身份证号码中的出生日期无效。")
}

// MakeFPR2023 builds a 2023 card number with its check character, for
// fictional demo data and tests. It does not validate its inputs.
func MakeFPR2023(province, nationality string, birth calendar.Date, seq int) string {
	num, _ := NumericCode(nationality)
	body := "9" + province + num + strings.ReplaceAll(birth.String(), "-", "") + pad3(seq)
	c, _ := mod112Check(body)
	return body + string(c)
}

// MakeFPR2017 builds a 2017 card number with its check digit, for fictional
// demo data and tests. It does not validate its inputs.
func MakeFPR2017(nationality, authority string, birth calendar.Date, seq int) string {
	body := nationality + authority + strings.ReplaceAll(birth.String(), "-", "")[2:] + string(rune('0'+seq%10))
	c, _ := checkDigit731(body)
	return body + string(rune('0'+c))
}

func pad3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
