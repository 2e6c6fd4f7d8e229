// Package registry keeps the identity registry: persons as their passports
// name them, their passports and their Foreign Permanent Resident ID Cards
// (FPR cards). A new document supersedes the previous one and never
// overwrites it, so the history behind every e-document stays readable. A
// 2023 card keeps its number for life: each row is one issue of a card, and
// a renewal or replacement is a new issue of the same number. A change that
// makes a recorded fact untrue runs the Hooks in its own transaction.
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

// Document statuses. A passport is valid, expired, lost, stolen or
// replaced; an FPR card issue is valid, cancelled, lost, stolen or replaced
// (by a newer card or a newer issue of its number). "expired" is also
// reported for a stored valid passport whose expiry date has passed.
const (
	StatusValid     = "valid"
	StatusExpired   = "expired"
	StatusLost      = "lost"
	StatusStolen    = "stolen"
	StatusReplaced  = "replaced"
	StatusCancelled = "cancelled"
)

// Why a card was issued: the first issue of its number, a renewal on
// expiry, or a replacement of a lost, stolen or damaged card.
const (
	IssueFirst       = "issue"
	IssueRenewal     = "renewal"
	IssueReplacement = "replacement"
)

var statusLabels = map[string]i18n.Text{
	StatusValid:     i18n.T("Valid", "有效"),
	StatusExpired:   i18n.T("Expired", "已过期"),
	StatusLost:      i18n.T("Reported lost", "已挂失"),
	StatusStolen:    i18n.T("Reported stolen", "已报被盗"),
	StatusReplaced:  i18n.T("Replaced by a newer one", "已换发新证"),
	StatusCancelled: i18n.T("Cancelled", "已注销"),
}

// StatusLabel names a passport's or FPR card's status for the person
// reading it.
func StatusLabel(status string) i18n.Text { return i18n.Label(statusLabels, status) }

var issueLabels = map[string]i18n.Text{
	IssueFirst:       i18n.T("First issue of this number", "该号码首次签发"),
	IssueRenewal:     i18n.T("Renewal on expiry", "期满换发"),
	IssueReplacement: i18n.T("Replacement of a lost, stolen or damaged card", "遗失、被盗或损坏补换发"),
}

// IssueLabel names why a card was issued.
func IssueLabel(reason string) i18n.Text { return i18n.Label(issueLabels, reason) }

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

// FPRCard is one issue of a Foreign Permanent Resident ID Card of a
// person. Renewals and replacements of a 2023 card are issues of the same
// number, counted by IssueNo.
type FPRCard struct {
	ID          string
	PersonID    string
	Number      string
	Version     int // 2017 or 2023
	IssueNo     int // 1 for the first issue of the number
	IssueReason string
	IssueDate   calendar.Date
	ExpiryDate  calendar.Date
	Status      string
	// ReplacesID is the issue this one superseded: the previous issue of
	// the number, or the person's previous card (a 2017 card replaced by
	// a 2023 one).
	ReplacesID string
	// Replaced lists the numbers of the earlier cards this one superseded,
	// most recent first, each once and never its own number; filled by
	// CurrentFPRCard.
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
	hooks Hooks
}

// New returns a Service over db; clk decides "today" for expiry and
// future-date checks; hooks run inside its changes.
func New(db *storage.DB, clk clock.Clock, hooks Hooks) *Service {
	return &Service{db: db, clock: clk, hooks: hooks}
}

func (s *Service) today() calendar.Date { return calendar.LocalDate(s.clock.Now()) }
