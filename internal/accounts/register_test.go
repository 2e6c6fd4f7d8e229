package accounts

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/humancode"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestRegisterRejectsForm(t *testing.T) {
	tests := []struct {
		name, field, code string
		edit              func(*Registration)
	}{
		{"code missing", "code", "invalid_enrolment_code", func(r *Registration) { r.Code = "" }},
		{"code too short", "code", "invalid_enrolment_code", func(r *Registration) { r.Code = "2222-2222-2222" }},
		{"code with a letter outside the alphabet", "code", "invalid_enrolment_code", func(r *Registration) { r.Code = "2222-2222-2222-222O" }},
		{"username too short", "username", "invalid_username", func(r *Registration) { r.Username = "al" }},
		{"username with space", "username", "invalid_username", func(r *Registration) { r.Username = "al ice" }},
		{"password too short", "password", "weak_password", func(r *Registration) { r.Password = "elevenchars" }},
		{"password is username", "password", "password_is_username", func(r *Registration) { r.Username = "alicealice12"; r.Password = "ALICEALICE12" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		good := f.aliceRegistration(t)
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := good
				tt.edit(&r)
				_, err := f.acc.Register(context.Background(), r, "198.51.100."+string(rune('0'+i)))
				wantCode(t, err, tt.code)
				if e, _ := apperr.As(err); e.Field != tt.field {
					t.Fatalf("field %q, want %q", e.Field, tt.field)
				}
			})
		}
		var row enrolmentCodeRow
		db.Gorm.Take(&row)
		if row.Attempts != 0 {
			t.Fatal("a form error counted as a try of the code")
		}
	})
}

// TestUsernameTakenIsNotRevealedBeforeTheCode: with a code that does not
// work, a taken username answers exactly as a free one; once the code is
// proven, the taken username is named and the code still works with
// another.
func TestUsernameTakenIsNotRevealedBeforeTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.CreateStaff(ctx, officer, "olga", "officer password 1", RoleOfficer); err != nil {
			t.Fatal(err)
		}
		var first *apperr.Error
		for _, name := range []string{"olga", "nobody-yet"} {
			_, err := f.register("2222-2222-2222-2222", name)
			e, ok := apperr.As(err)
			if !ok || e.Code != "enrolment_code_invalid" {
				t.Fatalf("%s: %v", name, err)
			}
			if first == nil {
				first = e
			} else if e != first {
				t.Fatalf("answers differ: %+v, %+v", e, first)
			}
		}
		code := f.requestAliceCode(t)
		_, err := f.register(code, " OLGA ")
		wantCode(t, err, "username_taken")
		if _, err := f.register(code, "alice"); err != nil {
			t.Fatalf("the code after a taken username: %v", err)
		}
	})
}

// TestCounterCodeWorksOnce: a code an officer hands out opens one account;
// the officer is told when the person already has one.
func TestCounterCodeWorksOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		c, err := f.acc.IssueCounterCode(ctx, officer, f.alice)
		if err != nil || c.PersonID != f.alice || !c.ExpiresAt.Equal(testNow.Add(15*time.Minute)) || !codePattern.MatchString(c.Code) {
			t.Fatalf("counter code %+v, %v", c, err)
		}
		if messages(t, db) != 0 {
			t.Fatal("a counter code was also sent")
		}
		if _, err := f.register(c.Code, "alice"); err != nil {
			t.Fatal(err)
		}
		_, err = f.register(c.Code, "alice2")
		wantCode(t, err, "enrolment_code_invalid")
		_, err = f.acc.IssueCounterCode(ctx, officer, f.alice)
		wantCode(t, err, "person_has_account")
		_, err = f.acc.IssueCounterCode(ctx, officer, "no-such-person")
		wantCode(t, err, "person_not_found")
		events, _ := audit.List(db.Gorm, "person", f.alice)
		if len(events) == 0 || events[len(events)-1].Action != "enrolment.code_issue" || events[len(events)-1].ActorID != officer.ID {
			t.Fatalf("audit %+v", events)
		}
	})
}

// TestConcurrentUsesOfOneCodeOpenOneAccount: a code raced by several
// requests opens exactly one account.
func TestConcurrentUsesOfOneCodeOpenOneAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		code := f.requestAliceCode(t)
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = f.acc.Register(context.Background(), Registration{Code: code, Username: "alice" + string(rune('a'+i)),
					Password: alicePassword}, "ip-"+string(rune('a'+i)))
			}()
		}
		wg.Wait()
		var n int64
		db.Gorm.Model(&accountRow{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d accounts", n)
		}
	})
}

func TestRegisterAndCodeRequestsRateLimitedPerIP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for i := 0; i < 5; i++ {
			_, err := f.acc.Register(ctx, Registration{Code: "2222-2222-2222-2222", Username: "alice", Password: alicePassword}, "192.0.2.7")
			wantCode(t, err, "enrolment_code_invalid")
			if _, err := f.acc.RequestCode(ctx, aliceDocuments(), "192.0.2.7"); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.acc.Register(ctx, f.aliceRegistration(t), "192.0.2.7")
		wantCode(t, err, "rate_limited")
		if e, _ := apperr.As(err); e.RetryAfter <= 0 || e.RetryAfter > time.Minute {
			t.Fatalf("retry after %v", e.RetryAfter)
		}
		_, err = f.acc.RequestCode(ctx, aliceDocuments(), "192.0.2.7")
		wantCode(t, err, "rate_limited")
		if _, err := f.acc.RequestCode(ctx, aliceDocuments(), "192.0.2.8"); err != nil {
			t.Fatalf("another IP was limited: %v", err)
		}
		f.clk.Advance(time.Minute)
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "192.0.2.7"); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
	})
}

func TestCodeRequestRejectsForm(t *testing.T) {
	tests := []struct {
		name, field, code string
		edit              func(*CodeRequest)
	}{
		{"passport missing", "passport_number", "invalid_passport_number", func(r *CodeRequest) { r.PassportNumber = "" }},
		{"nationality unknown", "nationality", "invalid_nationality", func(r *CodeRequest) { r.Nationality = "XYZ" }},
		{"birth date malformed", "birth_date", "invalid_date", func(r *CodeRequest) { r.BirthDate = "1.1.1985" }},
		{"card check character", "fpr_card_number", "fpr_check", func(r *CodeRequest) { r.FPRCardNumber = "932682198501010018" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := aliceDocuments()
				tt.edit(&r)
				_, err := f.acc.RequestCode(context.Background(), r, "198.51.100."+string(rune('0'+i)))
				wantCode(t, err, tt.code)
				if e, _ := apperr.As(err); e.Field != tt.field {
					t.Fatalf("field %q, want %q", e.Field, tt.field)
				}
			})
		}
		if messages(t, db) != 0 {
			t.Fatal("a malformed request sent a code")
		}
	})
}

// TestRegistrationIsAuditedWithItsRequest: the audit row of a
// self-registration names the new account as its actor and the request
// that made it, so it can be found from the request log.
func TestRegistrationIsAuditedWithItsRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		r := f.aliceRegistration(t)
		r.RequestID = "req-register-1"
		acc, err := f.acc.Register(context.Background(), r, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		events, err := audit.List(db.Gorm, "account", acc.ID)
		if err != nil || len(events) != 1 || events[0].Action != "account.register" ||
			events[0].ActorID != acc.ID || events[0].RequestID != "req-register-1" {
			t.Fatalf("audit: %+v %v", events, err)
		}
	})
}

// FuzzNormalizeEnrolmentCode: an accepted code is 16 alphabet symbols and
// normalising its grouped form gives it back.
func FuzzNormalizeEnrolmentCode(f *testing.F) {
	for _, s := range []string{"2222-2222-2222-2222", "abcd efgh jkmn pqrs", "", "O0O0-1111-IIII-LLLL", "２２２２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := normalizeEnrolmentCode(s)
		if !ok {
			return
		}
		if len(n) != codeLength {
			t.Fatalf("%q accepted as %q", s, n)
		}
		for _, r := range n {
			if !containsRune(codeAlphabet, r) {
				t.Fatalf("%q accepted as %q", s, n)
			}
		}
		if again, ok := normalizeEnrolmentCode(humancode.Group(n)); !ok || again != n {
			t.Fatalf("%q does not round-trip", n)
		}
	})
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
