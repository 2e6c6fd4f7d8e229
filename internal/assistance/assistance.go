// Package assistance decides who may act for whom. A principal — the
// registry person whose appointments, applications, documents and
// e-documents are concerned — grants a helper's account scopes of access:
// between two accounts by invitation (the principal invites a username,
// the helper accepts), and for a dependant without an account (a child, an
// elderly person) by an officer, who records the grant with the
// relationship and the evidence seen, or decides a helper's request.
//
// A grant is checked on every request the helper makes for the principal
// (Authorize), against the injected clock: an expiry, an ending by either
// side, or a minor's 18th birthday (a parent's or guardian's grant lapses
// then, unless the now-adult confirms it) takes effect on the next
// request, with no job running. Every such request is recorded for the
// principal's activity view (RecordActivity); every change of a grant is
// audited in its transaction and announced to the principal.
//
// The package knows nothing of HTTP; the api package adapts it.
package assistance

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// Scope is one kind of access a grant gives.
type Scope string

// The scopes. Reading e-documents (the list, the PDF and QR, who verified
// them) belongs to edocuments:issue: whoever may obtain a document for the
// principal may fetch it.
const (
	AppointmentsRead  Scope = "appointments:read"
	AppointmentsWrite Scope = "appointments:write"
	ApplicationsRead  Scope = "applications:read"
	DocumentsRead     Scope = "documents:read"
	EDocumentsIssue   Scope = "edocuments:issue"
)

// Scopes lists every scope, in the order they are shown.
var Scopes = []Scope{AppointmentsRead, AppointmentsWrite, ApplicationsRead, DocumentsRead, EDocumentsIssue}

// Known reports whether s is a scope.
func (s Scope) Known() bool {
	for _, k := range Scopes {
		if s == k {
			return true
		}
	}
	return false
}

// State is where a grant stands at a given moment. Pending, active, ended
// and refused are decided by people and stored; expired and lapsed follow
// from the clock.
type State string

const (
	Pending State = "pending" // awaiting the helper's acceptance or an officer's decision
	Active  State = "active"
	Ended   State = "ended"   // ended by the principal, the helper or an officer
	Refused State = "refused" // a request an officer refused
	Expired State = "expired" // past its expiry
	Lapsed  State = "lapsed"  // a minor's parent or guardian grant once the minor turned 18
)

// Kind says how a grant came about.
type Kind string

const (
	// KindAccount is a grant one account holder gave another.
	KindAccount Kind = "account"
	// KindDependant is a grant an officer recorded or approved for a
	// person who cannot grant it themselves.
	KindDependant Kind = "dependant"
)

// Relationship is the helper's relationship to the principal.
type Relationship string

// The relationships an officer records.
const (
	Parent   Relationship = "parent"
	Guardian Relationship = "guardian"
	Child    Relationship = "child"
	Spouse   Relationship = "spouse"
	Relative Relationship = "relative"
	Friend   Relationship = "friend"
)

// Relationships lists them all.
var Relationships = []Relationship{Parent, Guardian, Child, Spouse, Relative, Friend}

func (r Relationship) known() bool {
	for _, k := range Relationships {
		if r == k {
			return true
		}
	}
	return false
}

// holdsForMinor is a relationship whose authority ends when the minor
// comes of age.
func (r Relationship) holdsForMinor() bool { return r == Parent || r == Guardian }

// AdultAge is the age at which a parent's or guardian's grant for a minor
// lapses unless the now-adult confirms it; a person this age may also
// enrol and grant for themselves.
const AdultAge = 18

// Grant is one grant of access as it stands when read.
type Grant struct {
	ID             string
	Kind           Kind
	PrincipalID    string // the registry person; empty for an unmatched request
	PrincipalName  string // as the registry writes it, when known
	HelperID       string // the helper's account
	HelperUsername string
	Scopes         []Scope
	Relationship   Relationship
	Evidence       string
	// State is the state at the time the grant was read.
	State       State
	ExpiresAt   *time.Time
	LapsesOn    *calendar.Date // the principal's 18th birthday, for a minor's parent or guardian
	ConfirmedAt *time.Time     // when the now-adult confirmed it
	CreatedBy   string
	CreatedAt   time.Time
	AcceptedAt  *time.Time
	DecidedBy   string
	DecidedAt   *time.Time
	Reason      Reason // an officer's refusal
	EndedBy     string
	EndedAt     *time.Time
}

// Reason is an officer's reason, in both languages.
type Reason struct{ En, Zh string }

// Allows reports whether the grant includes scope.
func (g Grant) Allows(scope Scope) bool {
	for _, s := range g.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// stateAt is the effective state at now of a grant stored as stored.
func stateAt(stored State, expires *time.Time, lapses *calendar.Date, confirmed *time.Time, now time.Time) State {
	if stored != Active && stored != Pending {
		return stored
	}
	if expires != nil && !now.Before(*expires) {
		return Expired
	}
	if stored == Active && lapses != nil && confirmed == nil && !calendar.LocalDate(now).Before(*lapses) {
		return Lapsed
	}
	return stored
}

// PersonFacts is what the package needs of a registry person.
type PersonFacts struct {
	ID        string
	Name      string // "SURNAME, GIVEN NAMES"
	BirthDate calendar.Date
}

// Identity is how a helper names a dependant in a request: the details of
// the dependant's passport and, when they hold one, their FPR card.
type Identity struct {
	PassportNumber string
	Nationality    string
	BirthDate      calendar.Date
	FPRCardNumber  string
}

// Persons reads the registry; wiring adapts *registry.Service.
type Persons interface {
	// Person returns the person id, or ErrUnknownPerson.
	Person(ctx context.Context, id string) (PersonFacts, error)
	// Match returns the ID of the person the identity names, or
	// ErrUnknownPerson for any mismatch.
	Match(ctx context.Context, id Identity) (string, error)
}

// Account is what the package needs of an account.
type Account struct {
	ID       string
	Username string
	Role     string
	PersonID string // empty for accounts without a registry person
}

// Accounts finds accounts by username; wiring adapts *accounts.Service.
type Accounts interface {
	// ByUsername returns the account, or ErrUnknownAccount.
	ByUsername(ctx context.Context, username string) (Account, error)
}

// Service keeps the grants and the activity done under them.
type Service struct {
	db       *storage.DB
	clock    clock.Clock
	persons  Persons
	accounts Accounts
}

// New builds the service.
func New(db *storage.DB, clk clock.Clock, persons Persons, accounts Accounts) *Service {
	return &Service{db: db, clock: clk, persons: persons, accounts: accounts}
}

// joinScopes stores scopes sorted and space-separated.
func joinScopes(scopes []Scope) string {
	s := make([]string, len(scopes))
	for i, sc := range scopes {
		s[i] = string(sc)
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

func splitScopes(s string) []Scope {
	var out []Scope
	for _, f := range strings.Fields(s) {
		out = append(out, Scope(f))
	}
	return out
}
