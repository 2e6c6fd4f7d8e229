package issuer

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/fprlink/fprlink/keys"
)

const testIssuer = "https://fprlink.example.gov.cn"

type testClock struct{ t time.Time }

func (c *testClock) Now() time.Time { return c.t }

type fixture struct {
	issuer *Issuer
	keys   *keys.Manager
	clock  *testClock
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	clock := &testClock{t: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	km, err := keys.NewManager(keys.Config{Store: &keys.MemoryStore{}, KEK: make([]byte, 32), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := km.Generate(context.Background()); err != nil {
		t.Fatal(err)
	}
	perm, err := NewIndexPermutation([]byte("0123456789abcdef"), 1<<16)
	if err != nil {
		t.Fatal(err)
	}
	is, err := New(Config{
		Issuer: testIssuer, MaxValidity: 365 * 24 * time.Hour,
		StatusListTTL: time.Hour, StatusListLifetime: 24 * time.Hour,
		Keys: km, Allocator: NewMemoryAllocator(perm), Now: clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{issuer: is, keys: km, clock: clock}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleInput() Input {
	return Input{
		DocumentNumber: "FPRL-2025-000001", Purpose: edoc.PurposeBank,
		Passport: PassportData{
			Number: "C01X00T47", IssuingState: "FRA", Nationality: "FRA",
			Surname: "MARTIN", GivenNames: "CLAIRE ANNE", BirthDate: day(1985, 4, 12),
			Sex: "F", ExpiryDate: day(2031, 6, 30),
		},
		Card: CardData{
			Number: "911250198504120011", Version: edoc.CardVersion2023,
			IssueDate: day(2024, 1, 15), ExpiryDate: day(2034, 1, 14),
		},
	}
}

// longInput fills the 39-character MRZ name field.
func longInput() Input {
	in := sampleInput()
	in.Passport.Surname = "VANDERWESTHUIZEN OKONKWO"
	in.Passport.GivenNames = "MARIA ELENA"
	in.DocumentNumber = "FPRL-2025-0000000000000000000001"
	// The largest bank document: a Chinese name of the registry's 30
	// characters and both previous numbers.
	in.ChineseName = "玛丽亚·埃莱娜·范德韦斯特赫伊曾·奥孔克沃·克莱尔·安妮·马"
	in.Passport.PreviousNumber = "B98X76T54"
	in.Card.PreviousNumber = "FRA110504120011"
	// and a printed name of the registry's 100 characters, not ASCII
	// (not signed: it leaves the QR as it is).
	in.Card.PrintedName = "Vanderwesthuizen-Okonkwo, María Elena Claire Anne Zoë Marguerite Béatrice Françoise Hélène Solène Æ"
	return in
}
