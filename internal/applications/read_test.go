package applications

import (
	"context"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/paging"
)

func TestOwn(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		own, err := e.svc.Own(context.Background(), alice, rec.Number)
		if err != nil || own.Number != rec.Number || own.Deadline != rec.Deadline || len(own.Timeline) != 1 {
			t.Fatalf("own: %+v, %v", own, err)
		}
		for name, person := range map[string]string{"fail-other-person": bob, "fail-no-person": ""} {
			t.Run(name, func(t *testing.T) {
				if _, err := e.svc.Own(context.Background(), person, rec.Number); !apperr.Is(err, "application_not_found") {
					t.Fatalf("err = %v", err)
				}
			})
		}
	})
}

// TestInquiryUniformNotFound checks that every kind of mismatch gives the
// very same error, so an inquiry reveals nothing about what exists.
func TestInquiryUniformNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		rec := e.register(t, alice, "visa_extension", centreBJ)
		e.register(t, bob, "visa_extension", centreBJ)
		good := Inquiry{Number: rec.Number, PassportNumber: "E12345678", BirthDate: date(t, "1990-04-01")}
		if pub, err := e.svc.Inquire(context.Background(), good); err != nil || pub.Number != rec.Number {
			t.Fatalf("matching inquiry: %+v, %v", pub, err)
		}
		second := good
		second.PassportNumber = "G87654321"
		if _, err := e.svc.Inquire(context.Background(), second); err != nil {
			t.Fatalf("the applicant's other passport must match too: %v", err)
		}
		with := func(f func(*Inquiry)) Inquiry { q := good; f(&q); return q }
		tests := map[string]Inquiry{
			"fail-unknown-number":          with(func(q *Inquiry) { q.Number = Number(validNumber("2026110299999999")) }),
			"fail-wrong-passport":          with(func(q *Inquiry) { q.PassportNumber = "E12345679" }),
			"fail-wrong-birth-date":        with(func(q *Inquiry) { q.BirthDate = date(t, "1990-04-02") }),
			"fail-another-persons-details": with(func(q *Inquiry) { q.PassportNumber, q.BirthDate = "P0000001", date(t, "1985-12-31") }),
		}
		var first *apperr.Error
		for name, q := range tests {
			t.Run(name, func(t *testing.T) {
				_, err := e.svc.Inquire(context.Background(), q)
				ae, ok := apperr.As(err)
				if !ok || ae.Kind != apperr.KindNotFound || ae.Code != "application_not_found" {
					t.Fatalf("err = %v", err)
				}
				if first == nil {
					first = ae
				} else if ae.Message != first.Message || ae.Field != first.Field {
					t.Fatalf("not uniform: %+v vs %+v", ae, first)
				}
			})
		}
	})
}

func TestParseInquiry(t *testing.T) {
	today := date(t, "2026-11-02")
	num := validNumber("2026110212345678")
	tests := []struct {
		name                    string
		number, passport, birth string
		field, code             string
	}{
		{"ok", num, " e1234567 ", "1990-04-01", "", ""},
		{"fail-number-check-first", num[:18] + "Y", "", "", "application_number", "invalid_application_number"},
		{"fail-number-check-character", validNumber("2026110212345678")[:18] + string(mod112("2026110212345679")), "E1", "x", "application_number", "application_number_check"},
		{"fail-passport-empty", num, "", "1990-04-01", "passport_number", "invalid_passport_number"},
		{"fail-passport-too-short", num, "E1", "1990-04-01", "passport_number", "invalid_passport_number"},
		{"fail-passport-too-long", num, strings.Repeat("E", 21), "1990-04-01", "passport_number", "invalid_passport_number"},
		{"fail-passport-punctuation", num, "E123-4567", "1990-04-01", "passport_number", "invalid_passport_number"},
		{"fail-birth-date-format", num, "E1234567", "01/04/1990", "birth_date", "invalid_birth_date"},
		{"fail-birth-date-impossible", num, "E1234567", "1990-02-30", "birth_date", "invalid_birth_date"},
		{"fail-birth-date-future", num, "E1234567", "2026-11-03", "birth_date", "invalid_birth_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseInquiry(tt.number, tt.passport, tt.birth, today)
			if tt.code == "" {
				if err != nil || q.PassportNumber != "E1234567" || q.BirthDate.String() != "1990-04-01" {
					t.Fatalf("%+v, %v", q, err)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Kind != apperr.KindInvalid || ae.Field != tt.field || ae.Code != tt.code {
				t.Fatalf("err = %v, want %s on %s", err, tt.code, tt.field)
			}
		})
	}
}

func FuzzParseInquiry(f *testing.F) {
	f.Add(validNumber("2026110212345678"), "E1234567", "1990-04-01")
	f.Add("AP2026110212345678X", "", "")
	f.Add("", "ｅ１２３", "1990-4-1")
	today := date(f, "2026-11-02")
	f.Fuzz(func(t *testing.T, number, passport, birth string) {
		q, err := ParseInquiry(number, passport, birth, today)
		if err != nil {
			if ae, ok := apperr.As(err); !ok || ae.Field == "" {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		if !passportShaped(q.PassportNumber) || today.Before(q.BirthDate) {
			t.Fatalf("accepted %+v", q)
		}
	})
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		name                    string
		centre, status, overdue string
		field, code             string
	}{
		{"ok-empty", "", "", "", "", ""},
		{"ok-all", centreBJ, "under_review", "true", "", ""},
		{"fail-status", "", "pending", "", "status", "unknown_status"},
		{"fail-overdue", "", "", "yes", "overdue", "invalid_boolean"},
		{"fail-centre-too-long", strings.Repeat("c", 65), "", "", "center_id", "too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFilter(tt.centre, tt.status, tt.overdue)
			if tt.code == "" {
				if err != nil || f.CentreID != tt.centre || string(f.Status) != tt.status {
					t.Fatalf("%+v, %v", f, err)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Field != tt.field || ae.Code != tt.code {
				t.Fatalf("err = %v, want %s on %s", err, tt.code, tt.field)
			}
		})
	}
}

func FuzzParseFilter(f *testing.F) {
	f.Add("centre-1", "approved", "false")
	f.Add("", "x", "2")
	f.Fuzz(func(t *testing.T, centre, status, overdue string) {
		flt, err := ParseFilter(centre, status, overdue)
		if err == nil && flt.Status != "" && !flt.Status.Known() {
			t.Fatalf("accepted status %q", flt.Status)
		}
	})
}

func TestListOwnPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		var numbers []Number
		for range 5 {
			numbers = append(numbers, e.register(t, alice, "visa_extension", centreBJ).Number)
		}
		e.register(t, bob, "visa_extension", centreBJ)
		var seen []Number
		p := paging.Request{Limit: 2}
		for {
			page, err := e.svc.ListOwn(context.Background(), alice, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				seen = append(seen, a.Number)
			}
			if page.NextCursor == "" {
				break
			}
			if p, err = paging.Parse("2", page.NextCursor); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) != 5 || seen[0] != numbers[4] || seen[4] != numbers[0] {
			t.Fatalf("pages gave %v, want newest first of %v", seen, numbers)
		}
		if page, _ := e.svc.ListOwn(context.Background(), "", paging.Request{Limit: 5}); len(page.Items) != 0 {
			t.Fatal("an account without a registry person sees applications")
		}
	})
}

func TestSearchFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		e.clk.Set(shanghai(2026, 10, 12, 9, 0))
		late := e.register(t, alice, "visa_extension", centreBJ) // deadline 2026-10-21
		paused := e.register(t, alice, "visa_extension", centreBJ)
		for _, s := range []Status{Accepted, UnderReview, SupplementRequested} {
			e.move(t, paused.Number, s)
		}
		decided := e.register(t, bob, "visa_extension", centreSH)
		for _, s := range []Status{Accepted, UnderReview, Approved} {
			e.move(t, decided.Number, s)
		}
		e.clk.Set(mondayMorning)
		fresh := e.register(t, bob, "residence_work", centreSH)
		yes, no := true, false
		tests := []struct {
			name string
			f    Filter
			want []Number
		}{
			{"all", Filter{}, []Number{fresh.Number, decided.Number, paused.Number, late.Number}},
			{"centre", Filter{CentreID: centreSH}, []Number{fresh.Number, decided.Number}},
			{"status", Filter{Status: Approved}, []Number{decided.Number}},
			{"overdue", Filter{Overdue: &yes}, []Number{late.Number}},
			{"not-overdue", Filter{Overdue: &no}, []Number{fresh.Number, decided.Number, paused.Number}},
			{"centre-and-overdue", Filter{CentreID: centreSH, Overdue: &yes}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				page, err := e.svc.Search(context.Background(), tt.f, paging.Request{Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Items) != len(tt.want) {
					t.Fatalf("got %d items, want %v", len(page.Items), tt.want)
				}
				for i, a := range page.Items {
					if a.Number != tt.want[i] || a.Overdue != (a.Number == late.Number) {
						t.Fatalf("item %d = %s overdue=%v, want %s", i, a.Number, a.Overdue, tt.want[i])
					}
				}
			})
		}
	})
}
