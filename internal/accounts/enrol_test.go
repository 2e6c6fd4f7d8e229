package accounts

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// aliceDocuments is what any copy of alice's e-document shows.
func aliceDocuments() CodeRequest {
	return CodeRequest{PassportNumber: "K1234567", Nationality: "SAU", BirthDate: "1985-01-01", FPRCardNumber: "932682198501010017"}
}

var codePattern = regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`)

// sent returns the codes sent to recipient through the outbox, oldest
// first.
func sent(t *testing.T, db *storage.DB, recipient string) []string {
	t.Helper()
	var bodies []string
	if err := db.Gorm.Table("outbox").Where("recipient = ?", recipient).Order("created_at, id").Pluck("body", &bodies).Error; err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, b := range bodies {
		if c := codePattern.FindString(b); c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}

func messages(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table("outbox").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// requestAliceCode asks for a code with alice's document data and returns
// the code her phone received.
func (f *fixture) requestAliceCode(t *testing.T) string {
	t.Helper()
	if _, err := f.acc.RequestCode(context.Background(), aliceDocuments(), "198.51.100.200"); err != nil {
		t.Fatal(err)
	}
	codes := sent(t, f.db, aliceMobile)
	if len(codes) == 0 {
		t.Fatal("no code was sent")
	}
	return codes[len(codes)-1]
}

// register tries code from an address of its own each time, so the
// per-address limit does not get in the way of tests of the code's own.
func (f *fixture) register(code, username string) (Account, error) {
	f.tries++
	return f.acc.Register(context.Background(), Registration{Code: code, Username: username, Password: alicePassword},
		fmt.Sprintf("register-%d", f.tries))
}

func TestCodeGoesToTheMobileOnRecordAndOpensTheAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		answer, err := f.acc.RequestCode(context.Background(), aliceDocuments(), "ip")
		if err != nil || answer.ValidFor != 15*time.Minute {
			t.Fatalf("answer %+v, %v", answer, err)
		}
		codes := sent(t, db, aliceMobile)
		if len(codes) != 1 {
			t.Fatalf("%d codes sent", len(codes))
		}
		var stored enrolmentCodeRow
		db.Gorm.Take(&stored)
		norm, _ := normalizeEnrolmentCode(codes[0])
		if stored.Channel != channelSMS || string(stored.CodeHash) == norm || stored.Locator != norm[:locatorLength] || !stored.matches(norm) {
			t.Fatalf("stored %+v", stored)
		}
		acc, err := f.register(codes[0], "alice")
		if err != nil || acc.PersonID != f.alice || acc.Role != RoleResident {
			t.Fatalf("register: %+v %v", acc, err)
		}
	})
}

func TestCodeGoesToTheEmailWithoutAMobile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		none, email := "", "alia@example.sa"
		if _, err := f.reg.UpdatePerson(context.Background(), officer, f.alice, registry.PersonPatch{Mobile: &none, Email: &email}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.RequestCode(context.Background(), aliceDocuments(), "ip"); err != nil {
			t.Fatal(err)
		}
		var subject string
		db.Gorm.Table("outbox").Where("recipient = ? AND channel = ?", email, "email").Pluck("subject", &subject)
		if codes := sent(t, db, email); len(codes) != 1 || subject == "" {
			t.Fatalf("codes %v, subject %q", codes, subject)
		}
	})
}

// TestDocumentDataAloneIsRefused: whoever holds a copy of alice's
// documents can ask for a code, but it goes to alice's phone; without it
// no account opens.
func TestDocumentDataAloneIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		if _, err := f.acc.RequestCode(context.Background(), aliceDocuments(), "ip"); err != nil {
			t.Fatal(err)
		}
		for _, guess := range []string{"", "K1234567", "2222-2222-2222-2222"} {
			_, err := f.register(guess, "mallory")
			if !apperr.Is(err, "enrolment_code_invalid") && !apperr.Is(err, "invalid_enrolment_code") {
				t.Fatalf("code %q: %v", guess, err)
			}
		}
		var n int64
		db.Gorm.Model(&accountRow{}).Count(&n)
		if n != 0 {
			t.Fatal("an account was opened")
		}
	})
}

// TestUnknownIdentityGivesTheSameAnswer: a code request answers the same
// whether the details match nobody, match a person who cannot be sent a
// code, or match one who is; only the last writes anything.
func TestUnknownIdentityGivesTheSameAnswer(t *testing.T) {
	rows := []struct {
		name string
		edit func(*CodeRequest)
	}{
		{"unknown passport", func(r *CodeRequest) { r.PassportNumber = "K7654321" }},
		{"wrong nationality", func(r *CodeRequest) { r.Nationality = "CAN" }},
		{"wrong birth date", func(r *CodeRequest) { r.BirthDate = "1985-01-02" }},
		{"card missing", func(r *CodeRequest) { r.FPRCardNumber = "" }},
		{"someone else's card", func(r *CodeRequest) { r.FPRCardNumber = "911124198108030024" }},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		known, err := f.acc.RequestCode(ctx, aliceDocuments(), "ip-known")
		if err != nil || messages(t, db) != 1 {
			t.Fatalf("known: %+v %v", known, err)
		}
		for i, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				req := aliceDocuments()
				r.edit(&req)
				got, err := f.acc.RequestCode(ctx, req, "ip-"+string(rune('a'+i)))
				if err != nil || got != known {
					t.Fatalf("answer %+v %v, known identity got %+v", got, err, known)
				}
			})
		}
		if messages(t, db) != 1 {
			t.Fatal("a mismatch sent a message")
		}
	})
}

// TestSilentRefusalsGiveTheSameAnswer: a person with no contact on
// record, one who has an account, and one sent a code moments ago get the
// same answer as anyone, and no code.
func TestSilentRefusalsGiveTheSameAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		want := CodeSent{ValidFor: 15 * time.Minute}
		ask := func(why string, wantMessages int64) {
			t.Helper()
			if got, err := f.acc.RequestCode(ctx, aliceDocuments(), why); err != nil || got != want {
				t.Fatalf("%s: %+v %v", why, got, err)
			}
			if n := messages(t, db); n != wantMessages {
				t.Fatalf("%s: %d messages, want %d", why, n, wantMessages)
			}
		}
		ask("first", 1)
		ask("again at once", 1)
		f.clk.Advance(time.Minute)
		ask("a minute later", 2)
		for i := range 3 {
			f.clk.Advance(time.Minute)
			ask("later "+string(rune('0'+i)), int64(3+i))
		}
		f.clk.Advance(time.Minute)
		ask("sixth in a day", 5)
		f.clk.Advance(24 * time.Hour)
		none := ""
		if _, err := f.reg.UpdatePerson(ctx, officer, f.alice, registry.PersonPatch{Mobile: &none}); err != nil {
			t.Fatal(err)
		}
		ask("no contact", 5)
		mobile := aliceMobile
		if _, err := f.reg.UpdatePerson(ctx, officer, f.alice, registry.PersonPatch{Mobile: &mobile}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.Register(ctx, f.aliceRegistration(t), "ip"); err != nil {
			t.Fatal(err)
		}
		ask("has an account", 5)
	})
}

// TestReplayedCodeIsRefused: a code opens one account; used again, it is
// refused like any invalid code.
func TestReplayedCodeIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		code := f.requestAliceCode(t)
		if _, err := f.register(code, "alice"); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"alice", "alice2"} {
			_, err := f.register(code, name)
			wantCode(t, err, "enrolment_code_invalid")
		}
	})
}

// TestExpiredCodeIsRefused: on a fixed clock a code works until its
// lifetime ends, and not a second later.
func TestExpiredCodeIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		code := f.requestAliceCode(t)
		f.clk.Advance(15 * time.Minute)
		_, err := f.register(code, "alice")
		wantCode(t, err, "enrolment_code_invalid")

		fresh := f.requestAliceCode(t)
		f.clk.Advance(15*time.Minute - time.Second)
		if _, err := f.register(fresh, "alice"); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
	})
}

// wrongAt returns code with its last symbol changed: the same locator, a
// wrong secret.
func wrongAt(code string) string {
	last := code[len(code)-1]
	swap := byte('2')
	if last == '2' {
		swap = '3'
	}
	return code[:len(code)-1] + string(swap)
}

// TestWrongCodeIsRefusedAndCounted: a wrong code is refused and counted
// against the code its first symbols name; the right one still works.
func TestWrongCodeIsRefusedAndCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		code := f.requestAliceCode(t)
		_, err := f.register(wrongAt(code), "alice")
		wantCode(t, err, "enrolment_code_invalid")
		var row enrolmentCodeRow
		db.Gorm.Take(&row)
		if row.Attempts != 1 || row.BurnedAt != nil {
			t.Fatalf("row %+v", row)
		}
		if _, err := f.register(code, "alice"); err != nil {
			t.Fatalf("the right code after a wrong one: %v", err)
		}
	})
}

// TestGuessedCodesBurnTheCode: after EnrolAttempts wrong tries the code is
// burned: even the right one is refused, and the burn is audited.
func TestGuessedCodesBurnTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		code := f.requestAliceCode(t)
		for range 5 {
			_, err := f.register(wrongAt(code), "mallory")
			wantCode(t, err, "enrolment_code_invalid")
		}
		_, err := f.register(code, "alice")
		wantCode(t, err, "enrolment_code_invalid")
		events, _ := audit.List(db.Gorm, "person", f.alice)
		if last := events[len(events)-1]; last.Action != "enrolment.code_burn" {
			t.Fatalf("last audit %s", last.Action)
		}
	})
}

// TestNewerCodeReplacesTheOlder: only the newest code of a person works.
func TestNewerCodeReplacesTheOlder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		first := f.requestAliceCode(t)
		f.clk.Advance(time.Minute)
		second := f.requestAliceCode(t)
		_, err := f.register(first, "alice")
		wantCode(t, err, "enrolment_code_invalid")
		if _, err := f.register(second, "alice"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestMinorCannotEnrol: a person under 18 by the registry's birth date and
// the clock is sent no code, cannot be given one at a counter, and a code
// issued before the registry's birth date was corrected does not work.
func TestMinorCannotEnrol(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// testNow is 1 March 2026 in Shanghai: 18 only from tomorrow.
		child, err := f.reg.CreatePerson(ctx, officer, registry.PersonInput{Surname: "AL HARBI", GivenNames: "SARA", Sex: "F",
			BirthDate: "2008-03-02", Nationality: "SAU", Mobile: "+966507654321"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.reg.AddPassport(ctx, officer, child.ID, registry.PassportInput{Number: "K7654321", IssuingState: "SAU",
			IssueDate: "2024-05-01", ExpiryDate: "2029-04-30"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.acc.RequestCode(ctx, CodeRequest{PassportNumber: "K7654321", Nationality: "SAU", BirthDate: "2008-03-02"}, "ip"); err != nil {
			t.Fatal(err)
		}
		if codes := sent(t, db, "+966507654321"); len(codes) != 0 {
			t.Fatal("a minor was sent a code")
		}
		_, err = f.acc.IssueCounterCode(ctx, officer, child.ID)
		wantCode(t, err, "enrolment_minor")

		// A code issued to an adult, whose birth date is then corrected.
		mistaken, err := f.reg.CreatePerson(ctx, officer, registry.PersonInput{Surname: "AL HARBI", GivenNames: "NOURA", Sex: "F",
			BirthDate: "1990-03-02", Nationality: "SAU"})
		if err != nil {
			t.Fatal(err)
		}
		counter, err := f.acc.IssueCounterCode(ctx, officer, mistaken.ID)
		if err != nil {
			t.Fatal(err)
		}
		birth := "2010-03-02"
		if _, err := f.reg.UpdatePerson(ctx, officer, mistaken.ID, registry.PersonPatch{BirthDate: &birth}); err != nil {
			t.Fatal(err)
		}
		_, err = f.register(counter.Code, "noura")
		wantCode(t, err, "enrolment_minor")
		var n int64
		db.Gorm.Model(&accountRow{}).Count(&n)
		if n != 0 {
			t.Fatal("a minor's account was opened")
		}
	})
}

func TestAdultOn(t *testing.T) {
	d := func(s string) calendar.Date {
		x, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	for _, c := range []struct {
		birth, today string
		adult        bool
	}{
		{"2008-03-02", "2026-03-01", false},
		{"2008-03-02", "2026-03-02", true},
		{"2008-02-29", "2026-02-28", false},
		{"2008-02-29", "2026-03-01", true},
		{"2008-12-31", "2026-01-01", false},
		{"1941-02-09", "2026-03-01", true},
	} {
		if got := adultOn(d(c.birth), d(c.today)); got != c.adult {
			t.Errorf("born %s, on %s: adult %v, want %v", c.birth, c.today, got, c.adult)
		}
	}
}
