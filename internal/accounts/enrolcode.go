package accounts

import (
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/humancode"
)

// codeAlphabet leaves out 0/O, 1/I/L and U so a code read from a phone or
// a counter slip cannot be mistyped into another valid one.
const codeAlphabet = humancode.Alphabet

// An enrolment code is codeLength symbols of the 30 above (about 78 bits).
// The first locatorLength (about 24 bits) find the code's row, so a wrong
// try is counted against that code and a handful burn it; the other 11
// (about 54 bits) are the secret.
const (
	codeLength    = 16
	locatorLength = 5
)

// Channels of an enrolment code.
const (
	channelSMS     = "sms"
	channelEmail   = "email"
	channelCounter = "counter"
)

// enrolmentCodeRow is the stored form of a code. The code itself is kept
// only as SHA-256 over a per-row salt and the code. A slow hash such as
// argon2 buys nothing here: the code lives minutes, a wrong try online is
// counted and a handful burn it, and offline the 54 secret bits take a
// large GPU farm weeks to search — long after the code has expired —
// whereas passwords are chosen by people, guessable and kept for years.
type enrolmentCodeRow struct {
	ID        string  `gorm:"primaryKey"`
	PersonID  *string // the registry person the code is for, or
	HelperID  *string // the recorded helper identity
	Locator   string
	Salt      []byte
	CodeHash  []byte
	Channel   string
	IssuedBy  string
	Attempts  int
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt time.Time
	UsedAt    *time.Time
	BurnedAt  *time.Time
}

func (enrolmentCodeRow) TableName() string { return "enrolment_codes" }

// subject is whom a code is for: a registry person (a resident) or a
// recorded helper identity (a Chinese helper), each with a column of its
// own in enrolment_codes and accounts.
type subject struct {
	column string // "person_id" or "helper_id"
	id     string
}

func personSubject(id string) subject { return subject{"person_id", id} }
func helperSubject(id string) subject { return subject{"helper_id", id} }

// entity is what the audit trail calls the subject.
func (s subject) entity() string {
	if s.column == "helper_id" {
		return "helper"
	}
	return "person"
}

func (r enrolmentCodeRow) subject() subject {
	if r.HelperID != nil {
		return helperSubject(*r.HelperID)
	}
	if r.PersonID != nil {
		return personSubject(*r.PersonID)
	}
	return subject{}
}

// newEnrolmentCode returns a fresh code, its locator, salt and hash.
func newEnrolmentCode() (code, locator string, salt, hash []byte, err error) {
	raw, err := humancode.Random(codeLength)
	if err != nil {
		return "", "", nil, nil, err
	}
	if salt, err = humancode.NewSalt(); err != nil {
		return "", "", nil, nil, err
	}
	return humancode.Group(raw), raw[:locatorLength], salt, hashEnrolmentCode(salt, raw), nil
}

// normalizeEnrolmentCode accepts a code as typed: any case, with or without
// hyphens or spaces. It reports false unless 16 alphabet symbols remain.
func normalizeEnrolmentCode(s string) (string, bool) { return humancode.Normalize(s, codeLength) }

func hashEnrolmentCode(salt []byte, normalized string) []byte {
	return humancode.Hash(salt, normalized)
}

// matches compares in constant time.
func (r enrolmentCodeRow) matches(normalized string) bool {
	return humancode.Matches(r.Salt, r.CodeHash, normalized)
}

// adultOn reports whether someone born on birth is 18 or older on today.
// Someone born on 29 February comes of age on 1 March in a common year.
func adultOn(birth, today calendar.Date) bool {
	of := calendar.Date{Year: birth.Year + 18, Month: birth.Month, Day: birth.Day}
	if of.Year != today.Year || of.Month != today.Month {
		return of.Year < today.Year || (of.Year == today.Year && of.Month < today.Month)
	}
	return of.Day <= today.Day
}
