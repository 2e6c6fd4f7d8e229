package applications

import (
	"context"
	"strings"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Inquiry is a validated anonymous status inquiry.
type Inquiry struct {
	Number         Number
	PassportNumber string // upper case, letters and digits only
	BirthDate      calendar.Date
}

// Passport numbers differ by issuing state; ICAO 9303 gives them nine
// characters in the MRZ, a few states issue longer ones. These bounds
// refuse obvious garbage without refusing any real passport.
const (
	minPassportLen = 3
	maxPassportLen = 20
)

// ParseInquiry validates the three fields of an inquiry. The application
// number is checked first and alone, so a mistyped number is answered at
// once, before anything is looked up; the other two fields are then
// reported together. today bounds the birth date.
func ParseInquiry(number, passport, birthDate string, today calendar.Date) (Inquiry, error) {
	n, err := ParseNumber(number)
	if err != nil {
		return Inquiry{}, err
	}
	q := Inquiry{Number: n, PassportNumber: strings.ToUpper(strings.TrimSpace(passport))}
	var fs []apperr.FieldError
	if !passportShaped(q.PassportNumber) {
		fs = append(fs, apperr.FieldError{Field: "passport_number", Code: "invalid_passport_number",
			Message: i18n.T("passport_number must be 3 to 20 letters and digits, as printed in the passport.",
				"护照号码须为 3 至 20 位字母或数字，与护照所印一致。")})
	}
	d, err := calendar.ParseDate(strings.TrimSpace(birthDate))
	if err != nil || today.Before(d) {
		fs = append(fs, apperr.FieldError{Field: "birth_date", Code: "invalid_birth_date",
			Message: i18n.T("birth_date must be a past date written YYYY-MM-DD.",
				"出生日期须为过去的日期，格式为 YYYY-MM-DD。")})
	}
	q.BirthDate = d
	if err := invalidFields(fs); err != nil {
		return Inquiry{}, err
	}
	return q, nil
}

func passportShaped(s string) bool {
	if len(s) < minPassportLen || len(s) > maxPassportLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Inquire answers an anonymous inquiry with the public view. A number that
// does not exist and passport details that do not match the applicant give
// the same not-found error, so an inquiry cannot be used to learn whether
// a number exists or whose it is.
func (s *Service) Inquire(ctx context.Context, q Inquiry) (Public, error) {
	row, err := rowByNumber(s.db.Gorm.WithContext(ctx), q.Number)
	if err != nil {
		return Public{}, wrapRead(err)
	}
	ok, err := s.applicants.MatchesPassport(ctx, row.PersonID, q.PassportNumber, q.BirthDate.String())
	if err != nil {
		return Public{}, apperr.Internal("applications: passport match: %w", err)
	}
	if !ok {
		return Public{}, errNotFound
	}
	rec, err := s.record(ctx, row)
	if err != nil {
		return Public{}, wrapRead(err)
	}
	return rec.public(), nil
}
