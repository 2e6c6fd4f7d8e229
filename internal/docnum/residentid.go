package docnum

import (
	"strings"

	"github.com/fprlink/fprlink/internal/calendar"
)

// ResidentID is a parsed 18-digit Chinese resident identity number.
type ResidentID struct {
	Number    string
	Area      string // six-digit administrative division code
	BirthDate calendar.Date
	Sex       string // "M" for an odd sequence number, "F" for even
}

// ParseResidentID checks an 18-digit resident identity number (GB 11643):
// area code, YYYYMMDD, three-digit sequence and a MOD 11-2 check character.
func ParseResidentID(s string) (ResidentID, error) {
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
	birth, ok := parseYYYYMMDD(n[6:14])
	if !IsProvince(n[:2]) || !ok {
		return ResidentID{}, invalid("resident_id_format",
			"The resident identity number holds an unknown area or an impossible birth date.",
			"居民身份证号码中的地区代码或出生日期无效。")
	}
	sex := "F"
	if (n[16]-'0')%2 == 1 {
		sex = "M"
	}
	return ResidentID{Number: n, Area: n[:6], BirthDate: birth, Sex: sex}, nil
}
