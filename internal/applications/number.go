package applications

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Number is a validated application number.
//
// Format (19 characters): "AP" + the local submission date YYYYMMDD + 8
// random digits + one check character computed with ISO 7064 MOD 11-2 over
// the 16 digits (the same scheme as the resident ID and the 2023 FPR card,
// so counter staff know it): '0'–'9' or 'X'. Example: AP20261127000000013.
//
// MOD 11-2 catches every single-digit mistake and every swap of two
// adjacent digits, the errors people make reading a number off a receipt,
// so a mistyped number is refused before the database is asked.
type Number string

// Parts of the format.
const (
	numberPrefix = "AP"
	numberDigits = 16 // date (8) + random (8)
	numberLen    = len(numberPrefix) + numberDigits + 1
)

// String returns the canonical form.
func (n Number) String() string { return string(n) }

// FieldApplicationNumber is the request field an application number is
// reported against.
const FieldApplicationNumber = "application_number"

var (
	msgNumberFormat = i18n.T(
		"An application number is AP, 16 digits and a check character (0–9 or X), as printed on the receipt.",
		"受理编号由 AP、16 位数字和 1 位校验码（0–9 或 X）组成，见受理回执。")
	msgNumberCheck = i18n.T(
		"This application number is mistyped: its check character does not match. Check it against the receipt.",
		"受理编号有误：校验码不符。请对照受理回执核对。")
)

// ParseNumber validates s: surrounding spaces are ignored and letters may
// be lower case. A wrong shape is invalid_application_number, a wrong check
// character application_number_check; both name FieldApplicationNumber.
func ParseNumber(s string) (Number, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != numberLen || !strings.HasPrefix(s, numberPrefix) {
		return "", apperr.Invalid("invalid_application_number", FieldApplicationNumber, msgNumberFormat)
	}
	digits := s[len(numberPrefix) : len(numberPrefix)+numberDigits]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", apperr.Invalid("invalid_application_number", FieldApplicationNumber, msgNumberFormat)
		}
	}
	if _, err := time.Parse("20060102", digits[:8]); err != nil {
		return "", apperr.Invalid("invalid_application_number", FieldApplicationNumber, msgNumberFormat)
	}
	last := s[numberLen-1]
	if (last < '0' || last > '9') && last != 'X' {
		return "", apperr.Invalid("invalid_application_number", FieldApplicationNumber, msgNumberFormat)
	}
	if mod112(digits) != last {
		return "", apperr.Invalid("application_number_check", FieldApplicationNumber, msgNumberCheck)
	}
	return Number(s), nil
}

// newNumber makes a number for an application submitted on d, drawing the
// eight random digits from rnd (crypto/rand in production). Uniqueness is
// enforced by the database; the caller retries on a clash.
func newNumber(d calendar.Date, rnd io.Reader) (Number, error) {
	var b [8]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", fmt.Errorf("applications: random digits: %w", err)
	}
	var sb strings.Builder
	sb.Grow(numberLen)
	sb.WriteString(numberPrefix)
	fmt.Fprintf(&sb, "%04d%02d%02d", d.Year, int(d.Month), d.Day)
	for _, x := range b {
		// 256 % 10 != 0 skews digits 0–5 slightly; the digits only need to
		// be hard to guess in bulk, which the inquiry's passport check and
		// rate limit already ensure, not uniformly distributed.
		sb.WriteByte('0' + x%10)
	}
	digits := sb.String()[len(numberPrefix):]
	sb.WriteByte(mod112(digits))
	return Number(sb.String()), nil
}

// mod112 is the ISO 7064 MOD 11-2 check character of a digit string.
func mod112(digits string) byte {
	p := 0
	for i := 0; i < len(digits); i++ {
		p = ((p + int(digits[i]-'0')) * 2) % 11
	}
	c := (12 - p) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}
