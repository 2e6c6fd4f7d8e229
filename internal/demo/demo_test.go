package demo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func counts(t *testing.T, db *storage.DB) [5]int64 {
	var out [5]int64
	for i, table := range []string{"persons", "passports", "fpr_cards", "accounts", "audit_events"} {
		db.Gorm.Table(table).Count(&out[i])
	}
	return out
}

func TestSeedIsIdempotentAndComplete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
		reg := registry.New(db, clk, registry.Hooks{})
		acc, err := accounts.New(db, clk, reg, accounts.Options{Argon2: accounts.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
		if err != nil {
			t.Fatal(err)
		}
		s := New(reg, acc, nil)
		dir := t.TempDir()
		prev, _ := ReadFile(dir)
		prev.Extra = map[string]json.RawMessage{"relying_parties": json.RawMessage(`[{"name":"Demo Bank"}]`)}
		first, err := s.Seed(ctx, prev)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(dir, first); err != nil {
			t.Fatal(err)
		}
		after := counts(t, db)
		if after[0] != 6 || after[3] != 6 {
			t.Fatalf("rows: %v", after)
		}
		roles := map[string]int{}
		for _, a := range first.Accounts {
			roles[a.Role]++
			if a.Role == accounts.RoleResident && a.PersonID == "" {
				t.Fatalf("resident without person: %+v", a)
			}
			if _, err := acc.Login(ctx, a.Username, a.Password, "demo-test-"+a.Username); err != nil {
				t.Fatalf("%s cannot sign in: %v", a.Username, err)
			}
		}
		if roles[accounts.RoleAdmin] != 1 || roles[accounts.RoleOfficer] != 1 || roles[accounts.RoleResident] != 4 {
			t.Fatalf("roles %v", roles)
		}
		byLabel := map[string]string{}
		for _, p := range first.Persons {
			byLabel[p.Label] = p.PersonID
		}
		if pass, _ := reg.CurrentPassport(ctx, byLabel["resident_expired_passport"]); pass.Status != registry.StatusExpired {
			t.Fatalf("expired passport reads %s", pass.Status)
		}
		// The 2023 card that replaced the 2017 one stays linked to it.
		if card, _ := reg.CurrentFPRCard(ctx, byLabel["resident_replaced_card"]); card.Version != 2023 || card.IssueNo != 1 ||
			len(card.Replaced) != 1 || !strings.HasPrefix(card.Replaced[0], "JPN") || card.ReplacesID == "" {
			t.Fatalf("replaced card: %+v", card)
		}
		if card, _ := reg.CurrentFPRCard(ctx, byLabel["resident_2017_card"]); card.Number != "KAZ110090123105" {
			t.Fatalf("2017 card: %+v", card)
		}
		if byLabel["child"] == "" || byLabel["elderly"] == "" {
			t.Fatalf("persons %v", byLabel)
		}
		for _, p := range first.Persons {
			if person, _ := reg.Person(ctx, p.PersonID); person.Mobile == "" && person.Email == "" {
				t.Fatalf("%s has no contact on record", p.Label)
			}
		}
		elderly, _ := reg.Person(ctx, byLabel["elderly"])
		if elderly.Mobile != "+447700900106" {
			t.Fatalf("elderly %+v", elderly)
		}

		// Second start: read the file back, seed again, nothing changes.
		again, err := ReadFile(dir)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Seed(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if got := counts(t, db); got != after {
			t.Fatalf("second seed changed rows: %v → %v", after, got)
		}
		b1, _ := json.Marshal(first)
		b2, _ := json.Marshal(second)
		if string(b1) != string(b2) {
			t.Fatalf("results differ:\n%s\n%s", b1, b2)
		}
		if string(second.Extra["relying_parties"]) != `[{"name":"Demo Bank"}]` {
			t.Fatalf("other sections lost: %s", b2)
		}

		// A lost demo.json: accounts exist, passwords are reset and recorded again.
		third, err := s.Seed(ctx, &Result{})
		if err != nil {
			t.Fatal(err)
		}
		if third.Accounts[0].Password == first.Accounts[0].Password {
			t.Fatal("password not renewed")
		}
		if _, err := acc.Login(ctx, third.Accounts[0].Username, third.Accounts[0].Password, "demo-test-renewed"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestResultFileShape(t *testing.T) {
	dir := t.TempDir()
	r := &Result{Accounts: []Account{{Username: "u", Password: "p", Role: "admin"}}}
	if err := WriteFile(dir, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(dir)
	if err != nil || back.Password("u") != "p" || back.Password("x") != "" {
		t.Fatalf("%+v %v", back, err)
	}
	b, _ := json.Marshal(back)
	var raw map[string][]map[string]any
	if err := json.Unmarshal(b, &raw); err != nil || raw["accounts"][0]["username"] != "u" {
		t.Fatalf("shape %s", b)
	}
}
