package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestNormalizeMobile(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"  ":                 "",
		"+46 70 123 45 67":   "+46701234567",
		"+86 138-0013-8000":  "+8613800138000",
		"13800138000":        "+8613800138000",
		"138 0013 8000":      "+8613800138000",
		"+1 (415) 555-0100":  "+14155550100",
		"+81.90.1234.5678":   "+819012345678",
		"+123456789012345":   "+123456789012345",
		" +7 701 234 56 78 ": "+77012345678",
	} {
		if got, ok := NormalizeMobile(in); !ok || got != want {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNormalizeMobileRejects(t *testing.T) {
	for name, in := range map[string]string{
		"fail-no-country-code":     "0701234567",
		"fail-too-short":           "+4670123",
		"fail-too-long":            "+1234567890123456",
		"fail-country-code-zero":   "+0123456789",
		"fail-letters":             "+46 70 CALL ME",
		"fail-plus-inside":         "46+701234567",
		"fail-two-plus":            "++46701234567",
		"fail-china-landline-form": "01012345678",
		"fail-china-second-digit":  "12345678901",
		"fail-only-punctuation":    "()--",
		"fail-newline":             "+46701234567\n+46701234568",
		"fail-extension":           "+46701234567;ext=1",
	} {
		t.Run(name, func(t *testing.T) {
			if got, ok := NormalizeMobile(in); ok {
				t.Fatalf("accepted %q as %q", in, got)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"erik.andersson@example.se": "erik.andersson@example.se",
		" Erik@Example.SE ":         "Erik@example.se",
		"a+tag@mail.example.cn":     "a+tag@mail.example.cn",
	} {
		if got, ok := NormalizeEmail(in); !ok || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNormalizeEmailRejects(t *testing.T) {
	for name, in := range map[string]string{
		"fail-no-at":          "erik.example.se",
		"fail-no-dot":         "erik@localhost",
		"fail-display-name":   "Erik <erik@example.se>",
		"fail-brackets":       "<erik@example.se>",
		"fail-two-addresses":  "erik@example.se, eva@example.se",
		"fail-space":          "erik andersson@example.se",
		"fail-control":        "erik@example.se\r\nBcc: x@example.se",
		"fail-ip-literal":     "erik@[192.0.2.1]",
		"fail-trailing-dot":   "erik@example.se.",
		"fail-double-dot":     "erik@example..se",
		"fail-too-long":       strings.Repeat("a", 245) + "@example.se",
		"fail-local-too-long": strings.Repeat("a", 65) + "@example.se",
	} {
		t.Run(name, func(t *testing.T) {
			if got, ok := NormalizeEmail(in); ok {
				t.Fatalf("accepted %q as %q", in, got)
			}
		})
	}
}

// FuzzNormalizeMobile: an accepted number is E.164 and normalising it
// again changes nothing.
func FuzzNormalizeMobile(f *testing.F) {
	for _, s := range []string{"", "+46 70 123 45 67", "13800138000", "+0", "++1", "+１２３４５６７８９"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := NormalizeMobile(s)
		if !ok || n == "" {
			return
		}
		if n[0] != '+' || len(n) < 9 || len(n) > 16 || strings.Trim(n[1:], "0123456789") != "" || n[1] == '0' {
			t.Fatalf("%q accepted as %q", s, n)
		}
		if again, ok := NormalizeMobile(n); !ok || again != n {
			t.Fatalf("%q is not stable: %q", n, again)
		}
	})
}

// FuzzNormalizeEmail: an accepted address is one bare address without
// spaces or controls, and normalising it again changes nothing.
func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"", "a@b.cn", "A <a@b.cn>", "a@b", "\"a b\"@b.cn", "a@b.cn\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, ok := NormalizeEmail(s)
		if !ok || e == "" {
			return
		}
		if len(e) > maxEmail || strings.ContainsAny(e, " \t\r\n<>,") || strings.Count(e, "@") < 1 {
			t.Fatalf("%q accepted as %q", s, e)
		}
		if again, ok := NormalizeEmail(e); !ok || again != e {
			t.Fatalf("%q is not stable: %q", e, again)
		}
	})
}

func TestPersonContactIsKeptChangedAndCleared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "ANDERSSON", GivenNames: "ERIK", Sex: "M",
			BirthDate: "1985-03-14", Nationality: "SWE", Mobile: "+46 70 123 45 67", Email: "Erik@Example.SE"})
		if err != nil || p.Mobile != "+46701234567" || p.Email != "Erik@example.se" {
			t.Fatalf("created %+v, %v", p, err)
		}
		mobile, none := "13800138000", ""
		p, err = s.UpdatePerson(ctx, officer, p.ID, PersonPatch{Mobile: &mobile, Email: &none})
		if err != nil || p.Mobile != "+8613800138000" || p.Email != "" {
			t.Fatalf("updated %+v, %v", p, err)
		}
		got, _ := s.Person(ctx, p.ID)
		if got.Mobile != "+8613800138000" || got.Email != "" {
			t.Fatalf("stored %+v", got)
		}
	})
}

func TestPersonContactRejects(t *testing.T) {
	rows := []struct{ name, field, code, mobile, email string }{
		{"fail-mobile", "mobile", "invalid_mobile", "0701234567", ""},
		{"fail-email", "email", "invalid_email", "", "erik@localhost"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, _, _ := seedPerson(t, s)
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				before := count(t, db, "audit_events")
				_, err := s.CreatePerson(ctx, officer, PersonInput{Surname: "X", Sex: "F", BirthDate: "1990-01-01",
					Nationality: "FRA", Mobile: r.mobile, Email: r.email})
				wantCode(t, err, r.code)
				wantField(t, err, r.field)
				patch := PersonPatch{Mobile: &r.mobile, Email: &r.email}
				_, err = s.UpdatePerson(ctx, officer, p.ID, patch)
				wantCode(t, err, r.code)
				if count(t, db, "audit_events") != before {
					t.Fatal("a refused change was written")
				}
			})
		}
	})
}

func TestImportCarriesContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		l := testLine(3)
		l.Mobile, l.Email = "+49 151 2345 6789", "tester@example.de"
		if _, err := s.Import(ctx, officer, ndjson(t, l)); err != nil {
			t.Fatal(err)
		}
		p, err := s.PersonByPassport(ctx, l.Passport.IssuingState, l.Passport.Number)
		if err != nil || p.Mobile != "+4915123456789" || p.Email != "tester@example.de" {
			t.Fatalf("imported %+v, %v", p, err)
		}
		if res, _ := s.Import(ctx, officer, ndjson(t, l)); res.Unchanged != 1 {
			t.Fatalf("re-import: %+v", res)
		}
		l.Mobile = ""
		if res, _ := s.Import(ctx, officer, ndjson(t, l)); res.Updated != 1 {
			t.Fatalf("import without the mobile: %+v", res)
		}
		if p, _ = s.Person(ctx, p.ID); p.Mobile != "" || p.Email != "tester@example.de" {
			t.Fatalf("after clearing the mobile: %+v", p)
		}
		l.Email = "not an address"
		_, err = s.Import(ctx, officer, ndjson(t, l))
		wantCode(t, err, "import_invalid")
		wantField(t, err, "line 1: email")
	})
}
