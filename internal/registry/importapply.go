package registry

import (
	"context"
	"errors"
	"io"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Lines, Created, Updated, Unchanged int
}

// batchSize is the rows per lookup chunk and per PostgreSQL multi-row
// INSERT: 500 rows of at most 11 columns stay far under PostgreSQL's 65,535
// bind parameters.
const batchSize = 500

// insertBatch picks the rows per INSERT. The pure-Go SQLite driver matches
// every bound parameter against every argument, which is quadratic in the
// statement's parameters, so SQLite gets short statements (measured: 500
// rows took 13 s for 10,000 lines, 50 rows well under 2 s).
func (s *Service) insertBatch() int {
	if s.db.Dialect == storage.SQLite {
		return 50
	}
	return batchSize
}

// Import reads NDJSON from r and applies it in one transaction: all lines
// or none. A line whose passport (issuing state and number) is on record
// updates that person and may add a new FPR card, or a new issue of the
// current one, superseding it; any other line creates a person. What the
// changes make untrue is withdrawn in the same transaction (Hooks). Every bad line is reported by
// number. Importing the same file again finds everything on record and
// changes nothing, not even the audit trail.
func (s *Service) Import(ctx context.Context, by audit.Actor, r io.Reader) (ImportResult, error) {
	lines, bad, err := parseImport(r, s.today())
	if err != nil {
		return ImportResult{}, err
	}
	if len(bad) > 0 {
		return ImportResult{}, importError(bad)
	}
	res := ImportResult{Lines: len(lines)}
	err = s.db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		plan, err := s.planImport(tx, lines)
		if err != nil {
			return err
		}
		res.Created, res.Updated = len(plan.persons), plan.changed
		res.Unchanged = res.Lines - res.Created - res.Updated
		return s.applyImport(tx, by, plan)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Another import added the same documents meanwhile.
		return ImportResult{}, apperr.Conflict("import_conflict", i18n.T(
			"Another change added some of these documents at the same time; import the file again.",
			"其他操作同时添加了部分证件，请重新导入该文件。"))
	}
	if err != nil {
		return ImportResult{}, wrapInternal(err, "import")
	}
	return res, nil
}

// importPlan is every row an import will write.
type importPlan struct {
	persons    []personRow
	passports  []passportRow
	cards      []cardRow
	replaced   []string // card IDs to mark replaced
	updates    []personUpdate
	changes    []Change // what the hooks are told
	changed    int      // lines that changed a person already on record
	audits     []audit.Event
	now        time.Time
	lineErrors []apperr.FieldError
}

type personUpdate struct{ before, after Person }

func (s *Service) applyImport(tx *gorm.DB, by audit.Actor, p *importPlan) error {
	n := s.insertBatch()
	if err := createBatches(tx, n, p.persons, p.passports, p.cards); err != nil {
		return err
	}
	for _, id := range p.replaced {
		if err := setStatus(tx, "fpr_cards", id, StatusReplaced, p.now); err != nil {
			return err
		}
	}
	for _, u := range p.updates {
		u.after.UpdatedAt = p.now
		if err := s.savePerson(tx, by, u.before, u.after); err != nil {
			return err
		}
	}
	for i := range p.audits {
		a := &p.audits[i]
		a.ActorID, a.ActorRole, a.OnBehalfOf, a.RequestID = by.ID, by.Role, by.OnBehalfOf, by.RequestID
	}
	if len(p.audits) > 0 {
		if err := tx.CreateInBatches(p.audits, n).Error; err != nil {
			return err
		}
	}
	return s.hooks.changed(tx, p.now, by, p.changes)
}

func createBatches(tx *gorm.DB, n int, persons []personRow, passports []passportRow, cards []cardRow) error {
	if len(persons) > 0 {
		if err := tx.CreateInBatches(persons, n).Error; err != nil {
			return err
		}
	}
	if len(passports) > 0 {
		if err := tx.CreateInBatches(passports, n).Error; err != nil {
			return err
		}
	}
	if len(cards) > 0 {
		return tx.CreateInBatches(cards, n).Error
	}
	return nil
}

// importAudit builds the audit row of one imported change; the actor is
// filled in by applyImport.
func importAudit(now time.Time, action, personID string, before, after any) (audit.Event, error) {
	return audit.NewEvent(now, audit.Entry{Action: action, Entity: "person", EntityID: personID, Before: before, After: after})
}
