package registry

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
	"github.com/fprlink/fprlink/migrations"
)

const (
	specimenMRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

func TestAddPassportSupersedes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, first, _ := seedPerson(t, s)
		second, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "k7654321", IssuingState: "sau",
			IssueDate: "2026-01-05", ExpiryDate: "2036-01-04"})
		if err != nil {
			t.Fatal(err)
		}
		if second.ReplacesID != first.ID || second.Status != StatusValid || second.Number != "K7654321" {
			t.Fatalf("second: %+v", second)
		}
		cur, _ := s.CurrentPassport(ctx, p.ID)
		if cur.ID != second.ID {
			t.Fatalf("current is %s", cur.Number)
		}
		rec, _ := s.Record(ctx, p.ID)
		if len(rec.Passports) != 2 || rec.Passports[1].Status != StatusReplaced || rec.Passports[1].Number != "K1234567" {
			t.Fatalf("history: %+v", rec.Passports)
		}
	})
}

func TestAddPassportRejects(t *testing.T) {
	good := PassportInput{Number: "K7654321", IssuingState: "SAU", IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}
	tests := []struct {
		name, person, field, code string
		edit                      func(*PassportInput)
	}{
		{"number empty", "", "number", "invalid_passport_number", func(p *PassportInput) { p.Number = "" }},
		{"number too long", "", "number", "invalid_passport_number", func(p *PassportInput) { p.Number = "K12345678X" }},
		{"number punctuation", "", "number", "invalid_passport_number", func(p *PassportInput) { p.Number = "K-123" }},
		{"state unknown", "", "issuing_state", "invalid_state", func(p *PassportInput) { p.IssuingState = "UTO" }},
		{"issue in future", "", "issue_date", "invalid_date", func(p *PassportInput) { p.IssueDate = "2026-03-02" }},
		{"expiry before issue", "", "expiry_date", "invalid_date", func(p *PassportInput) { p.ExpiryDate = "2024-12-31" }},
		{"mrz bad check", "", "mrz", "mrz_composite_check", func(p *PassportInput) { p.MRZ = specimenMRZ[:len(specimenMRZ)-1] + "1" }},
		{"mrz of someone else", "", "mrz", "mrz_mismatch", func(p *PassportInput) { p.MRZ = specimenMRZ }},
		{"duplicate", "", "", "passport_exists", func(p *PassportInput) { p.Number = "K1234567" }},
		{"unknown person", "nobody", "", "person_not_found", func(*PassportInput) {}},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, _, _ := seedPerson(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in, id := good, p.ID
				tt.edit(&in)
				if tt.person != "" {
					id = tt.person
				}
				before := count(t, db, "passports")
				_, err := s.AddPassport(context.Background(), officer, id, in)
				wantCode(t, err, tt.code)
				if tt.field != "" {
					wantField(t, err, tt.field)
				}
				if count(t, db, "passports") != before {
					t.Fatal("a passport was stored")
				}
				if cur, _ := s.CurrentPassport(context.Background(), p.ID); cur.Status != StatusValid {
					t.Fatal("the current passport was superseded")
				}
			})
		}
	})
}

func TestPassportWithMRZ(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		// Eriksson's passport expired in 2012: as a record it is kept and reads expired.
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Sex: "F",
			BirthDate: "1974-08-12", Nationality: "SWE"})
		if err != nil {
			t.Fatal(err)
		}
		mrz := "P<SWEERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36SWE7408122F1204159ZE184226B<<<<<10"
		pp, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "L898902C3", IssuingState: "SWE",
			IssueDate: "2002-04-16", ExpiryDate: "2012-04-15", MRZ: mrz})
		if err != nil {
			t.Fatal(err)
		}
		if pp.Status != StatusExpired || pp.MRZ != mrz {
			t.Fatalf("got %+v", pp)
		}
	})
}

func TestFPRCardHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "NURLANOVA", GivenNames: "AIGERIM", Sex: "F",
			BirthDate: "1990-12-31", Nationality: "KAZ"})
		if err != nil {
			t.Fatal(err)
		}
		old, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: "KAZ110090123105", IssueDate: "2018-01-01", ExpiryDate: "2028-01-01"})
		if err != nil || old.Version != 2017 {
			t.Fatalf("2017 card: %+v %v", old, err)
		}
		birth := calendar.Date{Year: 1990, Month: 12, Day: 31}
		mid, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: docnum.MakeFPR2023("11", "KAZ", birth, 1), IssueDate: "2024-01-01", ExpiryDate: "2034-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		newest, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: docnum.MakeFPR2023("11", "KAZ", birth, 2), IssueDate: "2025-06-01", ExpiryDate: "2035-06-01"})
		if err != nil {
			t.Fatal(err)
		}
		cur, err := s.CurrentFPRCard(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cur.ID != newest.ID || cur.Version != 2023 || len(cur.Replaced) != 2 ||
			cur.Replaced[0] != mid.Number || cur.Replaced[1] != old.Number {
			t.Fatalf("current: %+v", cur)
		}
		rec, _ := s.Record(ctx, p.ID)
		if rec.FPRCards[1].Status != StatusReplaced || rec.FPRCards[2].Status != StatusReplaced {
			t.Fatalf("old cards: %+v", rec.FPRCards)
		}
	})
}

func TestAddFPRCardRejects(t *testing.T) {
	tests := []struct{ name, number, code string }{
		{"changed check character", "932682198501010018", "fpr_check"},
		{"other nationality", "911124198108030024", "fpr_nationality_mismatch"},
		{"other birth date", docnum.MakeFPR2023("32", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 2}, 1), "fpr_birth_mismatch"},
		{"2017 other nationality", "KAZ110090123105", "fpr_nationality_mismatch"},
		{"wrong length", "93268219850101001", "fpr_length"},
		{"duplicate", "932682198501010017", "fpr_card_exists"},
		{"another person's number", docnum.MakeFPR2023("11", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 1}, 9), "fpr_card_elsewhere"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, _, _ := seedPerson(t, s)
		twin, err := s.CreatePerson(context.Background(), officer, PersonInput{Surname: "AL HARBI", GivenNames: "FAHAD", Sex: "M",
			BirthDate: "1985-01-01", Nationality: "SAU"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFPRCard(context.Background(), officer, twin.ID, FPRCardInput{Number: tests[len(tests)-1].number,
			IssueDate: "2024-01-10", ExpiryDate: "2034-01-09"}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count(t, db, "fpr_cards")
				_, err := s.AddFPRCard(context.Background(), officer, p.ID, FPRCardInput{Number: tt.number, IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"})
				wantCode(t, err, tt.code)
				if tt.code != "fpr_card_exists" && tt.code != "fpr_card_elsewhere" {
					wantField(t, err, "number")
				}
				if count(t, db, "fpr_cards") != before {
					t.Fatal("a card was stored")
				}
			})
		}
		t.Run("bad dates", func(t *testing.T) {
			_, err := s.AddFPRCard(context.Background(), officer, p.ID, FPRCardInput{Number: docnum.MakeFPR2023("32", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 1}, 2), IssueDate: "2025-01-01", ExpiryDate: "2024-01-01"})
			wantField(t, err, "expiry_date")
		})
	})
}

func TestMarkDocuments(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		_, pass, card := seedPerson(t, s)
		got, err := s.MarkPassport(ctx, officer, pass.ID, StatusLost)
		if err != nil || got.Status != StatusLost {
			t.Fatalf("mark passport: %+v %v", got, err)
		}
		c, err := s.MarkFPRCard(ctx, officer, card.ID, StatusCancelled)
		if err != nil || c.Status != StatusCancelled {
			t.Fatalf("mark card: %+v %v", c, err)
		}
		rejects := []struct {
			name string
			call func() error
			code string
		}{
			{"passport already lost", func() error { _, err := s.MarkPassport(ctx, officer, pass.ID, StatusLost); return err }, "document_not_active"},
			{"card already cancelled", func() error { _, err := s.MarkFPRCard(ctx, officer, card.ID, StatusLost); return err }, "document_not_active"},
			{"passport cancelled is no status", func() error { _, err := s.MarkPassport(ctx, officer, pass.ID, StatusCancelled); return err }, "invalid_status"},
			{"card replaced is not settable", func() error { _, err := s.MarkFPRCard(ctx, officer, card.ID, StatusReplaced); return err }, "invalid_status"},
			{"passport replaced is not settable", func() error { _, err := s.MarkPassport(ctx, officer, pass.ID, StatusReplaced); return err }, "invalid_status"},
			{"unknown passport", func() error { _, err := s.MarkPassport(ctx, officer, "nope", StatusLost); return err }, "passport_not_found"},
			{"unknown card", func() error { _, err := s.MarkFPRCard(ctx, officer, "nope", StatusLost); return err }, "fpr_card_not_found"},
		}
		for _, r := range rejects {
			t.Run(r.name, func(t *testing.T) { wantCode(t, r.call(), r.code) })
		}
	})
}

// storedDates reads the date columns of a table's row as stored.
func storedDates(t testing.TB, db *storage.DB, table, id string, cols ...string) []string {
	t.Helper()
	row := map[string]any{}
	if err := db.Gorm.Table(table).Select(cols).Where("id = ?", id).Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = fmt.Sprint(row[c])
	}
	return out
}

// TestDatesStoredAsChecked: a date is read without the spaces around it,
// as every other field is, and stored as the date that was checked, so a
// padded expiry date neither reads back as no date nor turns a new valid
// passport into an expired one.
func TestDatesStoredAsChecked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, first, _ := seedPerson(t, s)
		pass, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "K7654321", IssuingState: "SAU",
			IssueDate: " 2026-01-05", ExpiryDate: "2036-01-04 \n"})
		if err != nil {
			t.Fatal(err)
		}
		if pass.Status != StatusValid || pass.IssueDate.String() != "2026-01-05" || pass.ExpiryDate.String() != "2036-01-04" {
			t.Fatalf("passport: %+v", pass)
		}
		if got := storedDates(t, db, "passports", pass.ID, "issue_date", "expiry_date"); got[0] != "2026-01-05" || got[1] != "2036-01-04" {
			t.Fatalf("stored passport dates %q", got)
		}
		card, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: docnum.MakeFPR2023("32", "SAU",
			calendar.Date{Year: 1985, Month: 1, Day: 1}, 2), IssueDate: "\t2025-01-01 ", ExpiryDate: " 2035-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		if got := storedDates(t, db, "fpr_cards", card.ID, "issue_date", "expiry_date"); got[0] != "2025-01-01" || got[1] != "2035-01-01" {
			t.Fatalf("stored card dates %q", got)
		}
		rec, _ := s.Record(ctx, p.ID)
		if rec.Passports[0].Status != StatusValid || rec.Passports[1].ID != first.ID || rec.Passports[1].Status != StatusReplaced ||
			rec.FPRCards[0].ExpiryDate.String() != "2035-01-01" {
			t.Fatalf("record: %+v", rec)
		}

		birth := " 1985-01-01 "
		if _, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{BirthDate: &birth}); err != nil {
			t.Fatal(err)
		}
		other, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "DOE", Sex: "F", BirthDate: "1980-01-01 ", Nationality: "USA"})
		if err != nil {
			t.Fatal(err)
		}
		birth = "\t1980-01-02"
		if _, err := s.UpdatePerson(ctx, officer, other.ID, PersonPatch{BirthDate: &birth}); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]string{p.ID: "1985-01-01", other.ID: "1980-01-02"} {
			if got := storedDates(t, db, "persons", id, "birth_date"); got[0] != want {
				t.Fatalf("stored birth date %q, want %s", got[0], want)
			}
		}

		l := testLine(3)
		l.BirthDate, l.Passport.IssueDate, l.Passport.ExpiryDate = " "+l.BirthDate, "2020-01-15 ", " 2030-01-14"
		l.FPRCard.IssueDate, l.FPRCard.ExpiryDate = " 2023-12-01", "2033-11-30 "
		if _, err := s.Import(ctx, officer, ndjson(t, l)); err != nil {
			t.Fatal(err)
		}
		res, err := s.Import(ctx, officer, ndjson(t, testLine(3)))
		if err != nil || res != (ImportResult{Lines: 1, Unchanged: 1}) {
			t.Fatalf("re-import without spaces: %+v %v", res, err)
		}
		var imported passportRow
		db.Gorm.Where("number = ?", l.Passport.Number).Take(&imported)
		if imported.IssueDate != "2020-01-15" || imported.ExpiryDate != "2030-01-14" {
			t.Fatalf("imported passport %+v", imported)
		}
		var importedCard cardRow
		db.Gorm.Where("number = ?", l.FPRCard.Number).Take(&importedCard)
		if importedCard.IssueDate != "2023-12-01" || importedCard.ExpiryDate != "2033-11-30" {
			t.Fatalf("imported card %+v", importedCard)
		}
	})
}

// TestPaddedDatesOnRecordAreRepaired: dates stored with spaces before they
// were stored as checked are trimmed by migration 00707.
func TestPaddedDatesOnRecordAreRepaired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		_, pass, card := seedPerson(t, s)
		db.Gorm.Table("passports").Where("id = ?", pass.ID).Updates(map[string]any{"issue_date": " 2021-05-01", "expiry_date": "2031-04-30 "})
		db.Gorm.Table("fpr_cards").Where("id = ?", card.ID).Updates(map[string]any{"issue_date": "2024-01-10\u00a0", "expiry_date": "\t2034-01-09\n"})
		if got, _ := s.CurrentPassport(context.Background(), pass.PersonID); got.Status != StatusExpired {
			t.Fatalf("padded passport reads %+v", got)
		}
		fsys, err := migrations.FS(string(db.Dialect))
		if err != nil {
			t.Fatal(err)
		}
		text, err := fs.ReadFile(fsys, "00707_trim_document_dates.sql")
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(string(text), "-- +goose Down")
		var sql strings.Builder
		for _, line := range strings.Split(up, "\n") {
			if !strings.HasPrefix(line, "--") {
				sql.WriteString(line + "\n")
			}
		}
		for _, stmt := range strings.Split(sql.String(), ";") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if err := db.Gorm.Exec(stmt).Error; err != nil {
				t.Fatal(err)
			}
		}
		if got := storedDates(t, db, "passports", pass.ID, "issue_date", "expiry_date"); got[0] != "2021-05-01" || got[1] != "2031-04-30" {
			t.Fatalf("passport dates %q", got)
		}
		if got := storedDates(t, db, "fpr_cards", card.ID, "issue_date", "expiry_date"); got[0] != "2024-01-10" || got[1] != "2034-01-09" {
			t.Fatalf("card dates %q", got)
		}
		if got, _ := s.CurrentPassport(context.Background(), pass.PersonID); got.Status != StatusValid {
			t.Fatalf("repaired passport reads %+v", got)
		}
	})
}
