// Package statuslists keeps the IETF Token Status Lists of fprlink's
// e-documents in the database: it allocates each new document a slot whose
// index does not reveal issue order, stores the two status bits of every
// slot that is not valid, and serves each list as a signed token, re-signed
// only when the list changed or its token is getting old.
package statuslists

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// DefaultSize is the number of entries per list: 2^17 two-bit entries are
// 32 KiB raw and, mostly zeros, a token of a few hundred bytes. A large list
// is what gives holders herd privacy.
const DefaultSize = 1 << 17

// ListRow is one status list.
type ListRow struct {
	ID        string `gorm:"primaryKey"`
	Size      int
	NextSeq   int
	PermKey   []byte
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName binds ListRow to the migrated table.
func (ListRow) TableName() string { return "status_lists" }

// EntryRow is the status of one slot that is not valid.
type EntryRow struct {
	ListID    string `gorm:"primaryKey"`
	Idx       int    `gorm:"primaryKey"`
	Status    uint8
	UpdatedAt time.Time
}

// TableName binds EntryRow to the migrated table.
func (EntryRow) TableName() string { return "status_entries" }

// Store allocates slots and keeps status bits.
type Store struct {
	db    *storage.DB
	size  int
	clock clock.Clock
}

var _ issuer.Allocator = (*Store)(nil)

// New returns a Store whose new lists have size entries (DefaultSize when 0).
func New(db *storage.DB, clk clock.Clock, size int) (*Store, error) {
	if size == 0 {
		size = DefaultSize
	}
	if db == nil || clk == nil || size < 4 || size > 1<<22 {
		return nil, fmt.Errorf("statuslists: db, clock and 4 ≤ size ≤ 2^22 are required")
	}
	return &Store{db: db, size: size, clock: clk}, nil
}

// ErrListNotFound means no status list has the id.
var ErrListNotFound = apperr.NotFound("status_list_not_found",
	i18n.T("There is no status list with this id.", "不存在该状态列表。"))

// Allocate gives the next document a slot on the newest list with room,
// opening a new list when all are full. Allocation is serialised so two
// nodes never hand out the same sequence number; a slot given to a document
// that then fails to be stored is simply never used.
func (s *Store) Allocate(ctx context.Context) (issuer.StatusSlot, error) {
	var slot issuer.StatusSlot
	err := s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.db.LockTx(tx, "status_lists"); err != nil {
			return err
		}
		list, err := s.openList(tx)
		if err != nil {
			return err
		}
		perm, err := issuer.NewIndexPermutation(list.PermKey, list.Size)
		if err != nil {
			return err
		}
		idx, err := perm.Index(list.ID, list.NextSeq)
		if err != nil {
			return err
		}
		res := tx.Model(&ListRow{}).Where("id = ? AND next_seq = ?", list.ID, list.NextSeq).
			Updates(map[string]any{"next_seq": list.NextSeq + 1, "updated_at": s.clock.Now().UTC()})
		if res.Error != nil || res.RowsAffected != 1 {
			return fmt.Errorf("statuslists: advance %s: %v (%d rows)", list.ID, res.Error, res.RowsAffected)
		}
		slot = issuer.StatusSlot{ListID: list.ID, Index: idx}
		return nil
	})
	return slot, err
}

func (s *Store) openList(tx *gorm.DB) (ListRow, error) {
	var rows []ListRow
	if err := tx.Where("next_seq < size").Order("created_at, id").Limit(1).Find(&rows).Error; err != nil {
		return ListRow{}, fmt.Errorf("statuslists: find open list: %w", err)
	}
	if len(rows) == 1 {
		return rows[0], nil
	}
	var count int64
	if err := tx.Model(&ListRow{}).Count(&count).Error; err != nil {
		return ListRow{}, fmt.Errorf("statuslists: count: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return ListRow{}, err
	}
	now := s.clock.Now().UTC()
	// Short decimal ids keep the status URI, and so the QR code, small.
	row := ListRow{ID: strconv.FormatInt(count+1, 10), Size: s.size, PermKey: key, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return ListRow{}, fmt.Errorf("statuslists: create list: %w", err)
	}
	return row, nil
}

// Set records status v for slot inside tx, the caller's transaction (the
// one that revokes the document), and bumps the list's version so cached
// tokens are re-signed.
func Set(tx *gorm.DB, now time.Time, slot issuer.StatusSlot, v uint8) error {
	if v > edoc.StatusSuspended {
		return edoc.ErrStatusValue
	}
	row := EntryRow{ListID: slot.ListID, Idx: slot.Index, Status: v, UpdatedAt: now.UTC()}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "list_id"}, {Name: "idx"}},
		DoUpdates: clause.AssignmentColumns([]string{"status", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("statuslists: set %s/%d: %w", slot.ListID, slot.Index, err)
	}
	res := tx.Model(&ListRow{}).Where("id = ?", slot.ListID).
		Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": now.UTC()})
	if res.Error != nil {
		return fmt.Errorf("statuslists: bump %s: %w", slot.ListID, res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrListNotFound
	}
	return nil
}

// Version returns the list's change counter.
func (s *Store) Version(ctx context.Context, listID string) (int64, error) {
	return version(s.db.Gorm.WithContext(ctx), listID)
}

func version(g *gorm.DB, listID string) (int64, error) {
	var rows []ListRow
	err := g.Select("id", "version").Where("id = ?", listID).Limit(1).Find(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("statuslists: version: %w", err)
	}
	if len(rows) == 0 {
		return 0, ErrListNotFound
	}
	return rows[0].Version, nil
}

// Load returns the list's entries and the version they belong to, read in
// one transaction so the two agree.
func (s *Store) Load(ctx context.Context, listID string) (*edoc.StatusList, int64, error) {
	return load(s.db.Gorm.WithContext(ctx), listID)
}

func load(g *gorm.DB, listID string) (*edoc.StatusList, int64, error) {
	var list *edoc.StatusList
	var version int64
	err := g.Transaction(func(tx *gorm.DB) error {
		var rows []ListRow
		if err := tx.Where("id = ?", listID).Limit(1).Find(&rows).Error; err != nil {
			return fmt.Errorf("statuslists: load: %w", err)
		}
		if len(rows) == 0 {
			return ErrListNotFound
		}
		var entries []EntryRow
		if err := tx.Where("list_id = ? AND status <> 0", listID).Find(&entries).Error; err != nil {
			return fmt.Errorf("statuslists: entries: %w", err)
		}
		list, version = edoc.NewStatusList(rows[0].Size), rows[0].Version
		for _, e := range entries {
			if err := list.Set(e.Idx, e.Status); err != nil {
				return fmt.Errorf("statuslists: entry %s/%d: %w", listID, e.Idx, err)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrListNotFound) {
		return nil, 0, err
	}
	return list, version, err
}
