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
	// States overrides DocumentStates per person; absent means "as Current".
	states map[string]attestations.DocumentState
	fail   error
}

// SetFailure makes DocumentStates fail with err (nil: answer again).
func (h *Holders) SetFailure(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fail = err
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

// SetState overrides what DocumentStates answers for personID.
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

// DocumentStates answers each ref from the override or from the current
// holder.
func (h *Holders) DocumentStates(_ context.Context, refs []attestations.DocRef) ([]attestations.DocumentState, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return nil, h.fail
	}
	out := make([]attestations.DocumentState, len(refs))
	for i, r := range refs {
		if st, ok := h.states[r.PersonID]; ok {
			out[i] = st
			continue
		}
		x := h.holders[r.PersonID]
		out[i] = attestations.DocumentState{
			PassportFound: x.Passport.Number == r.PassportNumber, PassportStatus: x.Passport.Status, PassportCurrent: true,
			CardFound: x.Card.Number == r.CardNumber, CardStatus: x.Card.Status, CardCurrent: true,
		}
	}
	return out, nil
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
	Limits   attestations.Limits
}

// New wires everything on db with a clock stopped at now and the default
// issuing limits.
func New(t testing.TB, db *storage.DB, clk *clock.Fake) *Env {
	t.Helper()
	return NewWith(t, db, clk, attestations.Limits{})
}

// NewWith is New with the given issuing limits.
func NewWith(t testing.TB, db *storage.DB, clk *clock.Fake, limits attestations.Limits) *Env {
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
	holders, renderer := &Holders{}, &CountingRenderer{}
	opts := options(renderer)
	opts.Limits = limits
	ed, err := attestations.NewEDocs(db, clk, km, holders, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{DB: db, Clock: clk, Keys: km, Lists: ed.Lists, Tokens: ed.Tokens, Online: ed.Online,
		Holders: holders, Renderer: renderer, Service: ed.Service, Parties: relyingparties.New(db, clk), Limits: limits}
	return e
}

func options(r attestations.Renderer) attestations.EDocOptions {
	return attestations.EDocOptions{Issuer: Issuer, DocValidity: 90 * 24 * time.Hour, StatusTTL: StatusTTL,
		StatusLifetime: 24 * time.Hour, StatusListSize: 1024, Renderer: r}
}

// OtherNode is a second service on the same database, keys and registry
// with caches of its own: another node of the same deployment.
func (e *Env) OtherNode(t testing.TB) *attestations.Service {
	t.Helper()
	opts := options(e.Renderer)
	opts.Limits = e.Limits
	ed, err := attestations.NewEDocs(e.DB, e.Clock, e.Keys, e.Holders, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ed.Service
}
