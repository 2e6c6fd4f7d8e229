package accounts

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var officerChange = audit.Actor{ID: "acc-officer", Role: RoleOfficer, RequestID: "req-reset"}

func TestGeneratePassword(t *testing.T) {
	pw, err := GeneratePassword(bytes.NewReader(make([]byte, 16)))
	if err != nil || pw != "aaaa-aaaa-aaaa-aaaa" {
		t.Fatalf("zero bytes: %q %v", pw, err)
	}
	if _, err := GeneratePassword(bytes.NewReader(make([]byte, 3))); err == nil {
		t.Fatal("a short source gave a password")
	}
	shape := regexp.MustCompile(`^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$`)
	if pw, _ := GeneratePassword(bytes.NewReader([]byte("0123456789abcdef"))); !shape.MatchString(pw) || len(pw) < MinPasswordLen {
		t.Fatalf("shape: %q", pw)
	}
}

// TestResetThenSetPassword is the forgotten-password journey: an officer
// resets, the temporary password opens no session, its holder sets their
// own, and signs in with it.
func TestResetThenSetPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, here, _ := changeFixture(t, db)
		ctx := context.Background()
		reset, err := f.acc.ResetByStaff(ctx, officerChange, acc.ID)
		if err != nil || !reset.Account.PasswordChangeRequired || !reset.ExpiresAt.Equal(testNow.Add(TemporaryPasswordTTL)) {
			t.Fatalf("reset: %+v %v", reset, err)
		}
		if _, err := f.acc.Authenticate(ctx, here.Token); !apperr.Is(err, "invalid_token") {
			t.Fatalf("a session survived the reset: %v", err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, alicePassword, "ip"); !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("the forgotten password still works: %v", err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, reset.TemporaryPassword, "ip"); !apperr.Is(err, "password_change_required") {
			t.Fatalf("the temporary password opened a session: %v", err)
		}
		err = f.acc.SetPassword(ctx, audit.Actor{}, acc.Username, reset.TemporaryPassword, reset.TemporaryPassword, "ip")
		if !apperr.Is(err, "password_unchanged") {
			t.Fatalf("keeping the temporary password: %v", err)
		}
		if err := f.acc.SetPassword(ctx, audit.Actor{RequestID: "req-set"}, acc.Username, reset.TemporaryPassword, newPassword, "ip"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, newPassword, "ip"); err != nil {
			t.Fatalf("sign-in with the chosen password: %v", err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, reset.TemporaryPassword, "ip"); !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("the temporary password still works: %v", err)
		}
		ev, _ := audit.List(db.Gorm, "account", acc.ID)
		var acts []string
		for _, e := range ev {
			acts = append(acts, e.Action+" by "+e.ActorID)
		}
		if n := len(acts); n < 2 || acts[n-2] != "account.reset_password by acc-officer" || acts[n-1] != "account.set_password by "+acc.ID {
			t.Fatalf("audit: %v", acts)
		}
		notes, _ := notifications.NewStore(db).List(ctx, acc.PersonID, paging.Request{Limit: 10})
		if len(notes.Items) != 2 || notes.Items[1].Kind != "account.password_reset" || notes.Items[0].Kind != "account.password_changed" {
			t.Fatalf("notifications: %+v", notes.Items)
		}
	})
}

func TestTemporaryPasswordExpires(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, _, _ := changeFixture(t, db)
		ctx := context.Background()
		reset, err := f.acc.ResetByStaff(ctx, officerChange, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(TemporaryPasswordTTL + time.Second)
		if _, err := f.acc.Login(ctx, acc.Username, reset.TemporaryPassword, "ip"); !apperr.Is(err, "temporary_password_expired") {
			t.Fatalf("login: %v", err)
		}
		err = f.acc.SetPassword(ctx, audit.Actor{}, acc.Username, reset.TemporaryPassword, newPassword, "ip")
		if !apperr.Is(err, "temporary_password_expired") {
			t.Fatalf("set: %v", err)
		}
	})
}

func TestResetRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, _, _ := changeFixture(t, db)
		ctx := context.Background()
		olga, err := f.acc.CreateStaff(ctx, officer, "olga", "officer password 1", RoleOfficer)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.ResetByStaff(ctx, officerChange, olga.ID); !apperr.Is(err, "staff_reset_admin_only") {
			t.Fatalf("officer resetting staff: %v", err)
		}
		self := audit.Actor{ID: olga.ID, Role: RoleOfficer}
		if _, err := f.acc.ResetByStaff(ctx, self, olga.ID); !apperr.Is(err, "cannot_reset_own_password") {
			t.Fatalf("own reset: %v", err)
		}
		if _, err := f.acc.ResetByStaff(ctx, officerChange, "no-such-id"); !apperr.Is(err, "account_not_found") {
			t.Fatalf("unknown account: %v", err)
		}
		if _, err := f.acc.Login(ctx, "olga", "officer password 1", "ip"); err != nil {
			t.Fatalf("a refused reset changed olga's password: %v", err)
		}
		if _, err := f.acc.ResetByStaff(ctx, adminChange, olga.ID); err != nil {
			t.Fatalf("admin resetting staff: %v", err)
		}
		// SetPassword answers an unknown username as a wrong password.
		err = f.acc.SetPassword(ctx, audit.Actor{}, "nobody-here", "whatever password", newPassword, "ip-x")
		if !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("unknown username: %v", err)
		}
		err = f.acc.SetPassword(ctx, audit.Actor{}, acc.Username, "a wrong password!", newPassword, "ip-y")
		if !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("wrong current password: %v", err)
		}
	})
}
