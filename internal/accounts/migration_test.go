package accounts

import (
	"context"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/migrations"
)

// helperMigration widened accounts to helper identities.
const helperMigration = 1100

func migrator(t *testing.T, db *storage.DB) *goose.Provider {
	t.Helper()
	fsys, err := migrations.FS(string(db.Dialect))
	if err != nil {
		t.Fatal(err)
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == storage.Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.SQL, fsys, goose.WithAllowOutofOrder(true), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHelperMigrationKeepsAccountsAndComesDown: accounts and sessions made
// before the rebuild still sign in after it, and the migration comes down
// again (keeping them) while no helper account exists; with one it is
// refused, since the older schema cannot hold it.
func TestHelperMigrationKeepsAccountsAndComesDown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		f := helperFixture(t, db)
		m := migrator(t, db)
		if _, err := m.DownTo(ctx, helperMigration-1); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		sess, err := f.acc.Login(ctx, "alice", alicePassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.DownTo(ctx, helperMigration-1); err != nil {
			t.Fatalf("down: %v", err)
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if id, err := f.acc.Authenticate(ctx, sess.Token); err != nil || id.Username != "alice" {
			t.Fatalf("the session did not survive: %+v, %v", id, err)
		}
		h := f.recordWang(t)
		c, err := f.acc.IssueHelperCounterCode(ctx, officer, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Register(ctx, Registration{Code: c.Code, Username: "wanghelper", Password: alicePassword, ResidentID: wangID}, "192.0.2.2"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.DownTo(ctx, helperMigration-1); err == nil {
			t.Fatal("the migration came down over a helper account")
		}
	})
}
