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

// TestChineseNationalityRecordedButNoCard: a person recorded as CHN, HKG,
// MAC or TWN is kept, with a passport of that authority, so the record can
// be corrected; a card is refused naming the nationality and the law, and
// once the nationality is corrected the card is accepted. The 2023 number
// still encodes the ISO numeric code (156, 344, 446, 158).
func TestChineseNationalityRecordedButNoCard(t *testing.T) {
	birth := calendar.Date{Year: 1980, Month: 6, Day: 1}
	for _, code := range []string{"CHN", "HKG", "MAC", "TWN"} {
		t.Run("fail-card-"+code, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				s, ctx := newService(db), context.Background()
				p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "CHAN", GivenNames: "TAI MAN", Sex: "M",
					BirthDate: birth.String(), Nationality: strings.ToLower(code)})
				if err != nil || p.Nationality != code {
					t.Fatalf("CreatePerson = %+v, %v", p, err)
				}
				if _, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "K12345678", IssuingState: code,
					IssueDate: "2020-01-01", ExpiryDate: "2030-01-01"}); err != nil {
					t.Fatalf("passport: %v", err)
				}
				number := docnum.MakeFPR2023("11", code, birth, 7)
				c, _ := docnum.LookupCountry(code)
				if number[3:6] != c.Numeric {
					t.Fatalf("number %s does not hold %s's numeric code %s", number, code, c.Numeric)
				}
				in := FPRCardInput{Number: number, IssueDate: "2024-03-01", ExpiryDate: "2034-02-28"}
				_, err = s.AddFPRCard(ctx, officer, p.ID, in)
				wantCode(t, err, "fpr_card_chinese_nationality")
				wantField(t, err, "nationality")
				e, _ := apperr.As(err)
				if !strings.Contains(e.Message.En, "Article 3") || !strings.Contains(e.Message.Zh, "第三条") ||
					!strings.Contains(e.Message.Zh, c.Name.Zh) {
					t.Fatalf("the refusal does not give the reason: %+v", e.Message)
				}
				if n := count(t, db, "fpr_cards"); n != 0 {
					t.Fatalf("%d cards stored", n)
				}
				// Corrected to a foreign nationality, the person may hold a card
				// (its number then encodes the corrected nationality).
				corrected := "GBR"
				if _, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{Nationality: &corrected}); err != nil {
					t.Fatalf("correct nationality: %v", err)
				}
				in.Number = docnum.MakeFPR2023("11", "GBR", birth, 7)
				if _, err := s.AddFPRCard(ctx, officer, p.ID, in); err != nil {
					t.Fatalf("card after correction: %v", err)
				}
			})
		})
	}
}

// TestChineseNationalityNotice: the flag's text names the nationality in
// each language; any other code has none.
func TestChineseNationalityNotice(t *testing.T) {
	n := docnum.ChineseNationalityNotice("TWN")
	if !strings.Contains(n.En, "TWN") || !strings.Contains(n.Zh, "台湾") || !strings.Contains(n.Zh, "第八十九条") {
		t.Fatalf("notice %+v", n)
	}
	if n := docnum.ChineseNationalityNotice("FRA"); n.En != "" || n.Zh != "" {
		t.Fatalf("FRA has a notice: %+v", n)
	}
}
