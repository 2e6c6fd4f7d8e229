// Package refdata applies versioned reference data files — the service
// centres, the holiday calendar, the guidelines — to the database exactly
// once per version. Running it at every start is safe: a version already
// loaded is skipped, so an officer's later edit or deletion survives
// restarts, while a new version of a file is applied on the next start.
package refdata

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
)

// Load is the stored record of one applied file version.
type Load struct {
	Name     string `gorm:"primaryKey"`
	Version  int    `gorm:"primaryKey"`
	LoadedAt time.Time
}

// TableName binds Load to the migrated table.
func (Load) TableName() string { return "refdata_loads" }

// Apply runs fn in one transaction with the record that name@version is
// loaded, unless it already is. It reports whether fn ran. Two instances
// starting together may both try; the loser's transaction fails on the
// primary key and Apply reports that as already loaded.
func Apply(ctx context.Context, db *gorm.DB, clk clock.Clock, name string, version int, fn func(tx *gorm.DB, now time.Time) error) (bool, error) {
	now := clk.Now().UTC()
	var n int64
	if err := db.WithContext(ctx).Model(&Load{}).Where("name = ? AND version = ?", name, version).Count(&n).Error; err != nil {
		return false, fmt.Errorf("refdata: %s: %w", name, err)
	}
	if n > 0 {
		return false, nil
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&Load{Name: name, Version: version, LoadedAt: now}).Error; err != nil {
			return err
		}
		if err := fn(tx, now); err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: audit.System, Action: "refdata.load",
			Entity: "refdata", EntityID: fmt.Sprintf("%s@%d", name, version)})
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("refdata: load %s version %d: %w", name, version, err)
	}
	return true, nil
}
