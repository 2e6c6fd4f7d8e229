package storage_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestTxOfHandsOverTheTransaction: work done through the Tx a transaction
// was handed as is rolled back with it, and the connection pool is never
// taken for a transaction.
func TestTxOfHandsOverTheTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := db.Gorm.Exec("CREATE TABLE tx_probe (n INTEGER)").Error; err != nil {
			t.Fatal(err)
		}
		rollback := errors.New("roll back")
		err := db.Gorm.Transaction(func(g *gorm.DB) error {
			tx := storage.TxOf(g)
			if err := tx.Gorm().Exec("INSERT INTO tx_probe (n) VALUES (1)").Error; err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("transaction: %v", err)
		}
		var n int64
		if err := db.Gorm.Raw("SELECT COUNT(*) FROM tx_probe").Scan(&n).Error; err != nil || n != 0 {
			t.Fatalf("rows after rollback: %d %v", n, err)
		}
		for name, g := range map[string]*gorm.DB{"pool": db.Gorm, "session": db.Gorm.WithContext(context.Background()), "nil": nil} {
			t.Run(name, func(t *testing.T) {
				defer func() {
					if recover() == nil {
						t.Fatal("TxOf accepted a handle outside a transaction")
					}
				}()
				storage.TxOf(g)
			})
		}
	})
}
