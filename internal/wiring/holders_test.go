package wiring

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestHoldersAdapterReportsLiveDocumentStates asks for several persons'
// documents in one call and checks each answer against what the registry
// did to them: a superseded passport, a card reported lost, an unknown
// person, and the same person asked about twice.
func TestHoldersAdapterReportsLiveDocumentStates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx, ch := context.Background(), audit.System
		birth := calendar.Date{Year: 1981, Month: 8, Day: 3}
		person := func(surname, passport string, seq int) (registry.Person, registry.FPRCard) {
			p, err := svc.Registry.CreatePerson(ctx, ch, registry.PersonInput{Surname: surname, GivenNames: "ANNE",
				Sex: "F", BirthDate: birth.String(), Nationality: "CAN"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Registry.AddPassport(ctx, ch, p.ID, registry.PassportInput{Number: passport,
				IssuingState: "CAN", IssueDate: "2021-01-01", ExpiryDate: "2031-01-01"}); err != nil {
				t.Fatal(err)
			}
			c, err := svc.Registry.AddFPRCard(ctx, ch, p.ID, registry.FPRCardInput{
				Number: docnum.MakeFPR2023("11", "CAN", birth, seq), IssueDate: "2024-01-15", ExpiryDate: "2034-01-14"})
			if err != nil {
				t.Fatal(err)
			}
			return p, c
		}
		anne, anneCard := person("TREMBLAY", "AB123456", 1)
		if _, err := svc.Registry.AddPassport(ctx, ch, anne.ID, registry.PassportInput{Number: "AB654321",
			IssuingState: "CAN", IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}); err != nil {
			t.Fatal(err)
		}
		marie, marieCard := person("GAGNON", "CD123456", 2)
		if _, err := svc.Registry.MarkFPRCard(ctx, ch, marieCard.ID, registry.StatusLost); err != nil {
			t.Fatal(err)
		}
		refs := []attestations.DocRef{
			{PersonID: anne.ID, PassportNumber: "AB123456", CardNumber: anneCard.Number},
			{PersonID: marie.ID, PassportNumber: "CD123456", CardNumber: marieCard.Number},
			{PersonID: "nobody", PassportNumber: "AB123456", CardNumber: anneCard.Number},
			{PersonID: anne.ID, PassportNumber: "AB654321", CardNumber: "911124198108030024"},
		}
		got, err := Holders{Reg: svc.Registry}.DocumentStates(ctx, refs)
		if err != nil {
			t.Fatal(err)
		}
		want := []attestations.DocumentState{
			{PassportFound: true, PassportStatus: attestations.DocValid, PassportCurrent: false, // superseded
				CardFound: true, CardStatus: attestations.DocValid, CardCurrent: true},
			{PassportFound: true, PassportStatus: attestations.DocValid, PassportCurrent: true,
				CardFound: true, CardStatus: attestations.DocLost, CardCurrent: true},
			{}, // another person's numbers are not found under "nobody"
			{PassportFound: true, PassportStatus: attestations.DocValid, PassportCurrent: true}, // card number not hers
		}
		if len(got) != len(want) {
			t.Fatalf("%d answers for %d refs", len(got), len(refs))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("ref %d: got %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

// TestHoldersNamesThePreviousCardPastRenewals: a 2017 card replaced by a
// 2023 card stays the previous card a bank is told of after the 2023 card
// is renewed, since the renewal keeps the number.
func TestHoldersNamesThePreviousCardPastRenewals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		svc, _ := build(t, db)
		ctx, ch := context.Background(), audit.System
		birth := calendar.Date{Year: 1978, Month: 7, Day: 22}
		p, err := svc.Registry.CreatePerson(ctx, ch, registry.PersonInput{Surname: "TANAKA", GivenNames: "HARUTO",
			Sex: "M", BirthDate: birth.String(), Nationality: "JPN"})
		if err != nil {
			t.Fatal(err)
		}
		old, err := svc.Registry.AddFPRCard(ctx, ch, p.ID, registry.FPRCardInput{Number: docnum.MakeFPR2017("JPN", "3100", birth, 2),
			IssueDate: "2017-10-09", ExpiryDate: "2027-10-08"})
		if err != nil {
			t.Fatal(err)
		}
		card, err := svc.Registry.ReplaceFPRCard(ctx, ch, old.ID, registry.ReissueInput{Number: docnum.MakeFPR2023("31", "JPN", birth, 3),
			Cause: registry.CauseDamaged, IssueDate: "2024-06-01", ExpiryDate: "2034-05-31"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Registry.RenewFPRCard(ctx, ch, card.ID, registry.ReissueInput{IssueDate: "2026-11-20", ExpiryDate: "2036-11-19"}); err != nil {
			t.Fatal(err)
		}
		h, err := Holders{Reg: svc.Registry}.Current(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Card.Number != card.Number || h.Card.PreviousNumber != old.Number {
			t.Fatalf("card %+v, want the 2023 number with the 2017 one before it", h.Card)
		}
	})
}
