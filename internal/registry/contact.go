package registry

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/fprlink/fprlink/internal/i18n"
)

// maxEmail is the longest address a mail path can carry (RFC 5321,
// section 4.5.3.1.3: a path of 256 octets including the angle brackets).
const maxEmail = 254

var (
	msgMobile = i18n.T(
		"The mobile number is written in international form, + and 8 to 15 digits (ITU-T E.164), or as an 11-digit mainland China mobile number.",
		"手机号码须为国际格式（“+”加 8 至 15 位数字），或 11 位中国大陆手机号码。")
	msgEmail = i18n.T(
		"The e-mail address must be a single address of at most 254 characters, with a domain name such as example.cn.",
		"电子邮箱须为单个地址，最多 254 个字符，并含有域名（例如 example.cn）。")
)

// NormalizeMobile returns a mobile number in E.164 form: "+" and 8 to 15
// digits, the first not zero (ITU-T E.164 allows at most 15 digits, and
// no country code starts with 0). Spaces, hyphens, dots and brackets are
// dropped; an 11-digit number starting with 1 and then 3 to 9, the form of
// mainland China mobile numbers, gains +86. Empty stays empty (no number
// on record); anything else is refused.
func NormalizeMobile(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	switch {
	case n == "":
		return "", strings.TrimSpace(s) == ""
	case len(n) == 11 && n[0] == '1' && n[1] >= '3' && n[1] <= '9':
		return "+86" + n, true
	case n[0] != '+' || len(n) < 9 || len(n) > 16 || n[1] == '0':
		return "", false
	}
	return n, true
}

// NormalizeEmail returns an e-mail address with its domain in lower case
// (the local part is the receiving system's to interpret, so it is kept
// as given). It must be a bare address (no display name or brackets), with
// a dotted domain; empty stays empty.
func NormalizeEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if len(s) > maxEmail || strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if len(local) > 64 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") || strings.HasPrefix(domain, "[") {
		return "", false
	}
	return local + "@" + domain, true
}

// checkContact normalises the contact fields of a person input.
func (in *PersonInput) checkContact(f *fieldErrors) {
	var ok bool
	if in.Mobile, ok = NormalizeMobile(in.Mobile); !ok {
		f.add("mobile", "invalid_mobile", msgMobile)
	}
	if in.Email, ok = NormalizeEmail(in.Email); !ok {
		f.add("email", "invalid_email", msgEmail)
	}
}
