package issuer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// Input is the registry data one attestation is made from. The registry has
// already checked check digits; the issuer checks shapes so it never signs
// something the wire format cannot carry.
type Input struct {
	// DocumentNumber becomes jti and is printed on the PDF.
	DocumentNumber string
	// Purpose is the sector the document is for (edoc.PurposeBank …): it
	// becomes aud, and only its fields (edoc.PurposeFields) are signed.
	Purpose string
	// ChineseName is the holder's Chinese name, empty when the registry
	// has none.
	ChineseName string
	Passport    PassportData
	Card        CardData
}

// PassportData is the holder's passport as in its TD3 MRZ. Names use the MRZ
// transliteration: A–Z, with spaces where the MRZ has '<'.
type PassportData struct {
	Number       string
	IssuingState string // ICAO code, e.g. "FRA", "D"
	Nationality  string
	Surname      string
	GivenNames   string
	BirthDate    time.Time // the calendar date is used, the time of day ignored
	Sex          string    // "M", "F" or "X"
	ExpiryDate   time.Time
	// PreviousNumber is the passport held before this one, if any.
	PreviousNumber string
}

// CardData is the holder's Foreign Permanent Resident ID Card.
type CardData struct {
	Number     string
	Version    string // edoc.CardVersion2017 or edoc.CardVersion2023
	IssueDate  time.Time
	ExpiryDate time.Time
	// PreviousNumber is the card this one replaced, if any, in the
	// 2017 or 2023 form.
	PreviousNumber string
	// PrintedName is the name as printed on the card, where the registry
	// keeps one because it differs from the MRZ name. It goes on the PDF of
	// every purpose (all show the names) and is not signed (see
	// Document.PrintedName).
	PrintedName string
}

// ValidDocumentNumber reports whether s has the shape of a document number
// (the jti): 1 to 32 of A-Z, 0-9 and '-', not starting with '-'.
func ValidDocumentNumber(s string) bool { return reDocNumber.MatchString(s) }

var (
	reDocNumber = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{0,31}$`)
	rePassNo    = regexp.MustCompile(`^[A-Z0-9]{1,9}$`)
	reState     = regexp.MustCompile(`^[A-Z]{1,3}$`)
	reName      = regexp.MustCompile(`^[A-Z]+( [A-Z]+)*$`)
	reCard2023  = regexp.MustCompile(`^9[0-9]{16}[0-9X]$`)
	reCard2017  = regexp.MustCompile(`^[A-Z]{3}[0-9]{12}$`)
)

// mrzNameLen is the TD3 name field: surname, "<<", given names.
const mrzNameLen = 39

func invalid(field, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidInput, field, why)
}

// Validate checks every field's shape and returns the first fault.
func (in Input) Validate() error {
	p, c := in.Passport, in.Card
	checks := []struct {
		ok         bool
		field, why string
	}{
		{reDocNumber.MatchString(in.DocumentNumber), "document_number", "1-32 of A-Z 0-9 -"},
		{validPurpose(in.Purpose), "purpose", "one of bank, tax, telecom, social_security"},
		{validChineseName(in.ChineseName), "chinese_name", "at most 30 characters, no control characters"},
		{validPrintedName(c.PrintedName), "fpr_card.printed_name", "at most 100 characters, no control characters"},
		{p.PreviousNumber == "" || rePassNo.MatchString(p.PreviousNumber), "passport.previous_number", "1-9 of A-Z 0-9"},
		{c.PreviousNumber == "" || reCard2023.MatchString(c.PreviousNumber) || reCard2017.MatchString(c.PreviousNumber),
			"fpr_card.previous_number", "a 2017 or 2023 card number"},
		{rePassNo.MatchString(p.Number), "passport.number", "1-9 of A-Z 0-9"},
		{reState.MatchString(p.IssuingState), "passport.issuing_state", "ICAO code"},
		{reState.MatchString(p.Nationality), "passport.nationality", "ICAO code"},
		{reName.MatchString(p.Surname), "passport.surname", "MRZ name: A-Z and single spaces"},
		{p.GivenNames == "" || reName.MatchString(p.GivenNames), "passport.given_names", "MRZ name: A-Z and single spaces"},
		{len(p.Surname)+2+len(p.GivenNames) <= mrzNameLen, "passport.given_names", "names exceed the 39-character MRZ field"},
		{p.Sex == "M" || p.Sex == "F" || p.Sex == "X", "passport.sex", "M, F or X"},
		{!p.BirthDate.IsZero(), "passport.birth_date", "required"},
		{!p.ExpiryDate.IsZero(), "passport.expiry_date", "required"},
		{validCardShape(c), "fpr_card.number", "does not match its version"},
		{!c.IssueDate.IsZero(), "fpr_card.issue_date", "required"},
		{!c.ExpiryDate.IsZero(), "fpr_card.expiry_date", "required"},
		{date(c.IssueDate) < date(c.ExpiryDate), "fpr_card.expiry_date", "not after issue date"},
		{date(p.BirthDate) < date(c.IssueDate), "passport.birth_date", "not before card issue date"},
	}
	for _, ch := range checks {
		if !ch.ok {
			return invalid(ch.field, ch.why)
		}
	}
	return nil
}

func validPurpose(p string) bool {
	_, _, ok := edoc.PurposeFields(p)
	return ok
}

// maxChineseName bounds the Chinese name as the registry does.
const maxChineseName = 30

func validChineseName(s string) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= maxChineseName &&
		strings.IndexFunc(s, unicode.IsControl) < 0 && strings.TrimSpace(s) == s
}

// maxPrintedName bounds the printed name as the registry does.
const maxPrintedName = 100

func validPrintedName(s string) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= maxPrintedName &&
		strings.IndexFunc(s, unicode.IsControl) < 0 && strings.TrimSpace(s) == s
}

func validCardShape(c CardData) bool {
	switch c.Version {
	case edoc.CardVersion2023:
		return reCard2023.MatchString(c.Number)
	case edoc.CardVersion2017:
		return reCard2017.MatchString(c.Number)
	default:
		return false
	}
}

// date formats the calendar date of t as written in the claims.
func date(t time.Time) string { return t.Format(time.DateOnly) }

// endOfDay is the instant a credential expiring on day d stops being valid:
// midnight after d in China Standard Time (UTC+8, no daylight saving), where
// every fprlink centre is.
func endOfDay(d time.Time) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, chinaTime)
}

var chinaTime = time.FixedZone("CST", 8*60*60)

func (in Input) claims(iss string, now time.Time, maxValidity time.Duration, slot StatusSlot) (edoc.Claims, error) {
	start := now.Truncate(time.Second)
	exp := start.Add(maxValidity)
	for _, limit := range []time.Time{endOfDay(in.Passport.ExpiryDate), endOfDay(in.Card.ExpiryDate)} {
		if limit.Before(exp) {
			exp = limit
		}
	}
	if !exp.After(start) {
		return edoc.Claims{}, ErrCredentialExpired
	}
	p, c := in.Passport, in.Card
	all := edoc.Claims{
		Issuer: iss, IssuedAt: start.Unix(), NotBefore: start.Unix(), Expiry: exp.Unix(),
		ID: in.DocumentNumber, ChineseName: in.ChineseName,
		Passport: edoc.Passport{
			Number: p.Number, IssuingState: p.IssuingState, Nationality: p.Nationality,
			Surname: p.Surname, GivenNames: p.GivenNames, BirthDate: date(p.BirthDate),
			Sex: p.Sex, ExpiryDate: date(p.ExpiryDate), PreviousNumber: p.PreviousNumber,
		},
		Card: edoc.FPRCard{
			Number: c.Number, Version: c.Version,
			IssueDate: date(c.IssueDate), ExpiryDate: date(c.ExpiryDate), PreviousNumber: c.PreviousNumber,
		},
		Status: edoc.Status{StatusList: edoc.StatusListRef{
			Index: slot.Index, URI: statusListURI(iss, slot.ListID),
		}},
	}
	// Only the purpose's fields are signed: the QR is readable by anyone
	// who scans it, so what a sector does not need must not be in it.
	out, ok := all.ForPurpose(in.Purpose)
	if !ok {
		return edoc.Claims{}, invalid("purpose", "unknown")
	}
	return out, nil
}
