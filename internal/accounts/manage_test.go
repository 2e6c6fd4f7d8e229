package accounts

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var adminChange = audit.Actor{ID: "acc-admin", Role: RoleAdmin, RequestID: "req-admin"}

func TestDisableAndEnableAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		olga, err := f.acc.CreateStaff(ctx, officer, "olga", "officer password 1", RoleOfficer)
		if err != nil {
			t.Fatal(err)
		}
		one, _ := f.acc.Login(ctx, "olga", "officer password 1", "ip")
		two, _ := f.acc.Login(ctx, "olga", "officer password 1", "ip")

		got, err := f.acc.SetDisabled(ctx, adminChange, olga.ID, true)
		if err != nil || got.DisabledAt == nil || !got.DisabledAt.Equal(testNow) {
			t.Fatalf("disable: %+v %v", got, err)
		}
		for _, s := range []Session{one, two} {
			if _, err := f.acc.Authenticate(ctx, s.Token); !apperr.Is(err, "invalid_token") {
				t.Fatalf("a session outlived the disabling: %v", err)
			}
		}
		if _, err := f.acc.Login(ctx, "olga", "officer password 1", "ip"); !apperr.Is(err, "account_disabled") {
			t.Fatalf("right password on a disabled account: %v", err)
		}
		if _, err := f.acc.Login(ctx, "olga", "a wrong password!", "ip"); !apperr.Is(err, "invalid_credentials") {
			t.Fatalf("a wrong password learnt more than that: %v", err)
		}
		if _, err := f.acc.SetDisabled(ctx, adminChange, olga.ID, true); err != nil {
			t.Fatal(err)
		}
		if got, err = f.acc.SetDisabled(ctx, adminChange, olga.ID, false); err != nil || got.DisabledAt != nil {
			t.Fatalf("enable: %+v %v", got, err)
		}
		if _, err := f.acc.Login(ctx, "olga", "officer password 1", "ip"); err != nil {
			t.Fatalf("sign-in after enabling: %v", err)
		}
		ev, _ := audit.List(db.Gorm, "account", olga.ID)
		var acts []string
		for _, e := range ev {
			acts = append(acts, e.Action+" by "+e.ActorID)
		}
		// Disabling twice wrote one event.
		if len(acts) != 3 || acts[1] != "account.disable by acc-admin" || acts[2] != "account.enable by acc-admin" {
			t.Fatalf("audit: %v", acts)
		}
	})
}

func TestDisableRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		admin, err := f.acc.CreateStaff(ctx, officer, "ada", "admin password 1", RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		self := audit.Actor{ID: admin.ID, Role: RoleAdmin}
		if _, err := f.acc.SetDisabled(ctx, self, admin.ID, true); !apperr.Is(err, "cannot_disable_self") {
			t.Fatalf("self-disable: %v", err)
		}
		if _, err := f.acc.SetDisabled(ctx, adminChange, "no-such-id", true); !apperr.Is(err, "account_not_found") {
			t.Fatalf("unknown account: %v", err)
		}
		if _, err := f.acc.Login(ctx, "ada", "admin password 1", "ip"); err != nil {
			t.Fatalf("a refused disabling changed something: %v", err)
		}
	})
}

func TestListAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"zoe", "bruno", "maria"} {
			if _, err := f.acc.CreateStaff(ctx, officer, name, "officer password 1", RoleOfficer); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		req := paging.Request{Limit: 2}
		for {
			page, err := f.acc.List(ctx, RoleOfficer, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				names = append(names, a.Username)
			}
			if page.NextCursor == "" {
				break
			}
			if req, err = paging.Parse("2", page.NextCursor); err != nil {
				t.Fatal(err)
			}
		}
		if len(names) != 3 || names[0] != "bruno" || names[1] != "maria" || names[2] != "zoe" {
			t.Fatalf("officers: %v", names)
		}
		all, _ := f.acc.List(ctx, "", paging.Request{Limit: 10})
		if len(all.Items) != 4 {
			t.Fatalf("all accounts: %+v", all.Items)
		}
		if _, err := f.acc.List(ctx, "root", paging.Request{Limit: 10}); !apperr.Is(err, "invalid_role") {
			t.Fatalf("unknown role filter: %v", err)
		}
	})
}
