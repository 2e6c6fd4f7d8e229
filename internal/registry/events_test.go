package registry

import (
	"context"
	"slices"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestHooksLearnWhatStoppedBeingTrue: each registry change tells the hooks
// which fact ended, once; a change that alters nothing tells them nothing.
func TestHooksLearnWhatStoppedBeingTrue(t *testing.T) {
	rows := []struct {
		name string
		act  func(s *Service, p Person, pass Passport, card FPRCard) error
		want func(p Person, pass Passport, card FPRCard) []Change
	}{
		{"passport lost", func(s *Service, _ Person, pass Passport, _ FPRCard) error {
			_, err := s.MarkPassport(context.Background(), officer, pass.ID, StatusLost)
			return err
		}, func(p Person, pass Passport, _ FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangePassportLost, PassportNumber: pass.Number}}
		}},
		{"passport stolen", func(s *Service, _ Person, pass Passport, _ FPRCard) error {
			_, err := s.MarkPassport(context.Background(), officer, pass.ID, StatusStolen)
			return err
		}, func(p Person, pass Passport, _ FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangePassportStolen, PassportNumber: pass.Number}}
		}},
		{"new passport", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			_, err := s.AddPassport(context.Background(), officer, p.ID, PassportInput{Number: "K7654321", IssuingState: "SAU",
				IssueDate: "2026-01-05", ExpiryDate: "2036-01-04"})
			return err
		}, func(p Person, pass Passport, _ FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangePassportReplaced, PassportNumber: pass.Number}}
		}},
		{"card cancelled", func(s *Service, _ Person, _ Passport, card FPRCard) error {
			_, err := s.MarkFPRCard(context.Background(), officer, card.ID, StatusCancelled)
			return err
		}, func(p Person, _ Passport, card FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangeCardCancelled, CardNumber: card.Number}}
		}},
		{"new card number", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			_, err := s.AddFPRCard(context.Background(), officer, p.ID, FPRCardInput{Number: "932682198501010025",
				IssueDate: "2026-01-10", ExpiryDate: "2036-01-09"})
			return err
		}, func(p Person, _ Passport, card FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangeCardReplaced, CardNumber: card.Number}}
		}},
		{"names and sex corrected", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			surname, sex, zh := "ALHARBI", "F", "法伊萨尔"
			_, err := s.UpdatePerson(context.Background(), officer, p.ID, PersonPatch{Surname: &surname, Sex: &sex, ChineseName: &zh})
			return err
		}, func(p Person, _ Passport, _ FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangePersonData, Fields: []string{FieldSurname, FieldChineseName, FieldSex}}}
		}},
		{"correction to the same data", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			surname := " al harbi "
			_, err := s.UpdatePerson(context.Background(), officer, p.ID, PersonPatch{Surname: &surname})
			return err
		}, func(Person, Passport, FPRCard) []Change { return nil }},
		{"import of the same data", func(s *Service, p Person, pass Passport, card FPRCard) error {
			l := ImportLine{Surname: p.Surname, GivenNames: p.GivenNames, Sex: p.Sex, BirthDate: p.BirthDate.String(), Nationality: p.Nationality,
				Passport: &ImportPassport{Number: pass.Number, IssuingState: pass.IssuingState, IssueDate: pass.IssueDate.String(), ExpiryDate: pass.ExpiryDate.String()},
				FPRCard:  &ImportFPRCard{Number: card.Number, IssueDate: card.IssueDate.String(), ExpiryDate: card.ExpiryDate.String()}}
			_, err := s.Import(context.Background(), officer, ndjson(t, l))
			return err
		}, func(Person, Passport, FPRCard) []Change { return nil }},
		{"import of a replacement", func(s *Service, p Person, pass Passport, card FPRCard) error {
			l := ImportLine{Surname: p.Surname, GivenNames: "FAISAL ALI", Sex: p.Sex, BirthDate: p.BirthDate.String(), Nationality: p.Nationality,
				Passport: &ImportPassport{Number: pass.Number, IssuingState: pass.IssuingState, IssueDate: pass.IssueDate.String(), ExpiryDate: pass.ExpiryDate.String()},
				FPRCard: &ImportFPRCard{Number: card.Number, IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate,
					Reason: IssueReplacement}}
			_, err := s.Import(context.Background(), officer, ndjson(t, l))
			return err
		}, func(p Person, _ Passport, card FPRCard) []Change {
			return []Change{{PersonID: p.ID, Reason: ChangePersonData, Fields: []string{FieldGivenNames}},
				{PersonID: p.ID, Reason: ChangeCardReplaced, CardNumber: card.Number}}
		}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s, rec := newRecordingService(db)
				p, pass, card := seedPerson(t, s)
				rec.changes = nil
				if err := r.act(s, p, pass, card); err != nil {
					t.Fatal(err)
				}
				if want := r.want(p, pass, card); !slices.EqualFunc(rec.changes, want, changeEqual) {
					t.Fatalf("hooks told %+v, want %+v", rec.changes, want)
				}
			})
		})
	}
}
