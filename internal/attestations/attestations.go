// Package attestations is the resident's side of fprlink's e-documents and
// the online verify service for relying parties.
//
// A resident issues an attestation from the current registry data (refused
// when the passport or FPR card is not valid), downloads it as PDF and QR,
// and may revoke it. Relying parties verify a QR, a bare token or a
// document number with its verification code: the offline verifier runs
// in-process against the key store and the status lists in the database,
// then online checks ask the registry whether the passport and card are
// still current and valid. Every answered verification leaves a row, which
// the resident can read.
//
// The registry is consumed through the small Holders interface so this
// package does not depend on how identities are stored.
package attestations

import (
	"context"
	"errors"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/verifier"
)

// DocStatus is the registry status of a passport or FPR card.
type DocStatus string

// Registry statuses. Only DocValid allows issuing or passes an online
// check; the others name the reason.
const (
	DocValid     DocStatus = "valid"
	DocLost      DocStatus = "lost"
	DocStolen    DocStatus = "stolen"
	DocCancelled DocStatus = "cancelled"
	DocExpired   DocStatus = "expired"
)

// Passport is a person's passport as the registry holds it, names as in
// the MRZ.
type Passport struct {
	Number       string
	IssuingState string
	Nationality  string
	Surname      string
	GivenNames   string
	BirthDate    calendar.Date
	Sex          string
	ExpiryDate   calendar.Date
	Status       DocStatus
	// PreviousNumber is the passport the registry holds from before this
	// one, if any.
	PreviousNumber string
}

// Card is a person's Foreign Permanent Resident ID Card.
type Card struct {
	ID         string // the card issue
	Number     string
	Version    string // "2017" or "2023"
	IssueDate  calendar.Date
	ExpiryDate calendar.Date
	Status     DocStatus
	// PreviousNumber is the card this one replaced, when its number was
	// different (a 2017 card replaced by a 2023 one).
	PreviousNumber string
	// PrintedName is the name as printed on the card, where it differs
	// from the MRZ name; empty otherwise.
	PrintedName string
}

// Holder is a person with their current passport and card. A zero
// Passport.Number or Card.Number means the person has none.
type Holder struct {
	PersonID string
	// ChineseName is the holder's Chinese name, empty when the registry
	// has none.
	ChineseName string
	Passport    Passport
	Card        Card
}

// DocumentState is what the registry says today about the passport and
// card an attestation was issued for. Current is false when the person has
// since been issued a newer passport or card (superseded).
type DocumentState struct {
	PassportFound   bool
	PassportStatus  DocStatus
	PassportCurrent bool
	CardFound       bool
	CardStatus      DocStatus
	CardCurrent     bool
}

// Holders is the identity registry as this package needs it. The registry
// serves it through wiring.Holders, so this package need not import the
// registry; tests use a fake.
type Holders interface {
	// Current returns the person with their current passport and card, or
	// an apperr NotFound error.
	Current(ctx context.Context, personID string) (Holder, error)
	// DocumentStates reports, for each ref in order, what the registry
	// says today about its passport and card. The verify API asks for many
	// refs at once under load, so implementations should read them
	// together rather than one by one.
	DocumentStates(ctx context.Context, refs []DocRef) ([]DocumentState, error)
}

// DocRef names the passport and card of a person an attestation was issued
// for.
type DocRef struct {
	PersonID       string
	PassportNumber string
	CardNumber     string
	// CardID is the card issue, when known: a 2023 card keeps its number
	// through renewals, so the number alone names every issue.
	CardID string
}

// Issuer signs attestations; *issuer.Issuer implements it.
type Issuer interface {
	Issue(ctx context.Context, in issuer.Input) (issuer.Document, error)
}

// Verifier checks a QR text or compact JWS; *verifier.Verifier implements it.
type Verifier interface {
	Verify(ctx context.Context, input string) (*verifier.Result, error)
}

// Renderer draws the files residents download. It is a seam so tests can
// count rendering work; DefaultRenderer uses package issuer.
type Renderer interface {
	PDF(doc issuer.Document) ([]byte, error)
	PNG(qrText string) ([]byte, error)
	SVG(qrText string) ([]byte, error)
}

// Options are what a Service may be given beyond its dependencies.
type Options struct {
	// Renderer draws the PDF and QR files; DefaultRenderer when nil.
	Renderer Renderer
	// StatusChanged, if set, is called after a revocation changed status
	// list listID, so caches on this node (DBStatus.Forget) drop it.
	StatusChanged func(listID string)
	// Limits bound what one resident may issue (DefaultLimits when zero).
	Limits Limits
	// PlainVerify makes every verification read its record and write its
	// audit row alone, without sharing round trips (package batch): the
	// baseline the batching is measured against, never faster.
	PlainVerify bool
}

// Service issues, serves, revokes and verifies attestations.
type Service struct {
	db        *storage.DB
	clock     clock.Clock
	holders   Holders
	issuer    Issuer
	verifiers map[relyingparties.Sector]Verifier
	render    Renderer
	files     *sealer
	recorder  *recorder
	lookup    *lookup
	limits    Limits

	statusChanged func(listID string)
}

// New checks its arguments and returns a Service issuing for holders with
// is. verifiers holds one verifier per sector, configured with it
// (verifier.Options.Sector), so a document for another sector fails its
// audience check; and one under "" with no sector (NewOnlineVerifiers).
// fileKey seals the stored renderings (32 bytes; keys.Manager.DataKey with
// FileKeyPurpose).
func New(db *storage.DB, clk clock.Clock, holders Holders, is Issuer, verifiers map[relyingparties.Sector]Verifier,
	fileKey []byte, opts Options) (*Service, error) {
	if db == nil || clk == nil || holders == nil || is == nil || len(fileKey) != 32 {
		return nil, errors.New("attestations: db, clock, holders and issuer are required, and a file key of 32 bytes")
	}
	for _, sec := range append([]relyingparties.Sector{""}, relyingparties.Sectors...) {
		if verifiers[sec] == nil {
			return nil, errors.New("attestations: New needs a verifier for sector " + string(sec))
		}
	}
	files, err := newSealer(fileKey)
	if err != nil {
		return nil, err
	}
	render := opts.Renderer
	if render == nil {
		render = DefaultRenderer{}
	}
	return &Service{db: db, clock: clk, holders: holders, issuer: is,
		verifiers: verifiers, render: render, files: files, recorder: newRecorder(db, opts.PlainVerify),
		lookup: newLookup(db, holders, opts.PlainVerify), limits: opts.Limits.withDefaults(), statusChanged: opts.StatusChanged}, nil
}

// DefaultRenderer renders with package issuer: PNG at QRScale pixels per
// module (8 when 0: phone cameras and decoders read a version-20 symbol
// reliably at that size, less reliably at 4).
type DefaultRenderer struct{ QRScale int }

var _ Renderer = DefaultRenderer{}

// PDF renders the A4 e-document, with country names from the registry's
// country table.
func (DefaultRenderer) PDF(doc issuer.Document) ([]byte, error) {
	return issuer.RenderPDFWith(doc, issuer.PDFOptions{Countries: countryNames})
}

func countryNames(code string) (en, zh string, ok bool) {
	n, ok := docnum.CountryName(code)
	return n.En, n.Zh, ok
}

// PNG renders the QR code as PNG.
func (r DefaultRenderer) PNG(text string) ([]byte, error) {
	q, err := issuer.EncodeQR(text)
	if err != nil {
		return nil, err
	}
	scale := r.QRScale
	if scale <= 0 {
		scale = 8
	}
	return q.PNG(scale)
}

// SVG renders the QR code as SVG.
func (DefaultRenderer) SVG(text string) ([]byte, error) {
	q, err := issuer.EncodeQR(text)
	if err != nil {
		return nil, err
	}
	return q.SVG(), nil
}

// Row is an issued attestation as stored.
type Row struct {
	ID             string `gorm:"primaryKey"`
	PersonID       string
	DocumentNumber string
	KID            string `gorm:"column:kid"`
	Token          string
	QRText         string `gorm:"column:qr_text"`
	State          string
	StatusListID   string
	StatusIdx      int
	CodeSalt       []byte
	CodeHash       []byte
	PassportNumber string
	CardNumber     string
	// CardID is the card issue the document was made from; empty for
	// documents issued before issues were told apart.
	CardID    string
	IssuedAt  time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// RevocationReason is the officer's reason in English, and
	// RevocationReasonZh in Chinese; empty when the holder revoked the
	// document or a registry event invalidated it.
	RevocationReason   string
	RevocationReasonZh string
	// InvalidationCause is the registry event that made the document
	// untrue (Cause*); the document is then stored as revoked.
	InvalidationCause string
	// SuspendedAt marks an active document an officer suspended; the
	// state stays active so lifting the suspension restores it as it was.
	SuspendedAt        *time.Time
	SuspensionReason   string
	SuspensionReasonZh string
	// Purpose is the sector the document was issued for; empty for
	// documents issued before residents chose one.
	Purpose string
}

// TableName binds Row to the migrated table.
func (Row) TableName() string { return "attestations" }

// Row states. An active row past its expiry is shown as expired, and a
// suspended one (SuspendedAt set) as suspended; a revoked row with an
// InvalidationCause is shown as invalidated.
const (
	stateActive      = "active"
	stateRevoked     = "revoked"
	stateExpired     = "expired"
	stateSuspended   = "suspended"
	stateInvalidated = "invalidated"
)

// How a document was presented to the verify API.
const (
	methodQR    = "qr"
	methodToken = "token"
	methodCode  = "code"
)

// FileRow is a rendered file, made once.
type FileRow struct {
	AttestationID string `gorm:"primaryKey"`
	Kind          string `gorm:"primaryKey"`
	Content       []byte // sealed when Sealed
	Sealed        bool
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
}

// TableName binds FileRow to the migrated table.
func (FileRow) TableName() string { return "attestation_files" }

// VerificationRow is one answered verification.
type VerificationRow struct {
	ID             string `gorm:"primaryKey"`
	RelyingPartyID string
	PartyName      string
	Sector         string
	AttestationID  *string
	DocumentNumber string
	Method         string
	Result         string
	FailedCheck    string
	CheckedAt      time.Time
	RequestID      string
}

// TableName binds VerificationRow to the migrated table.
func (VerificationRow) TableName() string { return "verifications" }
