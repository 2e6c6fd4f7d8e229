package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestMatchIdentity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, _, _ := seedPerson(t, s)
		birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
		good := Proof{PassportNumber: "k1234567", Nationality: "sau", BirthDate: birth, FPRCardNumber: "932682198501010017"}
		id, err := s.MatchIdentity(ctx, good)
		if err != nil || id != p.ID {
			t.Fatalf("match: %q %v", id, err)
		}
		// A person without a card proves identity without one.
		q, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "NOCARD", Sex: "M", BirthDate: "1970-05-05", Nationality: "GBR"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPassport(ctx, officer, q.ID, PassportInput{Number: "123456789", IssuingState: "GBR", IssueDate: "2020-01-01", ExpiryDate: "2030-01-01"}); err != nil {
			t.Fatal(err)
		}
		if id, err := s.MatchIdentity(ctx, Proof{PassportNumber: "123456789", Nationality: "GBR", BirthDate: calendar.Date{Year: 1970, Month: 5, Day: 5}}); err != nil || id != q.ID {
			t.Fatalf("no-card match: %q %v", id, err)
		}
		mismatches := []struct {
			name string
			edit func(*Proof)
		}{
			{"unknown passport", func(p *Proof) { p.PassportNumber = "K0000000" }},
			{"wrong nationality", func(p *Proof) { p.Nationality = "CAN" }},
			{"wrong birth date", func(p *Proof) { p.BirthDate = birth.AddDays(1) }},
			{"card number missing", func(p *Proof) { p.FPRCardNumber = "" }},
			{"wrong card number", func(p *Proof) { p.FPRCardNumber = "911124198108030024" }},
			{"card given but none held", func(p *Proof) {
				*p = Proof{PassportNumber: "123456789", Nationality: "GBR", BirthDate: calendar.Date{Year: 1970, Month: 5, Day: 5}, FPRCardNumber: "932682198501010017"}
			}},
		}
		for _, m := range mismatches {
			t.Run(m.name, func(t *testing.T) {
				pr := good
				m.edit(&pr)
				_, err := s.MatchIdentity(ctx, pr)
				if err != ErrNoMatch {
					t.Fatalf("got %v, want the uniform ErrNoMatch", err)
				}
			})
		}
		t.Run("replaced passport", func(t *testing.T) {
			if _, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "K2222222", IssuingState: "SAU", IssueDate: "2026-01-01", ExpiryDate: "2036-01-01"}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.MatchIdentity(ctx, good); err != ErrNoMatch {
				t.Fatalf("old passport matched: %v", err)
			}
			good.PassportNumber = "K2222222"
			if id, err := s.MatchIdentity(ctx, good); err != nil || id != p.ID {
				t.Fatalf("new passport: %v", err)
			}
		})
		t.Run("lost passport", func(t *testing.T) {
			cur, _ := s.CurrentPassport(ctx, p.ID)
			if _, err := s.MarkPassport(ctx, officer, cur.ID, StatusLost); err != nil {
				t.Fatal(err)
			}
			if _, err := s.MatchIdentity(ctx, good); err != ErrNoMatch {
				t.Fatalf("lost passport matched: %v", err)
			}
		})
		t.Run("expired passport", func(t *testing.T) {
			r, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "OLD", Sex: "F", BirthDate: "1960-01-01", Nationality: "FRA"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddPassport(ctx, officer, r.ID, PassportInput{Number: "05AB12345", IssuingState: "FRA", IssueDate: "2014-01-01", ExpiryDate: "2024-01-01"}); err != nil {
				t.Fatal(err)
			}
			_, err = s.MatchIdentity(ctx, Proof{PassportNumber: "05AB12345", Nationality: "FRA", BirthDate: calendar.Date{Year: 1960, Month: 1, Day: 1}})
			if err != ErrNoMatch {
				t.Fatalf("expired passport matched: %v", err)
			}
		})
	})
}
