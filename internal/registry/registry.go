// Package registry keeps the identity registry: persons as their passports
// name them, their passports and their Foreign Permanent Resident ID Cards
// (FPR cards). A new document supersedes the previous one and never
// overwrites it, so the history behind every e-document stays readable.
// Document numbers are checked with internal/docnum before anything is
// stored, and every officer change leaves an audit row in the same
// transaction.
package registry

import (
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Document statuses. A passport is valid, expired, lost or replaced; an FPR
// card is valid, cancelled, lost or replaced. "expired" is also reported for
// a stored valid passport whose expiry date has passed.
const (
	StatusValid     = "valid"
	StatusExpired   = "expired"
	StatusLost      = "lost"
	StatusReplaced  = "replaced"
	StatusCancelled = "cancelled"
)

var statusLabels = map[string]i18n.Text{
	StatusValid:     i18n.T("Valid", "有效"),
	StatusExpired:   i18n.T("Expired", "已过期"),
	StatusLost:      i18n.T("Reported lost", "已挂失"),
	StatusReplaced:  i18n.T("Replaced by a newer one", "已换发新证"),
	StatusCancelled: i18n.T("Cancelled", "已注销"),
}

// StatusLabel names a passport's or FPR card's status for the person
// reading it.
func StatusLabel(status string) i18n.Text { return i18n.Label(statusLabels, status) }

// Person is someone the registry knows, named as in their passport's MRZ.
type Person struct {
	ID          string
	Surname     string
	GivenNames  string
	ChineseName string
	Sex         string // M, F or X
	BirthDate   calendar.Date
	Nationality string // ISO 3166-1 alpha-3
	// Mobile (E.164) and Email are the contact on record; either may be
	// empty.
	Mobile    string
	Email     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Passport is one passport of a person.
type Passport struct {
	ID           string
	PersonID     string
	Number       string
	IssuingState string
	IssueDate    calendar.Date
	ExpiryDate   calendar.Date
	Status       string // effective: a valid passport past its expiry reads expired
	MRZ          string
	ReplacesID   string
	CreatedAt    time.Time
}

// FPRCard is one Foreign Permanent Resident ID Card of a person.
type FPRCard struct {
	ID         string
	PersonID   string
	Number     string
	Version    int // 2017 or 2023
	IssueDate  calendar.Date
	ExpiryDate calendar.Date
	Status     string
	ReplacesID string
	// Replaced lists the numbers of the cards this one superseded, most
	// recent first; filled by CurrentFPRCard.
	Replaced []string
	// PrintedName is the holder's name as printed on the card where it
	// differs from the MRZ name; empty otherwise.
	PrintedName string
	CreatedAt   time.Time
}

// Record is a person with their whole document history, newest first.
type Record struct {
	Person    Person
	Passports []Passport
	FPRCards  []FPRCard
}

// Service reads and changes the registry.
type Service struct {
	db    *storage.DB
	clock clock.Clock
}

// New returns a Service over db; clk decides "today" for expiry and
// future-date checks.
func New(db *storage.DB, clk clock.Clock) *Service {
	return &Service{db: db, clock: clk}
}

func (s *Service) today() calendar.Date { return calendar.LocalDate(s.clock.Now()) }
