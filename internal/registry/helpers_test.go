package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
)

// testNow is 1 March 2026, 10:00 in Shanghai.
var testNow = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

var officer = audit.Actor{ID: "officer-1", Role: "officer", RequestID: "req-test-1"}

func newService(db *storage.DB) *Service {
	return New(db, clock.NewFake(testNow), Hooks{})
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func wantField(t testing.TB, err error, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Field != field {
		t.Fatalf("error %v: want field %q", err, field)
	}
}

var nationalities = []string{"SAU", "CAN", "KAZ", "DEU", "JPN", "KOR", "USA", "GBR", "RUS", "FRA"}

// testLine is the i-th of a family of valid, distinct import lines.
func testLine(i int) ImportLine {
	nat := nationalities[i%len(nationalities)]
	birth := calendar.Date{Year: 1950, Month: 1, Day: 1}.AddDays(i)
	return ImportLine{
		Surname: "TESTER", GivenNames: fmt.Sprintf("NUMBER %s", spell(i)), Sex: []string{"F", "M"}[i%2],
		BirthDate: birth.String(), Nationality: nat,
		Passport: &ImportPassport{Number: fmt.Sprintf("E%08d", i), IssuingState: nat,
			IssueDate: "2020-01-15", ExpiryDate: "2030-01-14"},
		FPRCard: &ImportFPRCard{Number: docnum.MakeFPR2023("11", nat, birth, i%1000),
			IssueDate: "2023-12-01", ExpiryDate: "2033-11-30"},
	}
}

// spell writes n in letters, because MRZ names hold no digits.
func spell(n int) string {
	s := ""
	for {
		s = string(rune('A'+n%26)) + s
		n /= 26
		if n == 0 {
			return s
		}
	}
}

func ndjson(t testing.TB, lines ...ImportLine) *bytes.Buffer {
	var buf bytes.Buffer
	for _, l := range lines {
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return &buf
}

func count(t testing.TB, db *storage.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// seedPerson creates a SAU person born 1985-01-01 with passport and a card.
func seedPerson(t testing.TB, s *Service) (Person, Passport, FPRCard) {
	t.Helper()
	ctx := context.Background()
	p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "AL HARBI", GivenNames: "FAISAL", Sex: "M",
		BirthDate: "1985-01-01", Nationality: "SAU"})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := s.AddPassport(ctx, officer, p.ID, PassportInput{Number: "K1234567", IssuingState: "SAU",
		IssueDate: "2021-05-01", ExpiryDate: "2031-04-30"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.AddFPRCard(ctx, officer, p.ID, FPRCardInput{Number: "932682198501010017",
		IssueDate: "2024-01-10", ExpiryDate: "2034-01-09"})
	if err != nil {
		t.Fatal(err)
	}
	return p, pp, c
}
