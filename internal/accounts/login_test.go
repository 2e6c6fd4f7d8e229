package accounts

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestLoginRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "ip"); err != nil {
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
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "ip"); err != nil {
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

// wrongGuesses makes n wrong guesses at user's password, each from a fresh
// address so the per-address throttle stays out of the way, taking the
// nodes in turn, and returns each answer's code and Retry-After. The clock
// moves on by a minute before guess number advanceAt (if ≥ 0).
func wrongGuesses(f *fixture, nodes []*Service, user string, n, advanceAt int) []string {
	var out []string
	for i := range n {
		if i == advanceAt {
			f.clk.Advance(time.Minute)
		}
		_, err := nodes[i%len(nodes)].Login(context.Background(), user, "wrong password!", fmt.Sprintf("%s-%d", user, i))
		e, _ := apperr.As(err)
		out = append(out, fmt.Sprintf("%s %v", e.Code, e.RetryAfter))
	}
	return out
}

// TestLockDoesNotRevealWhetherAnAccountExists: the same wrong guesses at
// an existing and at an unknown username get the same answers, lock
// included.
func TestLockDoesNotRevealWhetherAnAccountExists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		if _, err := f.acc.Register(context.Background(), f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		nodes := []*Service{f.acc}
		// The sixth guess finds the first lock; the seventh comes after it.
		real, unknown := wrongGuesses(f, nodes, "alice", 8, 6), wrongGuesses(f, nodes, "mallory", 8, 6)
		if fmt.Sprint(real) != fmt.Sprint(unknown) {
			t.Fatalf("answers differ:\nexisting %v\nunknown  %v", real, unknown)
		}
		if real[5] != "account_locked 1m0s" || real[7] != "account_locked 2m0s" {
			t.Fatalf("lock schedule %v", real)
		}
	})
}

// TestLockIsSharedByNodes: guesses spread over two nodes (two services on
// one database) lock an unknown username after the same failures as a real
// account, so spreading them reveals nothing either.
func TestLockIsSharedByNodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		other, err := New(db, f.clk, f.reg, Options{Argon2: fastArgon})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Register(context.Background(), f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		nodes := []*Service{f.acc, other}
		real, unknown := wrongGuesses(f, nodes, "alice", 6, -1), wrongGuesses(f, nodes, "mallory", 6, -1)
		if fmt.Sprint(real) != fmt.Sprint(unknown) {
			t.Fatalf("answers differ across nodes:\nexisting %v\nunknown  %v", real, unknown)
		}
		if real[5] != "account_locked 1m0s" {
			t.Fatalf("lock schedule across nodes %v", real)
		}
	})
}

// TestUnknownLoginsKeepNoNamesAndArePruned: what is typed as a username is
// stored only hashed, and a row idle for longer than the longest lock goes
// when another failure is recorded; a more recent one stays.
func TestUnknownLoginsKeepNoNamesAndArePruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rows := func() map[string]unknownRow {
			var all []unknownRow
			if err := db.Gorm.Find(&all).Error; err != nil {
				t.Fatal(err)
			}
			out := map[string]unknownRow{}
			for _, r := range all {
				out[r.NameHash] = r
			}
			return out
		}
		login := func(name string, n int) {
			for i := range n {
				_, _ = f.acc.Login(ctx, name, "wrong password!", fmt.Sprintf("%s-%d-%v", name, i, f.clk.Now()))
			}
		}
		login("correct-horse-battery", 1)
		got := rows()
		r, ok := got[unknownKey("correct-horse-battery")]
		if len(got) != 1 || !ok || r.Failures != 1 || len(r.NameHash) != 64 {
			t.Fatalf("rows: %+v", got)
		}
		var raw int64
		db.Gorm.Model(&unknownRow{}).Where("name_hash LIKE ?", "%horse%").Count(&raw)
		if raw != 0 {
			t.Fatal("the typed name is stored")
		}
		f.clk.Advance(f.acc.opts.LockMax / 2)
		login("midway", 1)
		f.clk.Advance(f.acc.opts.LockMax/2 + time.Minute)
		login("newcomer", 1)
		got = rows()
		if _, kept := got[unknownKey("correct-horse-battery")]; kept {
			t.Fatal("a row idle for longer than the longest lock was kept")
		}
		if _, kept := got[unknownKey("midway")]; !kept || len(got) != 2 {
			t.Fatalf("rows after pruning: %d, recent one kept %v", len(got), kept)
		}
	})
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
		if err := f.acc.ResetPassword(ctx, audit.System, "olga", "officer password 2"); err != nil {
			t.Fatal(err)
		}
		_, err := f.acc.Authenticate(ctx, sess.Token)
		wantCode(t, err, "invalid_token")
		if _, err := f.acc.Login(ctx, "olga", "officer password 2", "ip"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.acc.ResetPassword(ctx, audit.System, "nobody", "officer password 2"), "account_not_found")
	})
}

// TestUnknownFailuresCountedUnderConcurrency: simultaneous guesses at one
// unknown username are each counted, as an account's are.
func TestUnknownFailuresCountedUnderConcurrency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		const guesses = 4 // one fewer than locks
		var wg sync.WaitGroup
		for i := range guesses {
			wg.Go(func() {
				_, err := f.acc.Login(ctx, "ghost", "wrong password!", fmt.Sprintf("ip-%d", i))
				if e, _ := apperr.As(err); e == nil || e.Code != "invalid_credentials" {
					t.Errorf("guess %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		var row unknownRow
		if err := db.Gorm.Where("name_hash = ?", unknownKey("ghost")).Take(&row).Error; err != nil || row.Failures != guesses {
			t.Fatalf("counted %d of %d guesses: %v", row.Failures, guesses, err)
		}
	})
}

// TestConcurrentGuessesCannotOutrunTheLock: guesses sent together, with
// the production password hashing so that they overlap, are counted before
// any password is checked: at most LockAfter of them are looked at, the
// rest are answered locked, at an account and at an unknown name alike.
func TestConcurrentGuessesCannotOutrunTheLock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		acc, err := New(db, f.clk, f.reg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := acc.Register(ctx, f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		const guesses = 24
		for _, user := range []string{"alice", "mallory"} {
			var mu sync.Mutex
			answers := map[string]int{}
			var wg sync.WaitGroup
			for i := range guesses {
				wg.Go(func() {
					_, err := acc.Login(ctx, user, "wrong password!", fmt.Sprintf("%s-%d", user, i))
					code := "signed in"
					if e, ok := apperr.As(err); ok {
						code = e.Code
					} else if err != nil {
						code = err.Error()
					}
					mu.Lock()
					answers[code]++
					mu.Unlock()
				})
			}
			wg.Wait()
			if checked := guesses - answers["account_locked"]; checked > 5 || answers["account_locked"]+answers["invalid_credentials"] != guesses {
				t.Fatalf("%s: %v; at most 5 guesses may reach the password", user, answers)
			}
		}
	})
}

// TestIdleCountStartsAgainLikeAnUnknownName: a count whose last failure is
// older than the longest lock starts again, at an account as at a name
// without one, so waiting out the prune of unknown names tells nothing.
func TestIdleCountStartsAgainLikeAnUnknownName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		if _, err := f.acc.Register(context.Background(), f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		nodes := []*Service{f.acc}
		wrongGuesses(f, nodes, "alice", 5, -1)
		wrongGuesses(f, nodes, "mallory", 5, -1)
		f.clk.Advance(61 * time.Minute)
		wrongGuesses(f, nodes, "someone-else", 1, -1) // prunes idle unknown names
		real, unknown := wrongGuesses(f, nodes, "alice", 2, -1), wrongGuesses(f, nodes, "mallory", 2, -1)
		if fmt.Sprint(real) != fmt.Sprint(unknown) || real[1] != "invalid_credentials 0s" {
			t.Fatalf("answers after an idle hour differ:\nexisting %v\nunknown  %v", real, unknown)
		}
	})
}
