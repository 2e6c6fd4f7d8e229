package accounts

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var testNow = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// fastArgon keeps tests quick; production uses DefaultArgon2.
var fastArgon = Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

var officer = audit.Actor{ID: "officer-1", Role: "officer"}

type fixture struct {
	db    *storage.DB
	clk   *clock.Fake
	reg   *registry.Service
	acc   *Service
	alice string // person ID of a SAU resident with passport and 2023 card
	tries int    // registrations tried through register
}

const (
	alicePassword = "correct horse battery"
	aliceMobile   = "+966501234567"
)

// aliceRegistration registers alice with a code an officer handed out.
func (f *fixture) aliceRegistration(t testing.TB) Registration {
	t.Helper()
	c, err := f.acc.IssueCounterCode(context.Background(), officer, f.alice)
	if err != nil {
		t.Fatal(err)
	}
	return Registration{Code: c.Code, Username: "alice", Password: alicePassword}
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	clk := clock.NewFake(testNow)
	reg := registry.New(db, clk, registry.Hooks{})
	acc, err := New(db, clk, reg, Options{Argon2: fastArgon})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	p, err := reg.CreatePerson(ctx, officer, registry.PersonInput{Surname: "AL HARBI", GivenNames: "ALIA", Sex: "F",
		BirthDate: "1985-01-01", Nationality: "SAU", Mobile: aliceMobile})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddPassport(ctx, officer, p.ID, registry.PassportInput{Number: "K1234567", IssuingState: "SAU",
		IssueDate: "2021-05-01", ExpiryDate: "2031-04-30"}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AddFPRCard(ctx, officer, p.ID, registry.FPRCardInput{Number: "932682198501010017",
		IssueDate: "2024-01-10", ExpiryDate: "2034-01-09"}); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, clk: clk, reg: reg, acc: acc, alice: p.ID}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func TestRowsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &accountRow{}, &sessionRow{}, &unknownRow{}, &enrolmentCodeRow{}, &helperRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRegisterLoginLogout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		acc, err := f.acc.Register(ctx, f.aliceRegistration(t), "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if acc.Role != RoleResident || acc.PersonID != f.alice || acc.Username != "alice" {
			t.Fatalf("account: %+v", acc)
		}
		sess, err := f.acc.Login(ctx, "Alice", alicePassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.RawURLEncoding.DecodeString(sess.Token)
		if err != nil || len(raw) < 32 {
			t.Fatalf("token has %d bytes", len(raw))
		}
		if !sess.ExpiresAt.Equal(testNow.Add(12*time.Hour)) || sess.Role != RoleResident {
			t.Fatalf("session: %+v", sess)
		}
		var stored sessionRow
		db.Gorm.Take(&stored)
		if stored.TokenHash == sess.Token || stored.TokenHash != hashToken(sess.Token) {
			t.Fatal("the token itself was stored")
		}
		id, err := f.acc.Authenticate(ctx, sess.Token)
		if err != nil || id.PersonID != f.alice || id.Role != RoleResident || id.Username != "alice" {
			t.Fatalf("authenticate: %+v %v", id, err)
		}
		if err := f.acc.Logout(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		_, err = f.acc.Authenticate(ctx, sess.Token)
		wantCode(t, err, "invalid_token")
	})
}

func TestSessionExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.CreateStaff(ctx, officer, "olga", "officer password 1", RoleOfficer); err != nil {
			t.Fatal(err)
		}
		sess, err := f.acc.Login(ctx, "olga", "officer password 1", "ip")
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(12*time.Hour - time.Second)
		if _, err := f.acc.Authenticate(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Second)
		_, err = f.acc.Authenticate(ctx, sess.Token)
		wantCode(t, err, "invalid_token")
	})
}

func TestAuthenticateRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		for name, tok := range map[string]string{
			"empty": "", "unknown": "c29tZXRoaW5nIG5vYm9keSBpc3N1ZWQ", "oversized": string(make([]byte, 300)),
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.acc.Authenticate(context.Background(), tok)
				wantCode(t, err, "invalid_token")
			})
		}
	})
}

func TestCreateStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		acc, err := f.acc.CreateStaff(ctx, officer, "Olga", "officer password 1", RoleOfficer)
		if err != nil || acc.Role != RoleOfficer || acc.PersonID != "" || acc.Username != "olga" {
			t.Fatalf("%+v %v", acc, err)
		}
		ev, _ := audit.List(db.Gorm, "account", acc.ID)
		if len(ev) != 1 || ev[0].ActorID != "officer-1" || ev[0].Action != "account.create" {
			t.Fatalf("audit: %+v", ev)
		}
		rejects := []struct{ name, user, pw, role, code string }{
			{"resident role", "rita", "long enough password", RoleResident, "invalid_role"},
			{"unknown role", "rita", "long enough password", "root", "invalid_role"},
			{"taken username", "OLGA", "long enough password", RoleOfficer, "username_taken"},
			{"short password", "rita", "short", RoleOfficer, "weak_password"},
			{"password is username", "ritarita1234", "RitaRita1234", RoleOfficer, "password_is_username"},
			{"bad username", "r!", "long enough password", RoleOfficer, "invalid_username"},
		}
		for _, r := range rejects {
			t.Run(r.name, func(t *testing.T) {
				_, err := f.acc.CreateStaff(ctx, officer, r.user, r.pw, r.role)
				wantCode(t, err, r.code)
			})
		}
	})
}
