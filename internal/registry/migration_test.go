package registry

import (
	"context"
	"slices"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/migrations"
)

// cardIssuesMigration is the version that made each fpr_cards row one
// issue of a card.
const cardIssuesMigration = 1000

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

// TestCardsOnRecordSurviveTheIssuesMigration: cards written before cards
// had issues (a 2017 card replaced by a 2023 one, with their link and the
// name printed on the card, a column added before) read afterwards as
// first issues with their history and every column, and the 2023 card can
// be renewed under its number. The migration also comes down again while no
// number has a second issue.
func TestCardsOnRecordSurviveTheIssuesMigration(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		m := migrator(t, db)
		if _, err := m.DownTo(ctx, cardIssuesMigration-1); err != nil {
			t.Fatal(err)
		}
		stmts := []string{
			`INSERT INTO persons (id, surname, given_names, sex, birth_date, nationality, created_at, updated_at)
			 VALUES ('p1', 'TANAKA', 'HARUTO', 'M', '1978-07-22', 'JPN', ?, ?)`,
			`INSERT INTO passports (id, person_id, number, issuing_state, issue_date, expiry_date, status, created_at, updated_at)
			 VALUES ('pp1', 'p1', 'TR5529174', 'JPN', '2020-04-10', '2030-04-09', 'valid', ?, ?)`,
			`INSERT INTO fpr_cards (id, person_id, number, version, issue_date, expiry_date, status, created_at, updated_at)
			 VALUES ('c1', 'p1', ?, 2017, '2017-10-09', '2027-10-08', 'replaced', ?, ?)`,
			`INSERT INTO fpr_cards (id, person_id, number, version, issue_date, expiry_date, status, replaces_id, printed_name, created_at, updated_at)
			 VALUES ('c2', 'p1', ?, 2023, '2024-06-01', '2034-05-31', 'valid', 'c1', '田中 阳翔', ?, ?)`,
		}
		birth := calendar.Date{Year: 1978, Month: 7, Day: 22}
		card2017, card2023 := docnum.MakeFPR2017("JPN", "3100", birth, 2), docnum.MakeFPR2023("31", "JPN", birth, 3)
		for i, q := range stmts {
			args := []any{testNow, testNow}
			if i == 2 {
				args = []any{card2017, testNow, testNow}
			} else if i == 3 {
				args = []any{card2023, testNow, testNow}
			}
			if err := db.Gorm.Exec(q, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		s := newService(db)
		cur, err := s.CurrentFPRCard(ctx, "p1")
		if err != nil {
			t.Fatal(err)
		}
		if cur.ID != "c2" || cur.IssueNo != 1 || cur.IssueReason != IssueFirst || !slices.Equal(cur.Replaced, []string{card2017}) ||
			cur.PrintedName != "田中 阳翔" {
			t.Fatalf("card on record reads %+v", cur)
		}
		renewed, err := s.RenewFPRCard(ctx, officer, "c2", ReissueInput{IssueDate: "2026-02-20", ExpiryDate: "2036-02-19"})
		if err != nil || renewed.Number != cur.Number || renewed.IssueNo != 2 {
			t.Fatalf("renewal of a card on record: %+v %v", renewed, err)
		}
		if _, err := s.MarkPassport(ctx, officer, "pp1", StatusStolen); err != nil {
			t.Fatalf("a passport on record cannot be reported stolen: %v", err)
		}
	})
}
