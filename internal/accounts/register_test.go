package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestRegisterRejectsForm(t *testing.T) {
	tests := []struct {
		name, field, code string
		edit              func(*Registration)
	}{
		{"username too short", "username", "invalid_username", func(r *Registration) { r.Username = "al" }},
		{"username with space", "username", "invalid_username", func(r *Registration) { r.Username = "al ice" }},
		{"password too short", "password", "weak_password", func(r *Registration) { r.Password = "elevenchars" }},
		{"password is username", "password", "password_is_username", func(r *Registration) { r.Username = "alicealice12"; r.Password = "ALICEALICE12" }},
		{"passport missing", "passport_number", "invalid_passport_number", func(r *Registration) { r.PassportNumber = "" }},
		{"nationality unknown", "nationality", "invalid_nationality", func(r *Registration) { r.Nationality = "XYZ" }},
		{"birth date malformed", "birth_date", "invalid_date", func(r *Registration) { r.BirthDate = "1.1.1985" }},
		{"card check character", "fpr_card_number", "fpr_check", func(r *Registration) { r.FPRCardNumber = "932682198501010018" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := aliceRegistration()
				tt.edit(&r)
				_, err := f.acc.Register(context.Background(), r, "198.51.100."+string(rune('0'+i)))
				wantCode(t, err, tt.code)
				if e, _ := apperr.As(err); e.Field != tt.field {
					t.Fatalf("field %q, want %q", e.Field, tt.field)
				}
			})
		}
	})
}

// TestRegisterUniformMismatch: whatever identity detail is wrong, the
// answer is byte for byte the same.
func TestRegisterUniformMismatch(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Registration)
	}{
		{"unknown passport", func(r *Registration) { r.PassportNumber = "K7654321" }},
		{"wrong nationality", func(r *Registration) { r.Nationality = "CAN" }},
		{"wrong birth date", func(r *Registration) { r.BirthDate = "1985-01-02" }},
		{"card number missing", func(r *Registration) { r.FPRCardNumber = "" }},
		{"someone else's card", func(r *Registration) { r.FPRCardNumber = "911124198108030024" }},
		{"person already registered", func(r *Registration) { r.Username = "alice2" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		for i, tt := range tests {
			if tt.name == "person already registered" {
				if _, err := f.acc.Register(ctx, aliceRegistration(), "203.0.113.99"); err != nil {
					t.Fatal(err)
				}
			}
			t.Run(tt.name, func(t *testing.T) {
				r := aliceRegistration()
				tt.edit(&r)
				_, err := f.acc.Register(ctx, r, "203.0.113."+string(rune('0'+i)))
				e, ok := apperr.As(err)
				if !ok || e != registry.ErrNoMatch {
					t.Fatalf("got %v, want the uniform mismatch", err)
				}
			})
		}
		var n int64
		db.Gorm.Model(&accountRow{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d accounts", n)
		}
	})
}

func TestRegisterUsernameTaken(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.CreateStaff(ctx, officer, "alice", "officer password 1", RoleOfficer); err != nil {
			t.Fatal(err)
		}
		_, err := f.acc.Register(ctx, aliceRegistration(), "ip")
		wantCode(t, err, "username_taken")
	})
}

// TestRegisterUsernameTakenWhateverIdentity: a taken username is refused
// the same way whether or not the identity matches a registered person,
// so the answer cannot be used to test passport details.
func TestRegisterUsernameTakenWhateverIdentity(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Registration)
	}{
		{"identity matches", func(*Registration) {}},
		{"unknown passport", func(r *Registration) { r.PassportNumber = "K7654321" }},
		{"wrong nationality", func(r *Registration) { r.Nationality = "CAN" }},
		{"wrong birth date", func(r *Registration) { r.BirthDate = "1985-01-02" }},
		{"card number missing", func(r *Registration) { r.FPRCardNumber = "" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.CreateStaff(ctx, officer, "alice", "officer password 1", RoleOfficer); err != nil {
			t.Fatal(err)
		}
		var first *apperr.Error
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := aliceRegistration()
				r.Username = " Alice "
				tt.edit(&r)
				_, err := f.acc.Register(ctx, r, "198.51.100."+string(rune('0'+i)))
				wantCode(t, err, "username_taken")
				e, _ := apperr.As(err)
				if first == nil {
					first = e
				} else if e.Kind != first.Kind || e.Field != first.Field || e.Message != first.Message {
					t.Fatalf("answer differs: %+v, first %+v", e, first)
				}
			})
		}
		var n int64
		db.Gorm.Model(&accountRow{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d accounts", n)
		}
	})
}

func TestRegisterRateLimitedPerIP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		bad := aliceRegistration()
		bad.Nationality = "CAN"
		for i := 0; i < 5; i++ {
			if _, err := f.acc.Register(ctx, bad, "192.0.2.7"); err != registry.ErrNoMatch {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		_, err := f.acc.Register(ctx, aliceRegistration(), "192.0.2.7")
		wantCode(t, err, "rate_limited")
		if e, _ := apperr.As(err); e.RetryAfter <= 0 || e.RetryAfter > time.Minute {
			t.Fatalf("retry after %v", e.RetryAfter)
		}
		if _, err := f.acc.Register(ctx, bad, "192.0.2.8"); err != registry.ErrNoMatch {
			t.Fatalf("another IP was limited: %v", err)
		}
		f.clk.Advance(time.Minute)
		if _, err := f.acc.Register(ctx, aliceRegistration(), "192.0.2.7"); err != nil {
			t.Fatalf("after waiting: %v", err)
		}
	})
}

// TestRegistrationIsAuditedWithItsRequest: the audit row of a
// self-registration names the new account as its actor and the request
// that made it, so it can be found from the request log.
func TestRegistrationIsAuditedWithItsRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		r := aliceRegistration()
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
