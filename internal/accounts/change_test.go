package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

const newPassword = "steppe wind at dawn"

// changeFixture registers alice and signs her in twice: one session to
// change the password from, another that must be signed out by it.
func changeFixture(t *testing.T, db *storage.DB) (*fixture, Account, Session, Session) {
	t.Helper()
	f := newFixture(t, db)
	ctx := context.Background()
	acc, err := f.acc.Register(ctx, f.aliceRegistration(t), "ip")
	if err != nil {
		t.Fatal(err)
	}
	here, err := f.acc.Login(ctx, acc.Username, alicePassword, "ip")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := f.acc.Login(ctx, acc.Username, alicePassword, "ip")
	if err != nil {
		t.Fatal(err)
	}
	return f, acc, here, elsewhere
}

func TestChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, here, elsewhere := changeFixture(t, db)
		ctx := context.Background()
		ch := audit.Actor{ID: acc.ID, Role: RoleResident, RequestID: "req-change"}
		if err := f.acc.ChangePassword(ctx, ch, acc.ID, alicePassword, newPassword, here.Token, "ip"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, alicePassword, "ip"); !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("old password still works: %v", err)
		}
		if _, err := f.acc.Login(ctx, acc.Username, newPassword, "ip"); err != nil {
			t.Fatalf("new password refused: %v", err)
		}
		if _, err := f.acc.Authenticate(ctx, here.Token); err != nil {
			t.Fatalf("the caller's own session was signed out: %v", err)
		}
		if _, err := f.acc.Authenticate(ctx, elsewhere.Token); !apperr.Is(err, "invalid_token") {
			t.Fatalf("another session survived the change: %v", err)
		}
		notes, err := notifications.NewStore(db).List(ctx, acc.PersonID, paging.Request{Limit: 10})
		if err != nil || len(notes.Items) != 1 || notes.Items[0].Kind != "account.password_changed" ||
			notes.Items[0].Subject.Zh != "您的密码已修改" || notes.Items[0].Ref != acc.ID {
			t.Fatalf("notification: %+v %v", notes.Items, err)
		}
		ev, _ := audit.List(db.Gorm, "account", acc.ID)
		last := ev[len(ev)-1]
		if last.Action != "account.change_password" || last.ActorID != acc.ID || last.RequestID != "req-change" {
			t.Fatalf("audit: %+v", last)
		}
	})
}

// TestChangePasswordRejections: each refusal names its field and changes
// nothing: the old password and both sessions keep working.
func TestChangePasswordRejections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, here, elsewhere := changeFixture(t, db)
		ctx := context.Background()
		rows := []struct {
			name, current, next, code, field string
		}{
			{"fail-current-wrong", "not my password at all", newPassword, "current_password_wrong", "current_password"},
			{"fail-new-too-short", alicePassword, "short", "weak_password", "new_password"},
			{"fail-new-contains-username", alicePassword, "i am " + acc.Username + " really", "password_is_username", "new_password"},
			{"fail-new-same-as-current", alicePassword, alicePassword, "password_unchanged", "new_password"},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				err := f.acc.ChangePassword(ctx, audit.System, acc.ID, r.current, r.next, here.Token, "ip-"+r.name)
				e, _ := apperr.As(err)
				if e == nil || e.Code != r.code || e.Field != r.field {
					t.Fatalf("got %v, want %s on %s", err, r.code, r.field)
				}
				if _, err := f.acc.Authenticate(ctx, elsewhere.Token); err != nil {
					t.Fatalf("a refused change signed a session out: %v", err)
				}
				if notes, _ := notifications.NewStore(db).List(ctx, acc.PersonID, paging.Request{Limit: 10}); len(notes.Items) != 0 {
					t.Fatalf("a refused change left a notification: %+v", notes.Items)
				}
			})
		}
		if _, err := f.acc.Login(ctx, acc.Username, alicePassword, "ip-after"); err != nil {
			t.Fatalf("the old password no longer works after refused changes: %v", err)
		}
	})
}

// TestChangePasswordGuessingLocks: a stolen session cannot be used to guess
// the password: wrong current passwords lock the account like wrong logins.
func TestChangePasswordGuessingLocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f, acc, here, _ := changeFixture(t, db)
		ctx := context.Background()
		var last error
		for i := range 6 {
			last = f.acc.ChangePassword(ctx, audit.System, acc.ID, "a wrong guess!!", newPassword, here.Token, "ip-"+string(rune('a'+i)))
		}
		if e, _ := apperr.As(last); e == nil || e.Code != "account_locked" || e.RetryAfter != time.Minute {
			t.Fatalf("sixth guess: %v", last)
		}
		if err := f.acc.ChangePassword(ctx, audit.System, acc.ID, alicePassword, newPassword, here.Token, "ip-z"); !apperr.Is(err, "account_locked") {
			t.Fatalf("the right password during the lock: %v", err)
		}
	})
}
