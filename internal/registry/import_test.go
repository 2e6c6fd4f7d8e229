package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func tableCounts(t testing.TB, db *storage.DB) [4]int64 {
	return [4]int64{count(t, db, "persons"), count(t, db, "passports"), count(t, db, "fpr_cards"), count(t, db, "audit_events")}
}

func TestImportThenReimportChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		lines := []ImportLine{testLine(0), testLine(1), testLine(2)}
		lines[2].FPRCard = nil
		res, err := s.Import(ctx, officer, ndjson(t, lines...))
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Lines: 3, Created: 3}) {
			t.Fatalf("first import: %+v", res)
		}
		after := tableCounts(t, db)
		if after != [4]int64{3, 3, 2, 3} {
			t.Fatalf("rows after import: %v", after)
		}
		res, err = s.Import(ctx, officer, ndjson(t, lines...))
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Lines: 3, Unchanged: 3}) {
			t.Fatalf("re-import: %+v", res)
		}
		if got := tableCounts(t, db); got != after {
			t.Fatalf("re-import changed rows: %v → %v", after, got)
		}
	})
}

func TestImportUpdatesAndSupersedes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		l := testLine(7)
		if _, err := s.Import(ctx, officer, ndjson(t, l)); err != nil {
			t.Fatal(err)
		}
		oldCard := l.FPRCard.Number
		l.GivenNames = "CORRECTED"
		birth, _ := calendar.ParseDate(l.BirthDate)
		l.FPRCard = &ImportFPRCard{Number: docnum.MakeFPR2023("31", l.Nationality, birth, 107),
			IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}
		res, err := s.Import(ctx, officer, ndjson(t, l))
		if err != nil {
			t.Fatal(err)
		}
		if res != (ImportResult{Lines: 1, Updated: 1}) {
			t.Fatalf("result: %+v", res)
		}
		var pass passportRow
		db.Gorm.Where("number = ?", l.Passport.Number).Take(&pass)
		cur, err := s.CurrentFPRCard(ctx, pass.PersonID)
		if err != nil || cur.Number != l.FPRCard.Number || len(cur.Replaced) != 1 || cur.Replaced[0] != oldCard {
			t.Fatalf("card: %+v %v", cur, err)
		}
		p, _ := s.Person(ctx, pass.PersonID)
		if p.GivenNames != "CORRECTED" {
			t.Fatalf("person not updated: %+v", p)
		}
	})
}

func TestImportRejectsWholeFile(t *testing.T) {
	bad := func(edit func(*ImportLine)) ImportLine {
		l := testLine(1)
		edit(&l)
		return l
	}
	tests := []struct {
		name, body, field, code string
	}{
		{"malformed json", "{\"surname\":", "line 2: ", "malformed_line"},
		{"unknown field", `{"surname":"X","shoe_size":42}`, "line 2: ", "malformed_line"},
		{"two objects on a line", `{} {}`, "line 2: ", "malformed_line"},
		{"bad nationality", jsonLine(t, bad(func(l *ImportLine) { l.Nationality = "ZZZ" })), "line 2: nationality", "invalid_nationality"},
		{"no passport", jsonLine(t, bad(func(l *ImportLine) { l.Passport = nil })), "line 2: passport", "required"},
		{"bad passport date", jsonLine(t, bad(func(l *ImportLine) { l.Passport.ExpiryDate = "2019-01-01" })), "line 2: passport.expiry_date", "invalid_date"},
		{"card check character", jsonLine(t, bad(func(l *ImportLine) { l.FPRCard.Number = l.FPRCard.Number[:17] + "Z" })), "line 2: fpr_card.number", "fpr_format"},
		{"card of other birth date", jsonLine(t, bad(func(l *ImportLine) { l.BirthDate = "1950-01-03" })), "line 2: fpr_card.number", "fpr_birth_mismatch"},
		{"passport twice in file", jsonLine(t, testLine(0)), "line 2: passport.number", "duplicate_in_file"},
		{"card twice in file", jsonLine(t, bad(func(l *ImportLine) {
			l.FPRCard = testLine(0).FPRCard
			l.Nationality = testLine(0).Nationality
			l.BirthDate = testLine(0).BirthDate
			l.Passport.IssuingState = l.Nationality
		})), "line 2: fpr_card.number", "duplicate_in_file"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := tableCounts(t, db)
				body := jsonLine(t, testLine(0)) + "\n" + tt.body + "\n" + jsonLine(t, testLine(3)) + "\n"
				_, err := s.Import(context.Background(), officer, strings.NewReader(body))
				wantCode(t, err, "import_invalid")
				e, _ := apperr.As(err)
				if len(e.Fields) == 0 || e.Fields[0].Field != tt.field || e.Fields[0].Code != tt.code {
					t.Fatalf("fields: %+v", e.Fields)
				}
				if !strings.Contains(e.Message.En, "line 2") {
					t.Fatalf("message does not name the line: %q", e.Message.En)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
			})
		}
	})
}

func TestImportRejectsConflictsWithRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		if _, err := s.Import(ctx, officer, ndjson(t, testLine(0), testLine(1))); err != nil {
			t.Fatal(err)
		}
		rows := []struct {
			name        string
			line        ImportLine
			field, code string
		}{
			{"passport with other dates", func() ImportLine { l := testLine(0); l.Passport.ExpiryDate = "2031-01-01"; return l }(), "line 2: passport.number", "passport_conflict"},
			{"card of another person", func() ImportLine {
				l := testLine(10) // a new person carrying line 0's card, whose data it matches
				l.Nationality, l.BirthDate, l.Passport.IssuingState = testLine(0).Nationality, testLine(0).BirthDate, testLine(0).Nationality
				l.FPRCard = testLine(0).FPRCard
				return l
			}(), "line 2: fpr_card.number", "fpr_card_elsewhere"},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				before := tableCounts(t, db)
				_, err := s.Import(ctx, officer, ndjson(t, testLine(5), r.line))
				wantCode(t, err, "import_invalid")
				wantField(t, err, r.field)
				if e, _ := apperr.As(err); e.Fields[0].Code != r.code {
					t.Fatalf("code %s", e.Fields[0].Code)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
			})
		}
	})
}

func TestImportCapsErrorList(t *testing.T) {
	var b strings.Builder
	for i := 0; i < MaxImportErrors+20; i++ {
		b.WriteString("nonsense\n")
	}
	_, err := newService(dbtest.SQLite(t)).Import(context.Background(), officer, strings.NewReader(b.String()))
	e, _ := apperr.As(err)
	if e == nil || len(e.Fields) != MaxImportErrors {
		t.Fatalf("got %v", err)
	}
}

func jsonLine(t testing.TB, l ImportLine) string {
	return strings.TrimSpace(ndjson(t, l).String())
}

// TestImportRefusesChangeContradictingValidCard: an import line may not
// change a person in a way the edit route refuses. A birth date or
// nationality other than the one encoded in the person's valid FPR card is
// refused, naming the line, unless the line brings the card that replaces
// it; nothing of the file is written.
func TestImportRefusesChangeContradictingValidCard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		if _, err := s.Import(ctx, officer, ndjson(t, testLine(0), testLine(1))); err != nil {
			t.Fatal(err)
		}
		var pass passportRow
		db.Gorm.Where("number = ?", testLine(0).Passport.Number).Take(&pass)
		person, _ := s.Person(ctx, pass.PersonID)

		newBirth := "1949-12-31"
		_, err := s.UpdatePerson(ctx, officer, person.ID, PersonPatch{BirthDate: &newBirth})
		wantCode(t, err, "fpr_card_disagrees")

		rows := []struct {
			name, field string
			edit        func(*ImportLine)
		}{
			{"birth date", "line 2: birth_date", func(l *ImportLine) { l.BirthDate = newBirth; l.FPRCard = nil }},
			{"nationality", "line 2: nationality", func(l *ImportLine) { l.Nationality = "CAN"; l.FPRCard = nil }},
			{"older card of the person", "line 2: birth_date", func(l *ImportLine) {
				l.BirthDate = newBirth
				l.FPRCard.Number = docnum.MakeFPR2023("11", l.Nationality, calendar.Date{Year: 1949, Month: 12, Day: 31}, 0)
			}},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				if r.name == "older card of the person" {
					// The card the line carries is on record for this person,
					// but an older one: the valid card still disagrees.
					old := cardRow{ID: "00000000-0000-7000-8000-000000000001", PersonID: person.ID,
						Number:  docnum.MakeFPR2023("11", person.Nationality, calendar.Date{Year: 1949, Month: 12, Day: 31}, 0),
						Version: 2023, IssueNo: 1, IssueReason: IssueFirst, IssueDate: "2010-01-01", ExpiryDate: "2020-01-01", Status: StatusReplaced,
						CreatedAt: testNow, UpdatedAt: testNow}
					if err := db.Gorm.Create(&old).Error; err != nil {
						t.Fatal(err)
					}
				}
				before := tableCounts(t, db)
				l := testLine(0)
				r.edit(&l)
				_, err := s.Import(ctx, officer, ndjson(t, testLine(5), l))
				wantCode(t, err, "import_invalid")
				wantField(t, err, r.field)
				if e, _ := apperr.As(err); e.Fields[0].Code != "fpr_card_disagrees" || !strings.Contains(e.Message.En, "line 2") {
					t.Fatalf("problem: %+v", e)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
				if got, _ := s.Person(ctx, person.ID); got != person {
					t.Fatalf("person changed: %+v", got)
				}
			})
		}

		t.Run("with the card that replaces it", func(t *testing.T) {
			l := testLine(0)
			l.BirthDate = newBirth
			l.FPRCard = &ImportFPRCard{Number: docnum.MakeFPR2023("11", l.Nationality, calendar.Date{Year: 1949, Month: 12, Day: 31}, 7),
				IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}
			res, err := s.Import(ctx, officer, ndjson(t, l))
			if err != nil || res != (ImportResult{Lines: 1, Updated: 1}) {
				t.Fatalf("import: %+v %v", res, err)
			}
			got, _ := s.Person(ctx, person.ID)
			cur, _ := s.CurrentFPRCard(ctx, person.ID)
			if got.BirthDate.String() != newBirth || cur.Number != l.FPRCard.Number {
				t.Fatalf("person %+v, card %+v", got, cur)
			}
		})
		t.Run("once the card is no longer valid", func(t *testing.T) {
			var other passportRow
			db.Gorm.Where("number = ?", testLine(1).Passport.Number).Take(&other)
			cur, _ := s.CurrentFPRCard(ctx, other.PersonID)
			if _, err := s.MarkFPRCard(ctx, officer, cur.ID, StatusLost); err != nil {
				t.Fatal(err)
			}
			l := testLine(1)
			l.BirthDate, l.FPRCard = "1950-01-05", nil
			if res, err := s.Import(ctx, officer, ndjson(t, l)); err != nil || res.Updated != 1 {
				t.Fatalf("import: %+v %v", res, err)
			}
		})
	})
}
