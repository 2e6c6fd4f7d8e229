package directory

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func sourcedInput() Particulars {
	in := demoInput()
	in.Sources = []Source{
		{URL: "https://example.gov.cn/hall", Seen: "2026-12-01", Facts: []string{FactName, FactAddress}},
		{URL: "http://example.edu.cn/visa", Seen: "2026-11-30", Facts: []string{FactPhones}},
	}
	in.Translated = []string{"name.en", "address.en"}
	return in
}

func TestSourceAndTranslatedRejections(t *testing.T) {
	tests := []struct {
		name, field, code string
		spoil             func(*Particulars)
	}{
		{"url-missing", "sources[0].url", "invalid_source_url", func(in *Particulars) { in.Sources[0].URL = "" }},
		{"url-not-http", "sources[0].url", "invalid_source_url", func(in *Particulars) { in.Sources[0].URL = "ftp://example.gov.cn/a" }},
		{"url-no-host", "sources[0].url", "invalid_source_url", func(in *Particulars) { in.Sources[0].URL = "https:///a" }},
		{"url-too-long", "sources[0].url", "invalid_source_url", func(in *Particulars) {
			in.Sources[0].URL = "https://example.gov.cn/" + strings.Repeat("a", 500)
		}},
		{"seen-missing", "sources[1].seen", "invalid_source_seen", func(in *Particulars) { in.Sources[1].Seen = "" }},
		{"seen-not-a-date", "sources[1].seen", "invalid_source_seen", func(in *Particulars) { in.Sources[1].Seen = "2026-13-01" }},
		{"facts-empty", "sources[0].facts", "invalid_source_facts", func(in *Particulars) { in.Sources[0].Facts = nil }},
		{"facts-unknown", "sources[0].facts", "invalid_source_facts", func(in *Particulars) { in.Sources[0].Facts = []string{"mood"} }},
		{"facts-twice", "sources[0].facts", "invalid_source_facts", func(in *Particulars) { in.Sources[0].Facts = []string{FactName, FactName} }},
		{"too-many-sources", "sources", "invalid_sources", func(in *Particulars) {
			for len(in.Sources) <= maxSources {
				in.Sources = append(in.Sources, in.Sources[0])
			}
		}},
		{"translated-unknown-text", "translated", "invalid_translated", func(in *Particulars) { in.Translated = []string{"phones.en"} }},
		{"translated-unknown-language", "translated", "invalid_translated", func(in *Particulars) { in.Translated = []string{"name.fr"} }},
		{"translated-twice", "translated", "invalid_translated", func(in *Particulars) { in.Translated = []string{"name.en", "name.en"} }},
		{"translated-absent-address", "translated", "invalid_translated", func(in *Particulars) {
			in.Address.En, in.Address.Zh = "", ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sourcedInput()
			tt.spoil(&in)
			err := in.Validate()
			assertErr(t, err, "invalid_service_center", tt.field)
			e, _ := apperr.As(err)
			if len(e.Fields) != 1 || e.Fields[0].Code != tt.code {
				t.Fatalf("fields %+v, want one %s", e.Fields, tt.code)
			}
		})
	}
	if err := sourcedInput().Validate(); err != nil {
		t.Fatalf("a sourced centre: %v", err)
	}
}

func TestSourcesAreKeptAndAnEditWithoutThemDropsThem(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := newTestService(t, db, clk)
		c, err := s.CreateCenter(ctx, officer, sourcedInput())
		if err != nil {
			t.Fatal(err)
		}
		want := []Source{
			{URL: "https://example.gov.cn/hall", Seen: "2026-12-01", Facts: []string{FactName, FactAddress}},
			{URL: "http://example.edu.cn/visa", Seen: "2026-11-30", Facts: []string{FactPhones}},
		}
		if !reflect.DeepEqual(c.Sources, want) || !reflect.DeepEqual(c.Translated, []string{"name.en", "address.en"}) {
			t.Fatalf("stored: %+v %v", c.Sources, c.Translated)
		}
		// An officer who replaces the particulars without sources authors
		// them: the pages that backed the old ones no longer apply.
		c, err = s.UpdateCenter(ctx, officer, c.ID, demoInput())
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Sources) != 0 || len(c.Translated) != 0 {
			t.Fatalf("after an unsourced edit: %+v %v", c.Sources, c.Translated)
		}
	})
}

func TestShippedSourcesSurviveTheDatabase(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC))
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newTestService(t, db, clk)
		byCode := centersByCode(t, s)
		for _, rc := range shippedCenters(t) {
			c := byCode[rc.Code]
			if len(c.Sources) != len(rc.Sources) || strings.Join(c.Translated, ",") != strings.Join(rc.Translated, ",") {
				t.Fatalf("%s: %d sources, translated %v", rc.Code, len(c.Sources), c.Translated)
			}
			for i, src := range rc.Sources {
				if got := c.Sources[i]; got.URL != src.URL || got.Seen != src.Seen || !reflect.DeepEqual(got.Facts, src.Facts) {
					t.Fatalf("%s source %d: %+v, want %+v", rc.Code, i, got, src)
				}
			}
		}
	})
}

func TestUnknownFactsOfShippedCentres(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC))
	s := newTestService(t, dbtest.SQLite(t), clk)
	byCode := centersByCode(t, s)
	tests := []struct{ code, want string }{
		{"bj-andingmen", "location"},
		{"hk-changbin", "hours,location"},
		{"gy-exit-entry", "address,hours,businesses,location"},
		{"gz-jiefangnan", "hours,businesses,location"},
	}
	for _, tt := range tests {
		c := byCode[tt.code]
		if got := strings.Join(c.Unknown(), ","); got != tt.want {
			t.Errorf("%s: unknown %q, want %q", tt.code, got, tt.want)
		}
	}
	lat, lng := 39.9, 116.4
	located := Center{Particulars: Particulars{Address: demoInput().Address, Phones: []string{"010-12367"},
		Businesses: []string{"visa_extension"}, Latitude: lat, Longitude: lng}}
	located.Hours[1] = []Period{{540, 1020}}
	if u := located.Unknown(); len(u) != 0 {
		t.Fatalf("a centre with every fact: unknown %v", u)
	}
}

func centersByCode(t *testing.T, s *Service) map[string]Center {
	t.Helper()
	q, _ := ParseQuery(RawQuery{Limit: "100"})
	page, err := s.Search(context.Background(), q, time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Center{}
	for _, m := range page.Items {
		out[m.Center.Code] = m.Center
	}
	return out
}
