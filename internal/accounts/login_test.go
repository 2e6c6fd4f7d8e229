package accounts

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestLoginRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.Register(ctx, aliceRegistration(), "ip"); err != nil {
			t.Fatal(err)
		}
		for _, r := range []struct{ name, user, pw string }{
			{"unknown user", "bob", alicePassword},
			{"wrong password", "alice", "wrong password!"},
			{"malformed username", "a", alicePassword},
		} {
			t.Run(r.name, func(t *testing.T) {
				_, err := f.acc.Login(ctx, r.user, r.pw, "ip-"+r.name)
				wantCode(t, err, "invalid_credentials")
			})
		}
	})
}

func TestLoginLockoutGrows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.Register(ctx, aliceRegistration(), "ip"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			_, err := f.acc.Login(ctx, "alice", "wrong password!", "ip")
			wantCode(t, err, "invalid_credentials")
		}
		// Locked: even the right password is refused, without being checked.
		_, err := f.acc.Login(ctx, "alice", alicePassword, "ip")
		wantCode(t, err, "account_locked")
		if e, _ := apperr.As(err); e.RetryAfter != time.Minute {
			t.Fatalf("first lock %v, want 1m", e.RetryAfter)
		}
		f.clk.Advance(time.Minute)
		_, err = f.acc.Login(ctx, "alice", "wrong password!", "ip")
		wantCode(t, err, "invalid_credentials")
		_, err = f.acc.Login(ctx, "alice", alicePassword, "ip")
		if e, _ := apperr.As(err); e == nil || e.Code != "account_locked" || e.RetryAfter != 2*time.Minute {
			t.Fatalf("second lock: %v", err)
		}
		f.clk.Advance(2 * time.Minute)
		if _, err := f.acc.Login(ctx, "alice", alicePassword, "ip"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		var row accountRow
		db.Gorm.Where("username = ?", "alice").Take(&row)
		if row.FailedLogins != 0 || row.LockedUntil != nil {
			t.Fatalf("not reset: %+v", row)
		}
	})
}

// TestLockDoesNotRevealWhetherAnAccountExists: the same wrong guesses at
// an existing and at an unknown username get the same answers, lock
// included, each from a fresh address so the per-address throttle stays
// out of the way.
func TestLockDoesNotRevealWhetherAnAccountExists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.Register(ctx, aliceRegistration(), "ip"); err != nil {
			t.Fatal(err)
		}
		answers := func(user string) []string {
			var out []string
			for i := range 8 {
				if i == 6 {
					f.clk.Advance(time.Minute) // the first lock ends
				}
				_, err := f.acc.Login(ctx, user, "wrong password!", fmt.Sprintf("%s-%d", user, i))
				e, _ := apperr.As(err)
				out = append(out, fmt.Sprintf("%s %v", e.Code, e.RetryAfter))
			}
			return out
		}
		real, unknown := answers("alice"), answers("mallory")
		if fmt.Sprint(real) != fmt.Sprint(unknown) {
			t.Fatalf("answers differ:\nexisting %v\nunknown  %v", real, unknown)
		}
		if real[5] != "account_locked 1m0s" || real[7] != "account_locked 2m0s" {
			t.Fatalf("lock schedule %v", real)
		}
	})
}

func TestUnknownLoginsStayBounded(t *testing.T) {
	u := newUnknownLogins(3, time.Minute)
	now := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	never := func(int) time.Duration { return 0 }
	for _, name := range []string{"a", "b", "c"} {
		u.fail(name, now, never)
	}
	u.fail("d", now.Add(2*time.Minute), never) // a, b and c are idle: dropped
	if len(u.byName) != 1 {
		t.Fatalf("%d names kept", len(u.byName))
	}
	lock := func(int) time.Duration { return time.Hour }
	for _, name := range []string{"e", "f"} {
		u.fail(name, now.Add(2*time.Minute), lock)
	}
	u.fail("g", now.Add(3*time.Minute), never) // all locked or recent: starts afresh
	if len(u.byName) != 1 || u.locked("g", now.Add(3*time.Minute)) != 0 {
		t.Fatalf("not bounded: %d names", len(u.byName))
	}
}

func TestLoginRateLimitedPerIP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for i := 0; i < 20; i++ {
			_, _ = f.acc.Login(ctx, "nobody", "whatever password", "192.0.2.50")
		}
		_, err := f.acc.Login(ctx, "nobody", "whatever password", "192.0.2.50")
		wantCode(t, err, "rate_limited")
	})
}

func TestResetPasswordRevokesSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.CreateStaff(ctx, officer, "olga", "officer password 1", RoleOfficer); err != nil {
			t.Fatal(err)
		}
		sess, _ := f.acc.Login(ctx, "olga", "officer password 1", "ip")
		if err := f.acc.ResetPassword(ctx, SystemChange(), "olga", "officer password 2"); err != nil {
			t.Fatal(err)
		}
		_, err := f.acc.Authenticate(ctx, sess.Token)
		wantCode(t, err, "invalid_token")
		if _, err := f.acc.Login(ctx, "olga", "officer password 2", "ip"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.acc.ResetPassword(ctx, SystemChange(), "nobody", "officer password 2"), "account_not_found")
	})
}
