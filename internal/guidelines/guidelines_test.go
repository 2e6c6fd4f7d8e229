package guidelines

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var officer = audit.Actor{ID: "acct-officer", Role: "officer", RequestID: "req-1"}

func day(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var testSource = Source{URL: "https://example.gov.cn/fees.html", Seen: "2026-12-06"}

func validContent() Content {
	return Content{
		Summary:        i18n.T("Extend your stay.", "延长停留期限。"),
		Materials:      []Material{{Name: i18n.T("Passport", "护照")}},
		Steps:          []i18n.Text{i18n.T("Apply at the counter.", "到窗口申请。")},
		Methods:        []string{MethodInPerson},
		ProcessingDays: business.VisaDays,
		Fees:           []Fee{{Item: i18n.T("Visa extension", "签证延期"), AmountYuan: 160, Source: testSource}},
		Deadlines:      []Deadline{{Text: i18n.T("7 days before expiry", "期满前7日"), Days: 7, Source: testSource}},
	}
}

func TestRowMatchesSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &versionRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSeedPublishesEveryBusinessTypeOnce(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		for i := 0; i < 2; i++ {
			if err := s.Seed(ctx); err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.List(ctx, day(t, "2026-11-23"))
		if err != nil || len(list) != len(business.All()) {
			t.Fatalf("%d guidelines, %v", len(list), err)
		}
		fees := map[string]int64{}
		for _, g := range list {
			if g.Version != 1 {
				t.Fatalf("%s seeded twice: version %d", g.Business, g.Version)
			}
			if g.Content.ProcessingDays != business.ProcessingDays(g.Business) {
				t.Errorf("%s: processing days %d disagree with the catalogue", g.Business, g.Content.ProcessingDays)
			}
			if len(g.Content.Fees) > 0 {
				fees[g.Business] = g.Content.Fees[0].AmountYuan
			}
		}
		want := map[string]int64{business.VisaExtension: 160, business.ResidenceWork: 400,
			business.FPRApplication: 1500, business.FPRRenewal: 300, business.FPRReplacement: 600,
			business.ResidenceChange: 200, business.ResidenceRemoveAccompanying: 200}
		for code, amount := range want {
			if fees[code] != amount {
				t.Errorf("%s first fee %d, want %d", code, fees[code], amount)
			}
		}
	})
}

func TestPublishAddsAVersionAndKeepsTheOld(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		if err := s.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		c := validContent()
		c.Fees = append(c.Fees, Fee{Item: i18n.T("Express handling", "加急办理"), AmountYuan: 50,
			Condition: i18n.T("When asked for", "申请加急时"), Source: testSource})
		g, err := s.Publish(ctx, officer, business.VisaExtension, day(t, "2026-12-01"), c)
		if err != nil {
			t.Fatal(err)
		}
		if g.Version != 2 || g.CreatedBy != "acct-officer" {
			t.Fatalf("published %+v", g)
		}
		// Before its effective date the old version is still in force.
		cur, _ := s.Current(ctx, business.VisaExtension, day(t, "2026-11-30"))
		if cur.Version != 1 {
			t.Fatalf("in force on 30 Nov: v%d", cur.Version)
		}
		cur, _ = s.Current(ctx, business.VisaExtension, day(t, "2026-12-01"))
		if cur.Version != 2 || len(cur.Content.Fees) != 2 || cur.Content.Fees[1].AmountYuan != 50 {
			t.Fatalf("in force on 1 Dec: %+v", cur)
		}
		old, err := s.Version(ctx, business.VisaExtension, 1)
		if err != nil || len(old.Content.Fees) != 1 || old.Content.Steps[0] == c.Steps[0] {
			t.Fatalf("v1 no longer readable: %+v %v", old, err)
		}
		page, _ := s.Versions(ctx, business.VisaExtension, paging.Request{Limit: 1})
		if len(page.Items) != 1 || page.Items[0].Version != 2 || page.NextCursor == "" {
			t.Fatalf("history page 1: %+v", page)
		}
		next, _ := paging.Parse("1", page.NextCursor)
		page, _ = s.Versions(ctx, business.VisaExtension, next)
		if len(page.Items) != 1 || page.Items[0].Version != 1 || page.NextCursor != "" {
			t.Fatalf("history page 2: %+v", page)
		}
		events, _ := audit.List(db.Gorm, "guideline", "visa_extension@2")
		if len(events) != 1 || events[0].ActorID != "acct-officer" || events[0].RequestID != "req-1" {
			t.Fatalf("audit: %+v", events)
		}
	})
}

func TestPublishRejects(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		if _, err := s.Publish(ctx, officer, business.StayPermit, day(t, "2026-12-10"), validContent()); err != nil {
			t.Fatal(err)
		}
		mod := func(f func(*Content)) Content { c := validContent(); f(&c); return c }
		tests := []struct {
			name, business, from string
			content              Content
			code, field          string
		}{
			{"unknown business", "tourism", "2026-12-20", validContent(), "unknown_business", ""},
			{"effective in the past", business.VisaExtension, "2026-11-22", validContent(), "effective_in_past", "effective_from"},
			{"effective before the latest version", business.StayPermit, "2026-12-01", validContent(), "effective_before_latest", "effective_from"},
			{"missing summary", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Summary = i18n.Text{} }), "invalid_guideline", "summary"},
			{"no materials", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Materials = nil }), "invalid_guideline", "materials"},
			{"material without Chinese", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Materials[0].Name.Zh = "" }), "invalid_guideline", "materials[0].name"},
			{"no steps", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Steps = nil }), "invalid_guideline", "steps"},
			{"blank requirement", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Requirements = []i18n.Text{{}} }), "invalid_guideline", "requirements[0]"},
			{"unknown method", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Methods = []string{"by_post"} }), "invalid_guideline", "methods"},
			{"repeated method", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Methods = []string{"in_person", "in_person"} }), "invalid_guideline", "methods"},
			{"zero processing days", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.ProcessingDays = 0 }), "invalid_guideline", "processing_days"},
			{"negative fee", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Fees[0].AmountYuan = -1 }), "invalid_guideline", "fees[0].amount_yuan"},
			{"fee without item", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Fees[0].Item = i18n.Text{} }), "invalid_guideline", "fees[0].item"},
			{"deadline without text", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Deadlines[0].Text.En = "" }), "invalid_guideline", "deadlines[0].text"},
			{"deadline days negative", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Deadlines[0].Days = -1 }), "invalid_guideline", "deadlines[0].days"},
			{"text too long", business.VisaExtension, "2026-12-20", mod(func(c *Content) { c.Summary.En = strings.Repeat("x", 1001) }), "invalid_guideline", "summary"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := history(t, s, tt.business)
				_, err := s.Publish(ctx, officer, tt.business, day(t, tt.from), tt.content)
				e, ok := apperr.As(err)
				if !ok || e.Code != tt.code || (tt.field != "" && e.Field != tt.field) {
					t.Fatalf("got %v, want %s on %s", err, tt.code, tt.field)
				}
				wantHistory(t, s, tt.business, before)
			})
		}
		page, _ := s.Versions(ctx, business.VisaExtension, paging.Request{Limit: 10})
		if len(page.Items) != 0 {
			t.Fatal("a rejected update changed the history")
		}
	})
}

// history is every version of a business type's guideline, newest first.
func history(t *testing.T, s *Service, code string) []Guideline {
	t.Helper()
	if !business.Valid(code) {
		return nil
	}
	page, err := s.Versions(context.Background(), code, paging.Request{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// wantHistory fails unless a business type's versions, and so the one in
// force on any day, are still before.
func wantHistory(t *testing.T, s *Service, code string, before []Guideline) {
	t.Helper()
	if after := history(t, s, code); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused update changed %s: %d versions, had %d", code, len(after), len(before))
	}
}

// The guideline states the processing time deadlines are counted with, so
// it can only publish the catalogue's figure (residence_work once said 60
// days while deadlines counted 15).
func TestPublishRefusesProcessingDaysOtherThanTheLaws(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		if err := s.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		for _, b := range business.All() {
			for _, days := range []int{b.ProcessingDays - 1, b.ProcessingDays + 1, 60} {
				if days == b.ProcessingDays {
					continue
				}
				c := validContent()
				c.ProcessingDays = days
				before := history(t, s, b.Code)
				_, err := s.Publish(ctx, officer, b.Code, day(t, "2026-12-01"), c)
				e, ok := apperr.As(err)
				if !ok || e.Code != "invalid_guideline" || e.Field != "processing_days" || e.Kind != apperr.KindInvalid {
					t.Fatalf("%s with %d days: %v", b.Code, days, err)
				}
				figure := strconv.Itoa(b.ProcessingDays)
				if len(e.Fields) != 1 || e.Fields[0].Code != "processing_days_not_statutory" ||
					!strings.Contains(e.Message.En, figure) || !strings.Contains(e.Message.Zh, figure) {
					t.Fatalf("%s with %d days: the refusal does not state %s: %+v", b.Code, days, figure, e)
				}
				wantHistory(t, s, b.Code, before)
			}
			c := validContent()
			c.ProcessingDays = b.ProcessingDays
			if _, err := s.Publish(ctx, officer, b.Code, day(t, "2026-12-01"), c); err != nil {
				t.Fatalf("%s with the catalogue's %d days: %v", b.Code, b.ProcessingDays, err)
			}
		}
	})
}

// Each text is shown in the caller's language and only Chinese falls back
// to English, so a text in one language shows nothing to some callers.
func TestPublishRefusesTextInOneLanguage(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		if err := s.Seed(ctx); err != nil {
			t.Fatal(err)
		}
		full := func() Content {
			c := validContent()
			c.Materials[0].Note = i18n.T("Valid for 6 months", "有效期6个月以上")
			c.Requirements = []i18n.Text{i18n.T("In China legally", "合法在华")}
			c.Fees[0].Condition = i18n.T("Valid for less than 1 year", "有效期不满1年")
			return c
		}
		fields := map[string]func(*Content) *i18n.Text{
			"summary":           func(c *Content) *i18n.Text { return &c.Summary },
			"materials[0].name": func(c *Content) *i18n.Text { return &c.Materials[0].Name },
			"materials[0].note": func(c *Content) *i18n.Text { return &c.Materials[0].Note },
			"requirements[0]":   func(c *Content) *i18n.Text { return &c.Requirements[0] },
			"steps[0]":          func(c *Content) *i18n.Text { return &c.Steps[0] },
			"fees[0].item":      func(c *Content) *i18n.Text { return &c.Fees[0].Item },
			"fees[0].condition": func(c *Content) *i18n.Text { return &c.Fees[0].Condition },
			"deadlines[0].text": func(c *Content) *i18n.Text { return &c.Deadlines[0].Text },
		}
		for field, at := range fields {
			for _, lang := range []string{"en only", "zh-CN only", "zh-CN blank"} {
				t.Run(field+" "+lang, func(t *testing.T) {
					c := full()
					switch p := at(&c); lang {
					case "en only":
						p.Zh = ""
					case "zh-CN only":
						p.En = ""
					default:
						p.Zh = "  "
					}
					before := history(t, s, business.VisaExtension)
					_, err := s.Publish(ctx, officer, business.VisaExtension, day(t, "2026-12-01"), c)
					e, ok := apperr.As(err)
					if !ok || e.Code != "invalid_guideline" || e.Field != field || len(e.Fields) != 1 || e.Fields[0].Code != "invalid_text" {
						t.Fatalf("got %v, want invalid_guideline on %s", err, field)
					}
					if e.Message.En == "" || e.Message.Zh == "" || !strings.Contains(e.Message.En, field) {
						t.Fatalf("message %+v", e.Message)
					}
					wantHistory(t, s, business.VisaExtension, before)
				})
			}
		}
		// An optional text may be left out in both languages.
		c := full()
		c.Materials[0].Note, c.Fees[0].Condition = i18n.Text{}, i18n.Text{}
		if _, err := s.Publish(ctx, officer, business.VisaExtension, day(t, "2026-12-01"), c); err != nil {
			t.Fatalf("optional texts left out: %v", err)
		}
		if _, err := s.Publish(ctx, officer, business.VisaExtension, day(t, "2026-12-02"), full()); err != nil {
			t.Fatalf("every text in both languages: %v", err)
		}
	})
}

// Lists left out of an update are stored and read back as empty lists, not
// null, which the published format does not allow.
func TestPublishStoresLeftOutListsAsEmpty(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clk, time.Hour)
		c := validContent()
		c.Requirements, c.Fees, c.Deadlines = nil, nil, nil
		g, err := s.Publish(ctx, officer, business.VisaExtension, day(t, "2026-11-23"), c)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := s.Current(ctx, business.VisaExtension, day(t, "2026-11-23"))
		if err != nil {
			t.Fatal(err)
		}
		var row versionRow
		if err := db.Gorm.Where("business = ?", business.VisaExtension).Take(&row).Error; err != nil {
			t.Fatal(err)
		}
		stored, err := row.guideline()
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]Content{"published": g.Content, "in force": cur.Content, "read back": stored.Content} {
			b, _ := json.Marshal(got)
			if strings.Contains(string(b), "null") {
				t.Errorf("%s: %s", name, b)
			}
		}
		for _, list := range []string{`"requirements":[]`, `"fees":[]`, `"deadlines":[]`} {
			if !strings.Contains(row.Content, list) {
				t.Errorf("stored without %s: %s", list, row.Content)
			}
		}
	})
}

func TestReadsOfUnknownThings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)), time.Hour)
		_, err := s.Current(ctx, business.VisaExtension, day(t, "2026-11-23"))
		if !apperr.Is(err, "guideline_not_found") {
			t.Fatalf("no guideline yet: %v", err)
		}
		if _, err := s.Current(ctx, "nope", day(t, "2026-11-23")); !apperr.Is(err, "unknown_business") {
			t.Fatalf("unknown business: %v", err)
		}
		if _, err := s.Version(ctx, business.VisaExtension, 9); !apperr.Is(err, "guideline_version_not_found") {
			t.Fatalf("missing version: %v", err)
		}
		if _, err := s.Versions(ctx, business.VisaExtension, paging.Request{Limit: 5, After: "x"}); !apperr.Is(err, "invalid_cursor") {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func FuzzContentValidate(f *testing.F) {
	b, _ := json.Marshal(validContent())
	f.Add(b)
	f.Add([]byte(`{"methods":["x"],"processing_days":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Content
		if json.Unmarshal(data, &c) != nil {
			return
		}
		err := c.Validate()
		if err == nil && (len(c.Materials) == 0 || c.ProcessingDays < 1 || c.Summary.En == "") {
			t.Fatalf("accepted an incomplete guideline: %s", data)
		}
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
		}
	})
}
