package issuer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
)

// Keys supplies the active signer and learns what it signed, so a retired
// key stays published until its last document expires. *keys.Manager
// implements it.
type Keys interface {
	ActiveSigner(ctx context.Context) (*keys.Signer, error)
	RecordIssued(ctx context.Context, kid string, exp time.Time) error
}

// Allocator hands out status list slots. Implementations must never give the
// same slot twice; see IndexPermutation for indexes that do not reveal issue
// order, and MemoryAllocator for tests.
type Allocator interface {
	Allocate(ctx context.Context) (StatusSlot, error)
}

// StatusSlot is a document's place in a status list.
type StatusSlot struct {
	ListID string
	Index  int
}

// Config holds an Issuer's settings and dependencies.
type Config struct {
	// Issuer is the iss claim: an https URL without trailing slash.
	Issuer string
	// MaxValidity caps a document's lifetime; passport and card expiry can
	// only shorten it.
	MaxValidity time.Duration
	// StatusListTTL is the ttl of status list tokens: how long relying
	// parties may cache them. StatusListLifetime is their exp - iat.
	StatusListTTL      time.Duration
	StatusListLifetime time.Duration
	Keys               Keys
	Allocator          Allocator
	Now                func() time.Time
}

// Issuer signs attestations and status lists.
type Issuer struct {
	cfg Config
}

// Document is an issued attestation.
type Document struct {
	Claims edoc.Claims
	KID    string
	JWS    string
	QRText string
	// VerificationCode is printed on the PDF for verification by document
	// number and code where no QR can be scanned. The issuer leaves it
	// empty: the code is random and known only to whoever stores its hash
	// (package attestations), so it cannot be derived from the document.
	VerificationCode string
	// PrintedName is the holder's name as printed on the FPR card, where
	// the registry keeps one because it differs from the MRZ name. It is
	// printed on the PDF, marked as not signed, for counter staff comparing
	// the paper with the card in hand, and never signed: a name of the
	// registry's 100 characters does not fit the largest document's QR
	// within version 22 (even 40 characters need version 23), and the MRZ
	// names, which are signed, are what identifies the holder.
	PrintedName string
	// Slot is the status-list entry the document was given; its claims'
	// status URI names the same list.
	Slot StatusSlot

	// symbol is the QR encoded from symbolText while signing, so rendering
	// the document does not encode it again (about 1.5 ms).
	symbol     *QR
	symbolText string
}

// New validates cfg and returns an Issuer.
func New(cfg Config) (*Issuer, error) {
	if err := ValidateIssuerURL(cfg.Issuer); err != nil {
		return nil, err
	}
	if cfg.Keys == nil || cfg.Allocator == nil || cfg.Now == nil {
		return nil, fmt.Errorf("%w: Keys, Allocator and Now are required", ErrConfig)
	}
	if cfg.MaxValidity <= 0 || cfg.StatusListTTL <= 0 || cfg.StatusListLifetime < cfg.StatusListTTL {
		return nil, fmt.Errorf("%w: MaxValidity and StatusListTTL must be positive, StatusListLifetime ≥ StatusListTTL", ErrConfig)
	}
	return &Issuer{cfg: cfg}, nil
}

// ValidateIssuerURL checks that iss is an absolute https URL with a host and
// no trailing slash, query, fragment or user info. Relying parties compare
// iss byte for byte and build the status list URI from it.
func ValidateIssuerURL(iss string) error {
	u, err := url.Parse(iss)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(iss, "/") ||
		strings.ContainsAny(iss, "?#") || u.Opaque != "" {
		return ErrIssuerURL
	}
	return nil
}

// Issue validates in, allocates a status slot and signs the attestation. It
// fails with ErrQRTooLarge rather than issue a document whose QR would
// exceed version 22.
func (is *Issuer) Issue(ctx context.Context, in Input) (Document, error) {
	if err := in.Validate(); err != nil {
		return Document{}, err
	}
	now := is.cfg.Now()
	// Check expiry before allocating so a rejected input wastes no slot.
	if _, err := in.claims(is.cfg.Issuer, now, is.cfg.MaxValidity, StatusSlot{}); err != nil {
		return Document{}, err
	}
	slot, err := is.cfg.Allocator.Allocate(ctx)
	if err != nil {
		return Document{}, err
	}
	if !reListID.MatchString(slot.ListID) || slot.Index < 0 {
		return Document{}, fmt.Errorf("%w: allocator returned %q/%d", ErrStatusList, slot.ListID, slot.Index)
	}
	claims, err := in.claims(is.cfg.Issuer, now, is.cfg.MaxValidity, slot)
	if err != nil {
		return Document{}, err
	}
	doc, err := is.sign(ctx, claims)
	if err != nil {
		return Document{}, err
	}
	doc.Slot, doc.PrintedName = slot, in.Card.PrintedName
	return doc, nil
}

func (is *Issuer) sign(ctx context.Context, claims edoc.Claims) (Document, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return Document{}, err
	}
	signer, err := is.cfg.Keys.ActiveSigner(ctx)
	if err != nil {
		return Document{}, err
	}
	jws, err := signCompact(signer, deflate(payload), edoc.Type, true)
	if err != nil {
		return Document{}, err
	}
	text, err := edoc.EncodeQRText(jws)
	if err != nil {
		return Document{}, err
	}
	symbol, err := EncodeQR(text) // also proves the text fits version 22
	if err != nil {
		return Document{}, err
	}
	if err := is.cfg.Keys.RecordIssued(ctx, signer.KID(), time.Unix(claims.Expiry, 0)); err != nil {
		return Document{}, err
	}
	return Document{Claims: claims, KID: signer.KID(), JWS: jws, QRText: text, symbol: symbol, symbolText: text}, nil
}
