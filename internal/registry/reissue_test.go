package registry

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var renewalDates = ReissueInput{IssueDate: "2026-02-20", ExpiryDate: "2036-02-19"}

// recorder is a Changed hook that keeps what it was told.
type recorder struct{ changes []Change }

func (r *recorder) hook(_ storage.Tx, _ time.Time, _ audit.Actor, changes []Change) error {
	r.changes = append(r.changes, changes...)
	return nil
}

func newRecordingService(db *storage.DB) (*Service, *recorder) {
	rec := &recorder{}
	return New(db, clock.NewFake(testNow), Hooks{Changed: []ChangeHook{rec.hook}}), rec
}

// TestRenewalKeepsTheNumber: a renewal of a 2023 card is a new issue of
// the same number with new dates; the previous issue is kept, replaced,
// and linked; the history lists both, and the hooks learn that the card's
// earlier issue was renewed.
func TestRenewalKeepsTheNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s, rec := newRecordingService(db)
		ctx := context.Background()
		p, _, first := seedPerson(t, s)
		rec.changes = nil
		renewed, err := s.RenewFPRCard(ctx, officer, first.ID, renewalDates)
		if err != nil {
			t.Fatal(err)
		}
		if renewed.Number != first.Number || renewed.IssueNo != 2 || renewed.IssueReason != IssueRenewal ||
			renewed.ReplacesID != first.ID || renewed.IssueDate.String() != "2026-02-20" || renewed.Status != StatusValid {
			t.Fatalf("renewed: %+v", renewed)
		}
		r, _ := s.Record(ctx, p.ID)
		if len(r.FPRCards) != 2 || r.FPRCards[1].ID != first.ID || r.FPRCards[1].Status != StatusReplaced ||
			r.FPRCards[1].IssueNo != 1 || r.FPRCards[1].IssueReason != IssueFirst {
			t.Fatalf("history: %+v", r.FPRCards)
		}
		cur, _ := s.CurrentFPRCard(ctx, p.ID)
		if cur.ID != renewed.ID || len(cur.Replaced) != 0 {
			t.Fatalf("current: %+v (its own number is not an earlier card)", cur)
		}
		want := []Change{{PersonID: p.ID, Reason: ChangeCardRenewed, CardNumber: first.Number}}
		if !slices.EqualFunc(rec.changes, want, changeEqual) {
			t.Fatalf("hooks told %+v", rec.changes)
		}
		again, err := s.RenewFPRCard(ctx, officer, renewed.ID, ReissueInput{Number: first.Number, IssueDate: "2026-03-01", ExpiryDate: "2036-02-29"})
		if err != nil || again.IssueNo != 3 {
			t.Fatalf("third issue: %+v %v", again, err)
		}
		if events, _ := audit.List(db.Gorm, "person", p.ID); !slices.ContainsFunc(events, func(e audit.Event) bool { return e.Action == "fpr_card.renewal" }) {
			t.Fatal("no audit row of the renewal")
		}
	})
}

func changeEqual(a, b Change) bool {
	return a.PersonID == b.PersonID && a.Reason == b.Reason && a.PassportNumber == b.PassportNumber &&
		a.CardNumber == b.CardNumber && slices.Equal(a.Fields, b.Fields)
}

// TestReplacementMarksThePreviousIssue: a card replaced as lost or stolen
// is marked so, a damaged one replaced, and a card already reported lost
// keeps its status; each new issue keeps the number.
func TestReplacementMarksThePreviousIssue(t *testing.T) {
	rows := []struct {
		name, cause, lostFirst, prevStatus, change string
	}{
		{"lost", CauseLost, "", StatusLost, ChangeCardLost},
		{"stolen", CauseStolen, "", StatusStolen, ChangeCardStolen},
		{"damaged", CauseDamaged, "", StatusReplaced, ChangeCardReplaced},
		{"reported lost before", CauseLost, StatusLost, StatusLost, ChangeCardReplaced},
		{"reported stolen before", CauseLost, StatusStolen, StatusStolen, ChangeCardReplaced},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s, rec := newRecordingService(db)
				ctx := context.Background()
				p, _, first := seedPerson(t, s)
				if r.lostFirst != "" {
					if _, err := s.MarkFPRCard(ctx, officer, first.ID, r.lostFirst); err != nil {
						t.Fatal(err)
					}
				}
				rec.changes = nil
				in := renewalDates
				in.Cause = r.cause
				card, err := s.ReplaceFPRCard(ctx, officer, first.ID, in)
				if err != nil {
					t.Fatal(err)
				}
				if card.Number != first.Number || card.IssueNo != 2 || card.IssueReason != IssueReplacement || card.ReplacesID != first.ID {
					t.Fatalf("replacement: %+v", card)
				}
				got, _ := s.Record(ctx, p.ID)
				if got.FPRCards[1].Status != r.prevStatus {
					t.Fatalf("previous issue is %s, want %s", got.FPRCards[1].Status, r.prevStatus)
				}
				want := []Change{{PersonID: p.ID, Reason: r.change, CardNumber: first.Number}}
				if !slices.EqualFunc(rec.changes, want, changeEqual) {
					t.Fatalf("hooks told %+v", rec.changes)
				}
			})
		})
	}
}

// TestA2017CardIsSucceededByA2023Card: a 2017 card is renewed or replaced
// by a 2023 card with a number of its own, which stays linked to it.
func TestA2017CardIsSucceededByA2023Card(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "NURLANOVA", GivenNames: "AIGERIM", Sex: "F",
			BirthDate: "1990-12-31", Nationality: "KAZ"})
		if err != nil {
			t.Fatal(err)
		}
		old, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: "KAZ110090123105", IssueDate: "2018-01-01", ExpiryDate: "2028-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		number := docnum.MakeFPR2023("11", "KAZ", calendar.Date{Year: 1990, Month: 12, Day: 31}, 4)
		card, err := s.ReplaceFPRCard(ctx, officer, old.ID, ReissueInput{Number: number, Cause: CauseDamaged,
			IssueDate: "2026-02-20", ExpiryDate: "2036-02-19"})
		if err != nil {
			t.Fatal(err)
		}
		if card.Number != number || card.Version != 2023 || card.IssueNo != 1 || card.ReplacesID != old.ID {
			t.Fatalf("2023 card: %+v", card)
		}
		cur, _ := s.CurrentFPRCard(ctx, p.ID)
		if !slices.Equal(cur.Replaced, []string{old.Number}) {
			t.Fatalf("the 2023 card does not name the 2017 one: %+v", cur)
		}
		renewed, err := s.RenewFPRCard(ctx, officer, card.ID, ReissueInput{IssueDate: "2026-03-01", ExpiryDate: "2036-02-29"})
		if err != nil {
			t.Fatal(err)
		}
		cur, _ = s.CurrentFPRCard(ctx, p.ID)
		if cur.ID != renewed.ID || !slices.Equal(cur.Replaced, []string{old.Number}) {
			t.Fatalf("after renewal the 2017 card is still the earlier card: %+v", cur)
		}
	})
}

// TestReissueRejects: every way a renewal or replacement is refused, with
// nothing written.
func TestReissueRejects(t *testing.T) {
	birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
	rows := []struct {
		name, code, field string
		renew             bool
		setup             func(t *testing.T, s *Service, first FPRCard) string // the card id to reissue
		in                ReissueInput
	}{
		{name: "unknown card", code: "fpr_card_not_found", renew: true,
			setup: func(*testing.T, *Service, FPRCard) string { return "nope" }, in: renewalDates},
		{name: "superseded issue", code: "fpr_card_not_current", renew: true,
			setup: func(t *testing.T, s *Service, first FPRCard) string {
				if _, err := s.RenewFPRCard(context.Background(), officer, first.ID, renewalDates); err != nil {
					t.Fatal(err)
				}
				return first.ID
			}, in: ReissueInput{IssueDate: "2026-03-01", ExpiryDate: "2036-02-29"}},
		{name: "cancelled card", code: "fpr_card_cancelled", renew: false, setup: markFirst(StatusCancelled),
			in: ReissueInput{IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate, Cause: CauseLost}},
		{name: "renewal of a lost card", code: "fpr_card_reported_missing", renew: true, setup: markFirst(StatusLost), in: renewalDates},
		{name: "lost card replaced as damaged", code: "fpr_card_reported_missing", setup: markFirst(StatusStolen),
			in: ReissueInput{IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate, Cause: CauseDamaged}},
		{name: "replacement without cause", code: "invalid_cause", field: "cause", setup: current, in: renewalDates},
		{name: "replacement with another cause", code: "invalid_cause", field: "cause", setup: current,
			in: ReissueInput{IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate, Cause: "expired"}},
		{name: "2023 card given another number", code: "fpr_number_for_life", field: "number", renew: true, setup: current,
			in: ReissueInput{Number: docnum.MakeFPR2023("32", "SAU", birth, 2), IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate}},
		{name: "issue before the previous one", code: "fpr_issue_before_previous", field: "issue_date", renew: true, setup: current,
			in: ReissueInput{IssueDate: "2024-01-09", ExpiryDate: "2034-01-08"}},
		{name: "term not by the rule", code: "fpr_card_term", field: "expiry_date", renew: true, setup: current,
			in: ReissueInput{IssueDate: renewalDates.IssueDate, ExpiryDate: "2046-02-19"}},
		{name: "issue in the future", code: "invalid_date", field: "issue_date", renew: true, setup: current,
			in: ReissueInput{IssueDate: "2026-03-02", ExpiryDate: "2036-03-01"}},
		{name: "number no longer agrees with the person", code: "fpr_birth_mismatch", field: "number", setup: func(t *testing.T, s *Service, first FPRCard) string {
			markFirst(StatusLost)(t, s, first)
			birth := "1985-01-02"
			if _, err := s.UpdatePerson(context.Background(), officer, first.PersonID, PersonPatch{BirthDate: &birth}); err != nil {
				t.Fatal(err)
			}
			return first.ID
		}, in: ReissueInput{IssueDate: renewalDates.IssueDate, ExpiryDate: renewalDates.ExpiryDate, Cause: CauseLost}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s := newService(db)
				_, _, first := seedPerson(t, s)
				id := r.setup(t, s, first)
				before := tableCounts(t, db)
				var err error
				if r.renew {
					_, err = s.RenewFPRCard(context.Background(), officer, id, r.in)
				} else {
					_, err = s.ReplaceFPRCard(context.Background(), officer, id, r.in)
				}
				wantCode(t, err, r.code)
				if r.field != "" {
					wantField(t, err, r.field)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
			})
		})
	}
}

func current(_ *testing.T, _ *Service, first FPRCard) string { return first.ID }

func markFirst(status string) func(*testing.T, *Service, FPRCard) string {
	return func(t *testing.T, s *Service, first FPRCard) string {
		if _, err := s.MarkFPRCard(context.Background(), officer, first.ID, status); err != nil {
			t.Fatal(err)
		}
		return first.ID
	}
}

// TestReissueOf2017CardRejects: a 2017 card's successor needs a 2023
// number that is not on record.
func TestReissueOf2017CardRejects(t *testing.T) {
	kaz := calendar.Date{Year: 1990, Month: 12, Day: 31}
	rows := []struct{ name, number, code string }{
		{"no number", "", "required"},
		{"a 2017 number", docnum.MakeFPR2017("KAZ", "1100", kaz, 7), "fpr_2023_required"},
		{"another person's number", "", "fpr_card_elsewhere"},
		{"number of another nationality", docnum.MakeFPR2023("11", "SAU", kaz, 5), "fpr_nationality_mismatch"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s := newService(db)
				ctx := context.Background()
				p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "NURLANOVA", GivenNames: "AIGERIM", Sex: "F",
					BirthDate: kaz.String(), Nationality: "KAZ"})
				if err != nil {
					t.Fatal(err)
				}
				old, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: "KAZ110090123105", IssueDate: "2018-01-01", ExpiryDate: "2028-01-01"})
				if err != nil {
					t.Fatal(err)
				}
				number := r.number
				if r.code == "fpr_card_elsewhere" {
					twin, _ := s.CreatePerson(ctx, officer, PersonInput{Surname: "NURLANOV", Sex: "M", BirthDate: kaz.String(), Nationality: "KAZ"})
					number = docnum.MakeFPR2023("11", "KAZ", kaz, 6)
					if _, err := s.AddFPRCard(ctx, officer, twin.ID, FPRCardInput{Number: number, IssueDate: "2025-01-01", ExpiryDate: "2035-01-01"}); err != nil {
						t.Fatal(err)
					}
				}
				before := count(t, db, "fpr_cards")
				_, err = s.RenewFPRCard(ctx, officer, old.ID, ReissueInput{Number: number, IssueDate: "2026-02-20", ExpiryDate: "2036-02-19"})
				wantCode(t, err, r.code)
				if count(t, db, "fpr_cards") != before {
					t.Fatal("a card was stored")
				}
			})
		})
	}
}

// TestHookFailureRollsBack: when a hook fails, the registry change it
// follows is undone with its audit row, whatever the change.
func TestHookFailureRollsBack(t *testing.T) {
	boom := errors.New("hook failed")
	rows := []struct {
		name   string
		change func(s *Service, p Person, pass Passport, card FPRCard) error
	}{
		{"mark passport", func(s *Service, _ Person, pass Passport, _ FPRCard) error {
			_, err := s.MarkPassport(context.Background(), officer, pass.ID, StatusLost)
			return err
		}},
		{"mark card", func(s *Service, _ Person, _ Passport, card FPRCard) error {
			_, err := s.MarkFPRCard(context.Background(), officer, card.ID, StatusStolen)
			return err
		}},
		{"new passport", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			_, err := s.AddPassport(context.Background(), officer, p.ID, PassportInput{Number: "K7654321", IssuingState: "SAU",
				IssueDate: "2026-01-05", ExpiryDate: "2036-01-04"})
			return err
		}},
		{"renewal", func(s *Service, _ Person, _ Passport, card FPRCard) error {
			_, err := s.RenewFPRCard(context.Background(), officer, card.ID, renewalDates)
			return err
		}},
		{"name correction", func(s *Service, p Person, _ Passport, _ FPRCard) error {
			name := "AL HARBY"
			_, err := s.UpdatePerson(context.Background(), officer, p.ID, PersonPatch{Surname: &name})
			return err
		}},
		{"import", func(s *Service, _ Person, _ Passport, card FPRCard) error {
			l := ImportLine{Surname: "AL HARBY", GivenNames: "FAISAL", Sex: "M", BirthDate: "1985-01-01", Nationality: "SAU",
				Passport: &ImportPassport{Number: "K1234567", IssuingState: "SAU", IssueDate: "2021-05-01", ExpiryDate: "2031-04-30"}}
			_, err := s.Import(context.Background(), officer, ndjson(t, l))
			return err
		}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				p, pass, card := seedPerson(t, newService(db))
				failing := New(db, clock.NewFake(testNow), Hooks{Changed: []ChangeHook{
					func(storage.Tx, time.Time, audit.Actor, []Change) error { return boom }}})
				before := tableCounts(t, db)
				recBefore, _ := failing.Record(context.Background(), p.ID)
				if err := r.change(failing, p, pass, card); !errors.Is(err, boom) {
					t.Fatalf("error = %v, want the hook's", err)
				}
				if got := tableCounts(t, db); got != before {
					t.Fatalf("rows changed: %v → %v", before, got)
				}
				if got, _ := failing.Record(context.Background(), p.ID); !sameRecord(got, recBefore) {
					t.Fatalf("record changed: %+v → %+v", recBefore, got)
				}
			})
		})
	}
}

func sameRecord(a, b Record) bool {
	return a.Person == b.Person &&
		slices.EqualFunc(a.Passports, b.Passports, func(x, y Passport) bool { return x.ID == y.ID && x.Status == y.Status }) &&
		slices.EqualFunc(a.FPRCards, b.FPRCards, func(x, y FPRCard) bool { return x.ID == y.ID && x.Status == y.Status })
}

// TestReissueKeepsThePrintedName: a new issue keeps the name printed on
// the previous one unless the officer gives the new card's.
func TestReissueKeepsThePrintedName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "MUELLER", GivenNames: "JUERGEN", Sex: "M",
			BirthDate: "1985-01-01", Nationality: "DEU"})
		if err != nil {
			t.Fatal(err)
		}
		birth := calendar.Date{Year: 1985, Month: 1, Day: 1}
		first, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: docnum.MakeFPR2023("11", "DEU", birth, 1),
			IssueDate: "2024-01-10", ExpiryDate: "2034-01-09", PrintedName: "MÜLLER JÜRGEN"})
		if err != nil {
			t.Fatal(err)
		}
		renewed, err := s.RenewFPRCard(ctx, officer, first.ID, renewalDates)
		if err != nil || renewed.PrintedName != "MÜLLER JÜRGEN" {
			t.Fatalf("renewal: %+v %v", renewed, err)
		}
		in := ReissueInput{IssueDate: "2026-03-01", ExpiryDate: "2036-02-29", Cause: CauseDamaged, PrintedName: "JÜRGEN MÜLLER"}
		replaced, err := s.ReplaceFPRCard(ctx, officer, renewed.ID, in)
		if err != nil || replaced.PrintedName != "JÜRGEN MÜLLER" {
			t.Fatalf("replacement: %+v %v", replaced, err)
		}
	})
}
