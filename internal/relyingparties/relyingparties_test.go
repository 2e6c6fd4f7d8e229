package relyingparties

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var (
	t0    = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	admin = audit.Actor{ID: "acc-admin", Role: "admin"}
)

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &Row{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	long := strings.Repeat("x", 101)
	rows := []struct {
		name, field string
		req         CreateRequest
	}{
		{"fail-empty-name", "name", CreateRequest{Name: "  ", Sector: SectorBank}},
		{"fail-long-name", "name", CreateRequest{Name: long, Sector: SectorBank}},
		{"fail-control-char", "name", CreateRequest{Name: "Bank\x00", Sector: SectorBank}},
		{"fail-unknown-sector", "sector", CreateRequest{Name: "Bank", Sector: "insurance"}},
		{"fail-empty-sector", "sector", CreateRequest{Name: "Bank"}},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := New(db, clock.NewFake(t0))
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				_, err := s.Create(context.Background(), admin, r.req)
				e, ok := apperr.As(err)
				if !ok || e.Kind != apperr.KindInvalid || e.Field != r.field {
					t.Fatalf("got %v, want invalid %s", err, r.field)
				}
			})
		}
		page, _ := s.List(context.Background(), paging.Request{Limit: 10})
		if len(page.Items) != 0 {
			t.Fatalf("invalid requests created %d parties", len(page.Items))
		}
	})
}

func TestKeyLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clock.NewFake(t0))
		p, err := s.Create(ctx, inRequest(admin, "req-1"), CreateRequest{Name: " Bank of Test ", Sector: SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "Bank of Test" || !strings.HasPrefix(p.APIKey, "fprl_"+p.KeyPrefix+"_") {
			t.Fatalf("created %+v", p)
		}
		got, err := s.Authenticate(ctx, p.APIKey)
		if err != nil || got.ID != p.ID || got.Sector != SectorBank {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		rotated, err := s.Rotate(ctx, inRequest(admin, "req-2"), p.ID)
		if err != nil || rotated.APIKey == p.APIKey {
			t.Fatalf("rotate: %v", err)
		}
		if _, err := s.Authenticate(ctx, p.APIKey); !apperr.Is(err, "invalid_api_key") {
			t.Fatalf("rotated-away key: %v", err)
		}
		if _, err := s.Authenticate(ctx, rotated.APIKey); err != nil {
			t.Fatalf("new key: %v", err)
		}
		if _, err := s.Disable(ctx, inRequest(admin, "req-3"), p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, rotated.APIKey); !apperr.Is(err, "invalid_api_key") {
			t.Fatalf("disabled key: %v", err)
		}
		if _, err := s.Rotate(ctx, admin, p.ID); !apperr.Is(err, "relying_party_disabled") {
			t.Fatalf("rotate disabled: %v", err)
		}
		if _, err := s.Disable(ctx, admin, "nope"); !apperr.Is(err, "relying_party_not_found") {
			t.Fatalf("disable missing: %v", err)
		}
		events, _ := audit.List(db.Gorm, "relying_party", p.ID)
		if len(events) != 3 || events[1].Action != "relying_party.rotate_key" || strings.Contains(*events[1].AfterJSON, rotated.APIKey) {
			t.Fatalf("audit trail: %+v", events)
		}
	})
}

func TestAuthenticateRejections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := New(db, clock.NewFake(t0))
		p, _ := s.Create(context.Background(), admin, CreateRequest{Name: "T", Sector: SectorTax})
		wrongSecret := p.APIKey[:len(p.APIKey)-1] + map[bool]string{true: "b", false: "a"}[strings.HasSuffix(p.APIKey, "a")]
		for name, key := range map[string]string{
			"fail-empty":        "",
			"fail-garbage":      "hello",
			"fail-wrong-scheme": "xxxx_" + p.APIKey[5:],
			"fail-wrong-secret": wrongSecret,
			"fail-upper-case":   strings.ToUpper(p.APIKey),
			"fail-unknown":      "fprl_aaaaaaaaaa_" + strings.Repeat("a", 52),
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := s.Authenticate(context.Background(), key); !apperr.Is(err, "invalid_api_key") {
					t.Fatalf("got %v", err)
				}
			})
		}
	})
}

func TestListPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clock.NewFake(t0))
		demo, err := SeedDemo(ctx, s)
		if err != nil || len(demo) != 4 {
			t.Fatalf("seed: %v", err)
		}
		for _, d := range demo {
			if p, err := s.Authenticate(ctx, d.APIKey); err != nil || p.Sector != d.Sector {
				t.Fatalf("demo key of %s: %v", d.Sector, err)
			}
		}
		first, _ := s.List(ctx, paging.Request{Limit: 3})
		after, _ := paging.Parse("", first.NextCursor)
		after.Limit = 3
		second, _ := s.List(ctx, after)
		if len(first.Items) != 3 || len(second.Items) != 1 || second.NextCursor != "" {
			t.Fatalf("pages %d/%d", len(first.Items), len(second.Items))
		}
	})
}

func TestLimiter(t *testing.T) {
	clk := clock.NewFake(t0)
	l := NewLimiter(clk, 2, 2)
	for i := range 2 {
		if err := l.Allow("a"); err != nil {
			t.Fatalf("request %d within burst refused: %v", i, err)
		}
	}
	err := l.Allow("a")
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.KindRateLimited || e.RetryAfter <= 0 || e.RetryAfter > time.Second {
		t.Fatalf("over burst: %v", err)
	}
	if err := l.Allow("b"); err != nil {
		t.Fatalf("other party limited: %v", err)
	}
	clk.Advance(500 * time.Millisecond)
	if err := l.Allow("a"); err != nil {
		t.Fatalf("refilled token refused: %v", err)
	}
	if err := NewLimiter(clk, 0, 0).Allow("a"); err != nil {
		t.Fatalf("disabled limiter refused: %v", err)
	}
}

func FuzzParseKey(f *testing.F) {
	f.Add("fprl_abcdefghij_" + strings.Repeat("a", 52))
	f.Add("fprl_")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		prefix, ok := parseKey(s)
		if ok && (len(prefix) != prefixLen || !strings.HasPrefix(s, keyScheme+prefix+"_")) {
			t.Fatalf("accepted %q with prefix %q", s, prefix)
		}
	})
}

// TestSeedDemoAgainRotatesRatherThanDuplicates: seeding the demo again
// (demo.json, which held the keys, was lost) keeps one party per sector
// and gives each a new key; the old keys stop working.
func TestSeedDemoAgainRotatesRatherThanDuplicates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clock.NewFake(t0))
		first, err := SeedDemo(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		second, err := SeedDemo(ctx, s)
		if err != nil || len(second) != len(Sectors) {
			t.Fatalf("second seed: %v", err)
		}
		all, _ := s.List(ctx, paging.Request{Limit: paging.MaxLimit})
		if len(all.Items) != len(Sectors) {
			t.Fatalf("%d parties after seeding twice, want %d", len(all.Items), len(Sectors))
		}
		for i := range second {
			if _, err := s.Authenticate(ctx, second[i].APIKey); err != nil {
				t.Fatalf("new key of %s: %v", second[i].Sector, err)
			}
			if _, err := s.Authenticate(ctx, first[i].APIKey); err == nil {
				t.Fatalf("old key of %s still works", first[i].Sector)
			}
		}
	})
}

// inRequest is a as it acts within request id.
func inRequest(a audit.Actor, id string) audit.Actor {
	a.RequestID = id
	return a
}

// TestAuditKeepsItsFieldNames: the audit trail records a party in the JSON
// form it always has, though Party itself carries no wire format; readers
// of the trail search those names.
func TestAuditKeepsItsFieldNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s := New(db, clock.NewFake(t0))
		p, err := s.Create(ctx, admin, CreateRequest{Name: "Bank of Test", Sector: SectorBank})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Disable(ctx, admin, p.ID); err != nil {
			t.Fatal(err)
		}
		events, _ := audit.List(db.Gorm, "relying_party", p.ID)
		if len(events) != 2 {
			t.Fatalf("audit trail: %+v", events)
		}
		for _, want := range []string{`"id":"` + p.ID + `"`, `"name":"Bank of Test"`, `"sector":"bank"`, `"key_prefix":"` + p.KeyPrefix + `"`, `"created_at":`} {
			if !strings.Contains(*events[0].AfterJSON, want) || !strings.Contains(*events[1].BeforeJSON, want) {
				t.Errorf("audit lacks %s: %s / %s", want, *events[0].AfterJSON, *events[1].BeforeJSON)
			}
		}
		if !strings.Contains(*events[1].AfterJSON, `"disabled_at":`) {
			t.Errorf("disable not recorded: %s", *events[1].AfterJSON)
		}
	})
}
