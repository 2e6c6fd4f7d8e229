package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestOpenRejectsUnknownURL(t *testing.T) {
	for _, u := range []string{"mysql://root@localhost/x", "file.db", "sqlite:"} {
		_, err := storage.Open(context.Background(), storage.Options{URL: u})
		if !errors.Is(err, storage.ErrUnsupportedURL) {
			t.Errorf("%q: got %v", u, err)
		}
	}
}

func TestOpenDefaultCreatesDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	db, err := storage.Open(context.Background(), storage.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Dialect != storage.SQLite {
		t.Fatalf("dialect %s", db.Dialect)
	}
	n, err := db.Migrate(context.Background())
	if err != nil || n == 0 {
		t.Fatalf("migrate: %d %v", n, err)
	}
	if again, err := db.Migrate(context.Background()); err != nil || again != 0 {
		t.Fatalf("second migrate must apply nothing: %d %v", again, err)
	}
}

func TestMigrationStatusesAllApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		st, err := db.MigrationStatuses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 || st[0].Version != 1 {
			t.Fatalf("statuses %+v", st)
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("version %d not applied", s.Version)
			}
		}
	})
}

func TestAuditModelMatchesSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &audit.Event{}); err != nil {
			t.Fatal(err)
		}
	})
}

// drifted has a field the audit_events table lacks and misses NOT NULL
// columns the table requires.
type drifted struct {
	ID       int64
	Nickname string
}

func (drifted) TableName() string { return "audit_events" }

type ghost struct{ ID int64 }

func (ghost) TableName() string { return "no_such_table" }

func TestCheckModelsCatchesDrift(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &drifted{}); err == nil {
			t.Fatal("extra field and missing NOT NULL columns not reported")
		}
		if err := storage.CheckModels(db, &ghost{}); err == nil {
			t.Fatal("missing table not reported")
		}
	})
}

func TestAuditWriteRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		err := audit.Write(db.Gorm, now, audit.Entry{Actor: audit.Actor{ID: "a1", Role: "officer"},
			Action: "person.update", Entity: "person", EntityID: "p1",
			Before: map[string]string{"surname": "OLD"}, After: map[string]string{"surname": "NEW"}})
		if err != nil {
			t.Fatal(err)
		}
		evs, err := audit.List(db.Gorm, "person", "p1")
		if err != nil || len(evs) != 1 {
			t.Fatalf("%v %d", err, len(evs))
		}
		e := evs[0]
		if e.ActorID != "a1" || *e.BeforeJSON != `{"surname":"OLD"}` || !e.OccurredAt.Equal(now) {
			t.Fatalf("event %+v", e)
		}
	})
}

// Two transactions that each read and then write must queue, not fail with
// SQLITE_BUSY: every SQLite transaction begins IMMEDIATE.
func TestSQLiteTransactionsBeginImmediate(t *testing.T) {
	db := dbtest.SQLite(t)
	if err := db.Gorm.Exec("CREATE TABLE counter (n INTEGER NOT NULL)").Error; err != nil {
		t.Fatal(err)
	}
	db.Gorm.Exec("INSERT INTO counter (n) VALUES (0)")
	const workers = 8
	errc := make(chan error, workers)
	for i := 0; i < workers; i++ {
		go func() {
			errc <- db.Gorm.Transaction(func(tx *gorm.DB) error {
				var n int
				if err := tx.Raw("SELECT n FROM counter").Scan(&n).Error; err != nil {
					return err
				}
				time.Sleep(5 * time.Millisecond)
				return tx.Exec("UPDATE counter SET n = ?", n+1).Error
			})
		}()
	}
	for i := 0; i < workers; i++ {
		if err := <-errc; err != nil {
			t.Fatalf("transaction failed: %v", err)
		}
	}
	var n int
	db.Gorm.Raw("SELECT n FROM counter").Scan(&n)
	if n != workers {
		t.Fatalf("lost updates: n = %d, want %d", n, workers)
	}
}

// Read-then-write transactions that take the same LockTx must not lose
// updates on either dialect: PostgreSQL's READ COMMITTED would let two of
// them read the same value without the advisory lock.
func TestLockTxSerialisesReadModifyWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := db.Gorm.Exec("CREATE TABLE counter (n INTEGER NOT NULL)").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm.Exec("INSERT INTO counter (n) VALUES (0)").Error; err != nil {
			t.Fatal(err)
		}
		const workers = 8
		errc := make(chan error, workers)
		for range workers {
			go func() {
				errc <- db.Gorm.Transaction(func(tx *gorm.DB) error {
					if err := db.LockTx(tx, "counter"); err != nil {
						return err
					}
					var n int
					if err := tx.Raw("SELECT n FROM counter").Scan(&n).Error; err != nil {
						return err
					}
					time.Sleep(5 * time.Millisecond)
					return tx.Exec("UPDATE counter SET n = ?", n+1).Error
				})
			}()
		}
		for range workers {
			if err := <-errc; err != nil {
				t.Fatalf("transaction failed: %v", err)
			}
		}
		var n int
		db.Gorm.Raw("SELECT n FROM counter").Scan(&n)
		if n != workers {
			t.Fatalf("lost updates: n = %d, want %d", n, workers)
		}
	})
}

// TestRowLockOnlyOnPostgres: the locking clause reaches PostgreSQL's SQL
// and is left out on SQLite, whose write transactions run alone.
func TestRowLockOnlyOnPostgres(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		sql := db.Gorm.ToSQL(func(tx *gorm.DB) *gorm.DB {
			var n struct{ ID string }
			return storage.RowLock(tx, "KEY SHARE").Table("audit_events").Select("id").Where("id = ?", 1).Take(&n)
		})
		if has := strings.Contains(sql, "FOR KEY SHARE"); has != (db.Dialect == storage.Postgres) {
			t.Fatalf("%s: %s", db.Dialect, sql)
		}
	})
}
