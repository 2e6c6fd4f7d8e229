package api

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/wiring"
)

// regEnv is a server wired to real accounts and registry services on a
// test database, with two residents, an officer and an admin signed in.
type regEnv struct {
	t      *testing.T
	db     *storage.DB
	clk    *clock.Fake
	reg    *registry.Service
	acc    *accounts.Service
	engine *gin.Engine
	tokens map[string]string // by role name: resident (A), resident_b, officer, admin
	a, b   regPerson
}

type regPerson struct {
	ID, Surname, Passport, Card string
}

const regPassword = "a long test password"

func newRegEnv(t *testing.T, db *storage.DB) *regEnv {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	// The whole service graph, as the binary builds it, so the
	// authorization tests cover every capability's routes for real.
	svc, err := wiring.Build(context.Background(), db, clk, wiring.Options{
		Accounts: accounts.Options{Argon2: accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1},
			ResidentIDPepper: []byte(strings.Repeat("k", accounts.MinPepperLength))}})
	if err != nil {
		t.Fatal(err)
	}
	reg, acc := svc.Registry, svc.Accounts
	ed := newRegEDocs(t, db, clk, reg)
	_, engine := newTestServer(t, Deps{Clock: clk, DB: db,
		Auth: AccountsAuth{Sessions: acc}, Accounts: Accounts{Enrolment: acc, SignIn: acc, Passwords: acc, Admin: acc, Helpers: acc}, Registry: Registry{Mine: reg, Persons: reg, Documents: reg, Reissues: reg, Importer: reg},
		Directory:  Directory{Centers: svc.Directory, Editor: svc.Directory, Schedule: svc.Directory},
		Guidelines: Guidelines{Reader: svc.Guidelines, Publisher: svc.Guidelines},
		Appointments: Appointments{Finder: svc.Appointments, Bookings: svc.Appointments, Own: svc.Appointments,
			Desk: svc.Appointments, Notifications: svc.Notifications},
		Applications: Applications{Views: svc.Applications, Desk: svc.Applications}, Audit: Audit{Trail: svc.Audit},
		EDocuments:     EDocuments{Documents: ed.Service, Files: ed.Service, Officers: ed.Service},
		Verify:         Verify{Verifier: ed.Service, APIKeys: ed.Parties, Limiter: relyingparties.NewLimiter(clk, 0, 1)},
		RelyingParties: RelyingParties{Admin: ed.Parties},
		Publication:    Publication{StatusLists: ed.Tokens, JWKS: ed.Keys},
		Assistance: Assistance{Gate: svc.Assistance, Helpers: svc.Assistance, Principals: svc.Assistance,
			Activity: svc.Assistance, Officers: svc.Assistance, Decisions: svc.Assistance}})
	e := &regEnv{t: t, db: db, clk: clk, reg: reg, acc: acc, engine: engine, tokens: map[string]string{}}
	e.a = e.seedResident("resident", "SAUDI", "SAU", "1985-01-01", "K1234567", "932682198501010017")
	e.b = e.seedResident("resident_b", "TREMBLAY", "CAN", "1981-08-03", "AB123456", "911124198108030024")
	sys := audit.System
	for _, role := range []string{accounts.RoleOfficer, accounts.RoleAdmin} {
		if _, err := acc.CreateStaff(context.Background(), sys, role+"1", regPassword, role); err != nil {
			t.Fatal(err)
		}
		e.tokens[role] = e.login(role + "1")
	}
	return e
}

func (e *regEnv) seedResident(name, surname, nat, birth, passport, card string) regPerson {
	ctx := context.Background()
	ch := audit.System
	p, err := e.reg.CreatePerson(ctx, ch, registry.PersonInput{Surname: surname, GivenNames: "TEST", Sex: "F", BirthDate: birth, Nationality: nat})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.reg.AddPassport(ctx, ch, p.ID, registry.PassportInput{Number: passport, IssuingState: nat, IssueDate: "2021-01-01", ExpiryDate: "2031-01-01"}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.reg.AddFPRCard(ctx, ch, p.ID, registry.FPRCardInput{Number: card, IssueDate: "2024-01-01", ExpiryDate: "2034-01-01"}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.acc.CreateResident(ctx, ch, strings.ReplaceAll(name, "_", "-"), regPassword, p.ID); err != nil {
		e.t.Fatal(err)
	}
	e.tokens[name] = e.login(strings.ReplaceAll(name, "_", "-"))
	return regPerson{ID: p.ID, Surname: surname, Passport: passport, Card: card}
}

func (e *regEnv) login(username string) string {
	sess, err := e.acc.Login(context.Background(), username, regPassword, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return sess.Token
}

// do sends a request through the real router from a fixed client address.
func (e *regEnv) do(method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	e.t.Helper()
	return send(e.t, e.engine, method, path, token, body, append([]string{"RemoteAddr", "192.0.2.10:4321"}, headers...)...)
}
