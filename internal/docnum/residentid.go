package docnum

import (
	"strings"

	"github.com/fprlink/fprlink/internal/calendar"
)

// Holders of an 18-digit citizen identity number.
const (
	// MainlandResident holds a resident identity card; the number starts
	// with a mainland division code.
	MainlandResident = "mainland"
	// HongKongResident, MacaoResident and TaiwanResident hold the
	// residence permit for Hong Kong, Macao and Taiwan residents, whose
	// citizen identity number starts with 810000, 820000 or 830000.
	HongKongResident = "hong_kong"
	MacaoResident    = "macao"
	TaiwanResident   = "taiwan"
)

// permitHolder names the holder of a residence permit from its address
// code: the codes the Measures for the Application and
// Issuance of Residence Permits for Hong Kong, Macao and Taiwan Residents
// (General Office of the State Council, Guobanfa [2018] No. 81, Article 3)
// give the citizen identity numbers on those permits. The numbers are
// otherwise built to the same national standard (GB 11643) as a resident
// identity card, and the permit serves the same purposes, so one parser
// accepts all four kinds and says which it read.
func permitHolder(area string) (string, bool) {
	switch area {
	case "810000":
		return HongKongResident, true
	case "820000":
		return MacaoResident, true
	case "830000":
		return TaiwanResident, true
	}
	return "", false
}

// ResidentID is a parsed 18-digit citizen identity number.
type ResidentID struct {
	Number    string
	Area      string // six-digit address code
	Holder    string // MainlandResident, HongKongResident, MacaoResident or TaiwanResident
	BirthDate calendar.Date
	Sex       string // "M" for an odd sequence number, "F" for even
}

// ParseResidentID checks an 18-digit citizen identity number (GB 11643):
// address code, YYYYMMDD, three-digit sequence and a MOD 11-2 check
// character. The address is a mainland division or one of the three
// permit codes; today bounds the birth date.
func ParseResidentID(s string, today calendar.Date) (ResidentID, error) {
	n := strings.ToUpper(strings.TrimSpace(s))
	if len(n) != 18 {
		return ResidentID{}, invalid("resident_id_length",
			"A resident identity number has 18 characters.", "居民身份证号码应为 18 位。")
	}
	if !allDigits(n[:17]) || !(isDigit(n[17]) || n[17] == 'X') {
		return ResidentID{}, invalid("resident_id_format",
			"A resident identity number is 17 digits followed by a digit or X.",
			"居民身份证号码为 17 位数字加 1 位数字或 X。")
	}
	if c, _ := mod112Check(n[:17]); c != n[17] {
		return ResidentID{}, invalid("resident_id_check",
			"The resident identity number's check character is wrong: look for a typing mistake.",
			"居民身份证号码的校验位不正确，请检查是否输入有误。")
	}
	holder, ok := permitHolder(n[:6])
	if !ok && IsProvince(n[:2]) {
		holder, ok = MainlandResident, true
	}
	if !ok {
		return ResidentID{}, invalid("resident_id_area",
			"The number starts with no mainland division code, nor with 810000, 820000 or 830000 of a Hong Kong, Macao or Taiwan resident's residence permit.",
			"号码开头既不是内地行政区划代码，也不是港澳台居民居住证的 810000、820000 或 830000。")
	}
	birth, ok := parseYYYYMMDD(n[6:14])
	if !ok {
		return ResidentID{}, invalid("resident_id_birth_date",
			"The resident identity number holds an impossible birth date.", "居民身份证号码中的出生日期无效。")
	}
	if today.Before(birth) {
		return ResidentID{}, invalid("resident_id_birth_future",
			"The resident identity number holds a birth date in the future.", "居民身份证号码中的出生日期晚于今天。")
	}
	sex := "F"
	if (n[16]-'0')%2 == 1 {
		sex = "M"
	}
	return ResidentID{Number: n, Area: n[:6], Holder: holder, BirthDate: birth, Sex: sex}, nil
}

// MakeResidentID builds an 18-digit citizen identity number with its
// check character, for fictional demo data and tests. It does not
// validate its inputs.
func MakeResidentID(area string, birth calendar.Date, seq int) string {
	body := area + strings.ReplaceAll(birth.String(), "-", "") + pad3(seq)
	c, _ := mod112Check(body)
	return body + string(c)
}
