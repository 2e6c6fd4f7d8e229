// Package attestationstest wires the attestation service on a test
// database with an in-memory registry, for tests of this and other
// packages (the HTTP layer's end-to-end tests among them).
package attestationstest

import (
	"context"
	"crypto/rand"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/keystore"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/keys"
)

// Issuer is the iss of test documents.
const Issuer = "https://fprlink.example.gov.cn"

// StatusTTL is the ttl of test status list tokens.
const StatusTTL = 5 * time.Minute

// Holders is an in-memory registry.
type Holders struct {
	mu      sync.Mutex
	holders map[string]attestations.Holder
	// States overrides DocumentState per person; absent means "as Current".
	states map[string]attestations.DocumentState
}

var _ attestations.Holders = (*Holders)(nil)

// Put stores a holder.
func (h *Holders) Put(x attestations.Holder) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.holders == nil {
		h.holders = map[string]attestations.Holder{}
	}
	h.holders[x.PersonID] = x
}

// SetState overrides what DocumentState answers for personID.
func (h *Holders) SetState(personID string, st attestations.DocumentState) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.states == nil {
		h.states = map[string]attestations.DocumentState{}
	}
	h.states[personID] = st
}

// Current returns the stored holder.
func (h *Holders) Current(_ context.Context, personID string) (attestations.Holder, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	x, ok := h.holders[personID]
	if !ok {
		return x, apperr.NotFound("person_not_found", i18n.T("No such person.", "无此人。"))
	}
	return x, nil
}

// DocumentState answers from the override or from the current holder.
func (h *Holders) DocumentState(_ context.Context, personID, passport, card string) (attestations.DocumentState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if st, ok := h.states[personID]; ok {
		return st, nil
	}
	x := h.holders[personID]
	return attestations.DocumentState{
		PassportFound: x.Passport.Number == passport, PassportStatus: x.Passport.Status, PassportCurrent: true,
		CardFound: x.Card.Number == card, CardStatus: x.Card.Status, CardCurrent: true,
	}, nil
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Sample returns a holder with a valid passport and 2023 FPR card.
func Sample(personID string) attestations.Holder {
	return attestations.Holder{
		PersonID: personID,
		Passport: attestations.Passport{Number: "C01X00T47", IssuingState: "FRA", Nationality: "FRA",
			Surname: "MARTIN", GivenNames: "CLAIRE ANNE", BirthDate: date("1985-04-12"), Sex: "F",
			ExpiryDate: date("2031-06-30"), Status: attestations.DocValid},
		Card: attestations.Card{ID: "card-" + personID, Number: "911250198504120011", Version: "2023",
			IssueDate: date("2024-01-15"), ExpiryDate: date("2034-01-14"), Status: attestations.DocValid},
	}
}

// CountingRenderer counts rendering work.
type CountingRenderer struct {
	attestations.DefaultRenderer
	PDFs, PNGs, SVGs atomic.Int32
}

// PDF counts and renders.
func (c *CountingRenderer) PDF(doc issuer.Document) ([]byte, error) {
	c.PDFs.Add(1)
	return c.DefaultRenderer.PDF(doc)
}

// PNG counts and renders.
func (c *CountingRenderer) PNG(text string) ([]byte, error) {
	c.PNGs.Add(1)
	return c.DefaultRenderer.PNG(text)
}

// SVG counts and renders.
func (c *CountingRenderer) SVG(text string) ([]byte, error) {
	c.SVGs.Add(1)
	return c.DefaultRenderer.SVG(text)
}

// Env is a wired attestation service.
type Env struct {
	DB       *storage.DB
	Clock    *clock.Fake
	Keys     *keys.Manager
	Lists    *statuslists.Store
	Tokens   *statuslists.Tokens
	Online   *attestations.OnlineKeys
	Holders  *Holders
	Renderer *CountingRenderer
	Service  *attestations.Service
	Parties  *relyingparties.Service
}

// New wires everything on db with a clock stopped at now.
func New(t testing.TB, db *storage.DB, clk *clock.Fake) *Env {
	t.Helper()
	kek := make([]byte, keys.KEKSize)
	_, _ = rand.Read(kek)
	km, err := keys.NewManager(keys.Config{Store: keystore.New(db), KEK: kek, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.EnsureActive(context.Background(), km); err != nil {
		t.Fatal(err)
	}
	lists, err := statuslists.New(db, 1024, clk)
	if err != nil {
		t.Fatal(err)
	}
	is, err := issuer.New(issuer.Config{Issuer: Issuer, MaxValidity: 90 * 24 * time.Hour,
		StatusListTTL: StatusTTL, StatusListLifetime: 24 * time.Hour, Keys: km, Allocator: lists, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{DB: db, Clock: clk, Keys: km, Lists: lists, Holders: &Holders{}, Renderer: &CountingRenderer{}}
	e.Tokens = statuslists.NewTokens(lists, is, clk, StatusTTL)
	e.Online = attestations.NewOnlineKeys(km, Issuer, clk, 2*time.Second)
	v, err := attestations.NewOnlineVerifier(e.Online, attestations.NewDBStatus(e.Tokens, e.Online, Issuer, clk), clk)
	if err != nil {
		t.Fatal(err)
	}
	e.Service, err = attestations.New(attestations.Config{DB: db, Clock: clk, Holders: e.Holders,
		Issuer: is, Verifier: v, Renderer: e.Renderer})
	if err != nil {
		t.Fatal(err)
	}
	e.Parties = relyingparties.New(db, clk)
	return e
}
