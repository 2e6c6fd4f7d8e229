package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
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
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, _, _ := seedPerson(t, s)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count(t, db, "fpr_cards")
				_, err := s.AddFPRCard(context.Background(), officer, p.ID, FPRCardInput{Number: tt.number, IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"})
				wantCode(t, err, tt.code)
				if tt.code != "fpr_card_exists" {
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
			{"unknown passport", func() error { _, err := s.MarkPassport(ctx, officer, "nope", StatusLost); return err }, "passport_not_found"},
			{"unknown card", func() error { _, err := s.MarkFPRCard(ctx, officer, "nope", StatusLost); return err }, "fpr_card_not_found"},
		}
		for _, r := range rejects {
			t.Run(r.name, func(t *testing.T) { wantCode(t, r.call(), r.code) })
		}
	})
}
