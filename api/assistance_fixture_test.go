package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
)

// assistWorld is a database with persons and accounts in it, an
// assistance service over them, and a bearer token per account.
type assistWorld struct {
	t       *testing.T
	db      *storage.DB
	clk     *clock.Fake
	svc     *assistance.Service
	auth    fakeAuth
	persons map[string]assistance.PersonFacts
	byName  map[string]assistance.Account
}

func newAssistWorld(t *testing.T, db *storage.DB, clk *clock.Fake) *assistWorld {
	w := &assistWorld{t: t, db: db, clk: clk, auth: fakeAuth{}, persons: map[string]assistance.PersonFacts{},
		byName: map[string]assistance.Account{}}
	w.svc = assistance.New(db, clk, assistWorldPersons{w}, assistWorldAccounts{w})
	return w
}

// person adds a registry person born on birth and returns its ID.
func (w *assistWorld) person(surname string, birth calendar.Date) string {
	w.t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := w.clk.Now()
	if err := w.db.Gorm.Exec(`INSERT INTO persons (id, surname, given_names, sex, birth_date, nationality, created_at, updated_at)
		VALUES (?, ?, 'TEST', 'F', ?, 'SWE', ?, ?)`, id, surname, birth.String(), now, now).Error; err != nil {
		w.t.Fatal(err)
	}
	w.persons[id] = assistance.PersonFacts{ID: id, Name: surname + ", TEST", BirthDate: birth}
	return id
}

// account adds an account (its username is also its bearer token) for
// personID, which may be empty for a helper without a registry record.
func (w *assistWorld) account(username, role, personID string) Principal {
	w.t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := w.clk.Now()
	var pid any
	if personID != "" {
		pid = personID
	}
	if err := w.db.Gorm.Exec(`INSERT INTO accounts (id, username, password_hash, role, person_id, created_at, updated_at)
		VALUES (?, ?, 'x', ?, ?, ?, ?)`, id, username, role, pid, now, now).Error; err != nil {
		w.t.Fatal(err)
	}
	p := Principal{AccountID: id, Username: username, Role: role, PersonID: personID}
	w.auth[username] = p
	w.byName[username] = assistance.Account{ID: id, Username: username, Role: role, PersonID: personID}
	return p
}

func (w *assistWorld) actor(p Principal) audit.Actor {
	return audit.Actor{ID: p.AccountID, Role: p.Role}
}

// grant gives helper a grant for principal in the given state: "active",
// "pending", "ended", "expired" (its expiry set before the clock) or
// "refused".
func (w *assistWorld) grant(principal, helper Principal, state string, scopes ...assistance.Scope) assistance.Grant {
	w.t.Helper()
	ctx := context.Background()
	t := assistance.Terms{Scopes: scopes}
	if state == "expired" {
		at := w.clk.Now().Add(time.Hour)
		t.ExpiresAt = &at
	}
	g, err := w.svc.Invite(ctx, w.actor(principal), principal.PersonID, helper.Username, t)
	if err != nil {
		w.t.Fatalf("invite: %v", err)
	}
	switch state {
	case "pending":
		return g
	case "active", "expired":
		g, err = w.svc.Accept(ctx, w.actor(helper), helper.AccountID, g.ID)
	case "ended":
		if g, err = w.svc.Accept(ctx, w.actor(helper), helper.AccountID, g.ID); err == nil {
			g, err = w.svc.EndAsPrincipal(ctx, w.actor(principal), principal.PersonID, g.ID)
		}
	default:
		w.t.Fatalf("grant state %q", state)
	}
	if err != nil {
		w.t.Fatalf("grant %s: %v", state, err)
	}
	return g
}

func (w *assistWorld) deps() Assistance {
	return Assistance{Gate: w.svc, Helpers: w.svc, Principals: w.svc, Activity: w.svc, Officers: w.svc, Decisions: w.svc}
}

type assistWorldPersons struct{ w *assistWorld }

func (p assistWorldPersons) Person(_ context.Context, id string) (assistance.PersonFacts, error) {
	if f, ok := p.w.persons[id]; ok {
		return f, nil
	}
	return assistance.PersonFacts{}, assistance.ErrUnknownPerson
}

func (p assistWorldPersons) Match(_ context.Context, id assistance.Identity) (string, error) {
	for pid, f := range p.w.persons {
		if f.BirthDate == id.BirthDate && id.PassportNumber == "P"+f.BirthDate.String() {
			return pid, nil
		}
	}
	return "", assistance.ErrUnknownPerson
}

type assistWorldAccounts struct{ w *assistWorld }

func (a assistWorldAccounts) ByUsername(_ context.Context, u string) (assistance.Account, error) {
	if acc, ok := a.w.byName[u]; ok {
		return acc, nil
	}
	return assistance.Account{}, assistance.ErrUnknownAccount
}

// ByIDs serves the appointment views' booked_by.
func (a assistWorldAccounts) ByIDs(_ context.Context, ids []string) (map[string]accounts.Account, error) {
	out := map[string]accounts.Account{}
	for _, acc := range a.w.byName {
		for _, id := range ids {
			if acc.ID == id {
				out[id] = accounts.Account{ID: acc.ID, Username: acc.Username, Role: acc.Role, PersonID: acc.PersonID}
			}
		}
	}
	return out, nil
}

var _ = fmt.Sprint
