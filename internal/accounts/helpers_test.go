package accounts

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var testPepper = []byte(strings.Repeat("p", MinPepperLength))

// Fictional numbers with valid check characters.
var (
	wangID  = docnum.MakeResidentID("110105", calendar.Date{Year: 1960, Month: 5, Day: 4}, 123)
	liID    = docnum.MakeResidentID("310101", calendar.Date{Year: 1975, Month: 9, Day: 1}, 456)
	minorID = docnum.MakeResidentID("110105", calendar.Date{Year: 2015, Month: 1, Day: 1}, 11)
)

const wangMobile = "+8613800138000"

func helperFixture(t *testing.T, db *storage.DB) *fixture {
	t.Helper()
	f := newFixture(t, db)
	acc, err := New(db, f.clk, f.reg, Options{Argon2: fastArgon, ResidentIDPepper: testPepper})
	if err != nil {
		t.Fatal(err)
	}
	f.acc = acc
	return f
}

func (f *fixture) recordWang(t *testing.T) Helper {
	t.Helper()
	h, err := f.acc.RecordHelper(context.Background(), officer, HelperRecord{Name: "王 测试", ResidentID: wangID, Mobile: wangMobile})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHelperRecordedRequestsCodeAndRegisters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := helperFixture(t, db)
		ctx := context.Background()
		h := f.recordWang(t)
		if h.Name != "王测试" || h.ResidentIDLast4 != wangID[14:] {
			t.Fatalf("helper = %+v", h)
		}
		var stored helperRow
		if err := db.Gorm.Where("id = ?", h.ID).Take(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored.ResidentIDHash, wangID) || len(stored.ResidentIDHash) != 64 {
			t.Fatalf("the number is stored in the clear: %q", stored.ResidentIDHash)
		}
		if _, err := f.acc.RequestHelperCode(ctx, HelperCodeRequest{ResidentID: strings.ToLower(wangID), Name: "王测试"}, "198.51.100.1"); err != nil {
			t.Fatal(err)
		}
		codes := sent(t, db, wangMobile)
		if len(codes) != 1 {
			t.Fatalf("codes sent = %v", codes)
		}
		acc, err := f.acc.Register(ctx, Registration{Code: codes[0], Username: "wanghelper", Password: alicePassword, ResidentID: wangID}, "198.51.100.2")
		if err != nil {
			t.Fatal(err)
		}
		if acc.Role != RoleHelper || acc.PersonID != "" || acc.HelperID != h.ID {
			t.Fatalf("account = %+v", acc)
		}
		found, err := f.acc.FindHelper(ctx, wangID)
		if err != nil || found.AccountID != acc.ID {
			t.Fatalf("found = %+v, %v", found, err)
		}
		if _, err := f.acc.Login(ctx, "wanghelper", alicePassword, "198.51.100.3"); err != nil {
			t.Fatal(err)
		}
		_, err = f.acc.IssueHelperCounterCode(ctx, officer, h.ID)
		wantCode(t, err, "helper_has_account")
		// A helper has no person: the notice of a password change goes to
		// the account.
		if err := f.acc.ChangePassword(ctx, audit.Actor{ID: acc.ID, Role: RoleHelper}, acc.ID, alicePassword,
			"another long password", "", "198.51.100.4"); err != nil {
			t.Fatal(err)
		}
		notes, err := notifications.NewStore(db).ListFor(ctx, notifications.Recipient{AccountID: acc.ID}, paging.Request{Limit: 5})
		if err != nil || len(notes.Items) != 1 || notes.Items[0].Kind != "account.password_changed" {
			t.Fatalf("notices %+v, %v", notes.Items, err)
		}
	})
}

func TestHelperRecordRejections(t *testing.T) {
	bad := wangID[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", wangID[17])+1)%11])
	future := docnum.MakeResidentID("110105", calendar.Date{Year: 2030, Month: 1, Day: 1}, 1)
	for _, tc := range []struct {
		name string
		in   HelperRecord
		code string
	}{
		{"bad-check-digit", HelperRecord{Name: "王测试", ResidentID: bad, Mobile: wangMobile}, "resident_id_check"},
		{"future-birth-date", HelperRecord{Name: "王测试", ResidentID: future, Mobile: wangMobile}, "resident_id_birth_future"},
		{"minor", HelperRecord{Name: "王测试", ResidentID: minorID, Mobile: wangMobile}, "helper_minor"},
		{"short-number", HelperRecord{Name: "王测试", ResidentID: "11010519600504", Mobile: wangMobile}, "resident_id_length"},
		{"latin-name", HelperRecord{Name: "WANG CESHI", ResidentID: wangID, Mobile: wangMobile}, "invalid_helper_name"},
		{"no-contact", HelperRecord{Name: "王测试", ResidentID: wangID}, "helper_contact_required"},
		{"bad-mobile", HelperRecord{Name: "王测试", ResidentID: wangID, Mobile: "12"}, "invalid_mobile"},
		{"bad-email", HelperRecord{Name: "王测试", ResidentID: wangID, Email: "no at sign"}, "invalid_email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				f := helperFixture(t, db)
				_, err := f.acc.RecordHelper(context.Background(), officer, tc.in)
				wantCode(t, err, tc.code)
				var n int64
				db.Gorm.Model(&helperRow{}).Count(&n)
				if n != 0 {
					t.Fatal("a refused record was stored")
				}
			})
		})
	}
}

func TestHelperRecordedTwiceIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := helperFixture(t, db)
		f.recordWang(t)
		_, err := f.acc.RecordHelper(context.Background(), officer, HelperRecord{Name: "王测试", ResidentID: wangID, Email: "w@example.cn"})
		wantCode(t, err, "helper_already_recorded")
	})
}

func TestHelpersOffWithoutPepper(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		_, err := f.acc.RecordHelper(context.Background(), officer, HelperRecord{Name: "王测试", ResidentID: wangID, Mobile: wangMobile})
		wantCode(t, err, "helpers_unavailable")
	})
}

func TestHelperCodeRequestSameAnswerWhateverMatched(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := helperFixture(t, db)
		ctx := context.Background()
		f.recordWang(t)
		for i, r := range []HelperCodeRequest{{ResidentID: wangID, Name: "王另名"}, {ResidentID: liID, Name: "李测试"}} {
			out, err := f.acc.RequestHelperCode(ctx, r, "198.51.100.9")
			if err != nil || out.ValidFor != f.acc.opts.EnrolCodeTTL {
				t.Fatalf("%d: %+v, %v", i, out, err)
			}
		}
		if n := messages(t, db); n != 0 {
			t.Fatalf("%d messages sent for details that matched nobody", n)
		}
	})
}

func TestHelperCodeRequestRejectsForm(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   HelperCodeRequest
		code string
	}{
		{"bad-check-digit", HelperCodeRequest{ResidentID: wangID[:17] + "Y", Name: "王测试"}, "resident_id_format"},
		{"minor", HelperCodeRequest{ResidentID: minorID, Name: "王测试"}, "helper_minor"},
		{"empty-name", HelperCodeRequest{ResidentID: wangID, Name: " "}, "invalid_helper_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				f := helperFixture(t, db)
				_, err := f.acc.RequestHelperCode(context.Background(), tc.in, "198.51.100.4")
				wantCode(t, err, tc.code)
			})
		})
	}
}

func TestHelperRegistrationRejections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := helperFixture(t, db)
		ctx := context.Background()
		wang := f.recordWang(t)
		li, err := f.acc.RecordHelper(ctx, officer, HelperRecord{Name: "李测试", ResidentID: liID, Email: "li@example.cn"})
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.acc.IssueHelperCounterCode(ctx, officer, wang.ID)
		if err != nil || c.HelperID != wang.ID {
			t.Fatalf("%+v, %v", c, err)
		}
		reg := func(code, user, rid string) error {
			f.tries++
			_, err := f.acc.Register(ctx, Registration{Code: code, Username: user, Password: alicePassword, ResidentID: rid}, "203.0.113.1")
			return err
		}
		t.Run("wrong-code", func(t *testing.T) { wantCode(t, reg(wrongAt(c.Code), "wang", wangID), "enrolment_code_invalid") })
		t.Run("code-for-another-helper", func(t *testing.T) { wantCode(t, reg(c.Code, "wang", liID), "enrolment_code_invalid") })
		t.Run("code-without-resident-id", func(t *testing.T) { wantCode(t, reg(c.Code, "wang", ""), "enrolment_code_invalid") })
		if _, err := f.acc.CreateResident(ctx, officer, "taken", alicePassword, f.alice); err != nil {
			t.Fatal(err)
		}
		t.Run("username-taken-after-proof", func(t *testing.T) { wantCode(t, reg(c.Code, "taken", wangID), "username_taken") })
		t.Run("other-helpers-code-with-this-id", func(t *testing.T) {
			lc, err := f.acc.IssueHelperCounterCode(ctx, officer, li.ID)
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, reg(lc.Code, "lihelper", wangID), "enrolment_code_invalid")
		})
		// After the refusals the code still opens wang's account with his number.
		acc, err := f.acc.Register(ctx, Registration{Code: c.Code, Username: "wang", Password: alicePassword, ResidentID: wangID}, "203.0.113.3")
		if err != nil || acc.Role != RoleHelper {
			t.Fatalf("%+v, %v", acc, err)
		}
	})
}

func TestResidentCodeRefusesAResidentID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		f := helperFixture(t, db)
		r := f.aliceRegistration(t)
		r.ResidentID = wangID
		_, err := f.acc.Register(context.Background(), r, "203.0.113.7")
		wantCode(t, err, "resident_id_not_expected")
	})
}
