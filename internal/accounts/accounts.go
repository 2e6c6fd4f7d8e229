// Package accounts signs people in: username and argon2id password, the
// roles resident, officer and admin, and opaque bearer sessions of 256
// random bits of which only the SHA-256 is stored. Admins list, disable and
// re-enable accounts; every account changes its own password. Repeated wrong passwords
// lock an account with a growing back-off. A resident enrols with a
// one-time code: sent through the outbox to the contact the registry holds
// for the person their document data names (the answer is the same
// whether or not anything matched), or handed out by an officer at a
// counter; codes are short-lived, single-use, stored hashed and burn after
// a few wrong tries, and a person under 18 cannot enrol. Sign-in,
// registration and code requests are rate-limited per client address.
//
// The package knows nothing of HTTP; the api package adapts it.
package accounts

import (
	"context"
	"time"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
)

// Roles.
const (
	RoleResident = "resident"
	RoleOfficer  = "officer"
	RoleAdmin    = "admin"
	// RoleHelper is a Chinese citizen's account: it holds no registry
	// record and acts only for principals who granted it.
	RoleHelper = "helper"
)

// Account is a sign-in identity.
type Account struct {
	ID         string
	Username   string
	Role       string
	PersonID   string // set for residents only
	HelperID   string // set for Chinese helpers only: their recorded identity
	CreatedAt  time.Time
	DisabledAt *time.Time // set while an admin has disabled it
	// PasswordChangeRequired is true while the account's password is a
	// temporary one that staff set.
	PasswordChangeRequired bool
}

// Identity is who a valid session token belongs to.
type Identity struct {
	AccountID string
	Username  string
	Role      string
	PersonID  string
}

// Session is the answer to a successful login. Token is shown once and
// never stored.
type Session struct {
	Token     string
	ExpiresAt time.Time
	Role      string
}

// IdentityMatcher finds the registry person a code request names and
// reads the person's birth date and contact on record; *registry.Service
// implements it.
type IdentityMatcher interface {
	MatchIdentity(ctx context.Context, p registry.Proof) (string, error)
	Person(ctx context.Context, id string) (registry.Person, error)
}

var _ IdentityMatcher = (*registry.Service)(nil)

// Options tunes the service; zero fields take the defaults.
type Options struct {
	SessionTTL time.Duration // default 12 h
	Argon2     Argon2Params  // default DefaultArgon2()
	// LockAfter failed logins in a row lock the account for LockBase,
	// doubling with every further failure up to LockMax.
	LockAfter int           // default 5
	LockBase  time.Duration // default 1 min
	LockMax   time.Duration // default 1 h
	// ResidentIDPepper keys the hash under which a Chinese helper's
	// resident identity number is stored (at least 32 bytes, kept out of
	// the database). Without it helpers cannot be recorded or enrol.
	ResidentIDPepper []byte
	// Per client address (the key the caller gives, an IPv6 /64 counting
	// as one): RegisterBurst registrations at once, one more every
	// RegisterEvery; likewise for logins and password changes.
	RegisterEvery time.Duration // default 1 min
	RegisterBurst int           // default 5
	LoginEvery    time.Duration // default 2 s
	LoginBurst    int           // default 20
	// Enrolment codes live EnrolCodeTTL and burn after EnrolAttempts wrong
	// tries. A person is sent at most one every EnrolResend and
	// EnrolPerDay in 24 hours (counter codes aside); code requests share
	// the per-address allowance of registrations (a bucket of their own).
	EnrolCodeTTL  time.Duration // default 15 min
	EnrolAttempts int           // default 5
	EnrolResend   time.Duration // default 1 min
	EnrolPerDay   int           // default 5
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	defInt := func(d *int, v int) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.SessionTTL, 12*time.Hour)
	def(&o.LockBase, time.Minute)
	def(&o.LockMax, time.Hour)
	def(&o.RegisterEvery, time.Minute)
	def(&o.LoginEvery, 2*time.Second)
	def(&o.EnrolCodeTTL, 15*time.Minute)
	def(&o.EnrolResend, time.Minute)
	defInt(&o.EnrolAttempts, 5)
	defInt(&o.EnrolPerDay, 5)
	defInt(&o.LockAfter, 5)
	defInt(&o.RegisterBurst, 5)
	defInt(&o.LoginBurst, 20)
	if o.Argon2 == (Argon2Params{}) {
		o.Argon2 = DefaultArgon2()
	}
	return o
}

// Service manages accounts and sessions.
type Service struct {
	db        *storage.DB
	clock     clock.Clock
	identity  IdentityMatcher
	opts      Options
	register  *IPLimiter
	codes     *IPLimiter
	login     *IPLimiter
	dummyHash string // verified against for unknown usernames, to even out timing
}

// New builds the service. It hashes one dummy password up front.
func New(db *storage.DB, clk clock.Clock, identity IdentityMatcher, opts Options) (*Service, error) {
	opts = opts.withDefaults()
	dummy, err := hashPassword("not a password of anyone", opts.Argon2)
	if err != nil {
		return nil, err
	}
	return &Service{db: db, clock: clk, identity: identity, opts: opts, dummyHash: dummy,
		register: NewIPLimiter(clk, opts.RegisterEvery, opts.RegisterBurst),
		codes:    NewIPLimiter(clk, opts.RegisterEvery, opts.RegisterBurst),
		login:    NewIPLimiter(clk, opts.LoginEvery, opts.LoginBurst)}, nil
}

// accountRow and sessionRow are the stored forms.
type accountRow struct {
	ID           string `gorm:"primaryKey"`
	Username     string
	PasswordHash string
	Role         string
	PersonID     *string
	HelperID     *string
	FailedLogins int
	LockedUntil  *time.Time
	LastFailedAt *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DisabledAt   *time.Time
	// PasswordExpiresAt is set while the password is a temporary one set
	// by staff.
	PasswordExpiresAt *time.Time
}

func (accountRow) TableName() string { return "accounts" }

func (r accountRow) account() Account {
	a := Account{ID: r.ID, Username: r.Username, Role: r.Role, CreatedAt: r.CreatedAt.UTC()}
	if r.PersonID != nil {
		a.PersonID = *r.PersonID
	}
	if r.HelperID != nil {
		a.HelperID = *r.HelperID
	}
	if r.DisabledAt != nil {
		t := r.DisabledAt.UTC()
		a.DisabledAt = &t
	}
	a.PasswordChangeRequired = r.PasswordExpiresAt != nil
	return a
}

type sessionRow struct {
	TokenHash string `gorm:"primaryKey"`
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

func (sessionRow) TableName() string { return "sessions" }
