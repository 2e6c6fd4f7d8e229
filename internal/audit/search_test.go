package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

var t0 = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// seed writes seven events an hour apart: an officer's and an admin's
// changes to persons and an account.
func seed(t *testing.T, db *storage.DB) {
	t.Helper()
	officer := audit.Actor{ID: "acc-officer", Role: "officer"}
	admin := audit.Actor{ID: "acc-admin", Role: "admin"}
	entries := []audit.Entry{
		{Actor: officer, Action: "person.create", Entity: "person", EntityID: "p1", After: map[string]string{"surname": "MARTIN"}},
		{Actor: officer, Action: "person.update", Entity: "person", EntityID: "p1", Before: map[string]string{"surname": "MARTIN"}, After: map[string]string{"surname": "MARTINEZ"}},
		{Actor: officer, Action: "person.create", Entity: "person", EntityID: "p2"},
		{Actor: admin, Action: "account.create", Entity: "account", EntityID: "a1"},
		{Actor: officer, Action: "passport.add", Entity: "passport", EntityID: "pp1"},
		{Actor: audit.Actor{ID: "acc-admin", Role: "admin", RequestID: "req-7"}, Action: "account.reset_password", Entity: "account", EntityID: "a1"},
		{Actor: audit.System, Action: "person.create", Entity: "person", EntityID: "p3"},
	}
	for i, e := range entries {
		if err := audit.Write(db.Gorm, t0.Add(time.Duration(i)*time.Hour), e); err != nil {
			t.Fatal(err)
		}
	}
}

func actions(p paging.Page[audit.Event]) []string {
	out := make([]string, len(p.Items))
	for i, e := range p.Items {
		out[i] = e.Action + "/" + e.EntityID
	}
	return out
}

func TestSearchFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		trail := audit.NewTrail(db)
		all := paging.Request{Limit: 100}
		for name, c := range map[string]struct {
			q    audit.Query
			want string
		}{
			"everything, newest first": {audit.Query{}, "[person.create/p3 account.reset_password/a1 passport.add/pp1 account.create/a1 person.create/p2 person.update/p1 person.create/p1]"},
			"one record":               {audit.Query{Entity: "person", EntityID: "p1"}, "[person.update/p1 person.create/p1]"},
			"one actor":                {audit.Query{ActorID: "acc-admin"}, "[account.reset_password/a1 account.create/a1]"},
			"one action":               {audit.Query{Action: "person.create"}, "[person.create/p3 person.create/p2 person.create/p1]"},
			"a time window":            {audit.Query{From: t0.Add(2 * time.Hour), To: t0.Add(4 * time.Hour)}, "[account.create/a1 person.create/p2]"},
			"window in another zone":   {audit.Query{From: t0.Add(2 * time.Hour).In(time.FixedZone("CST", 8*3600))}, "[person.create/p3 account.reset_password/a1 passport.add/pp1 account.create/a1 person.create/p2]"},
			"nothing matches":          {audit.Query{ActorID: "acc-admin", Entity: "person"}, "[]"},
		} {
			c.q.Page = all
			page, err := trail.Search(context.Background(), c.q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := fmt.Sprint(actions(page)); got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
		page, _ := trail.Search(context.Background(), audit.Query{Entity: "person", EntityID: "p1", Page: all})
		if e := page.Items[0]; e.BeforeJSON == nil || *e.BeforeJSON != `{"surname":"MARTIN"}` || e.ActorRole != "officer" ||
			!e.OccurredAt.Equal(t0.Add(time.Hour)) || e.OccurredAt.Location() != time.UTC {
			t.Fatalf("event: %+v", e)
		}
	})
}

// TestSearchPages walks the trail three events at a time: every event once,
// in order, even when events are added between pages.
func TestSearchPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		trail := audit.NewTrail(db)
		var seen []string
		req := paging.Request{Limit: 3}
		for pages := 0; ; pages++ {
			page, err := trail.Search(context.Background(), audit.Query{Page: req})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, actions(page)...)
			if pages == 0 { // a new event must not shift the pages already started
				_ = audit.Write(db.Gorm, t0.Add(24*time.Hour), audit.Entry{Actor: audit.System, Action: "late.event", Entity: "x", EntityID: "x"})
			}
			if page.NextCursor == "" {
				break
			}
			next, err := paging.Parse("3", page.NextCursor)
			if err != nil {
				t.Fatal(err)
			}
			req = next
		}
		if len(seen) != 7 || seen[0] != "person.create/p3" || seen[6] != "person.create/p1" {
			t.Fatalf("walked %v", seen)
		}
		_, err := trail.Search(context.Background(), audit.Query{Page: paging.Request{Limit: 3, After: "not-an-id"}})
		if !apperr.Is(err, "invalid_cursor") {
			t.Fatalf("forged cursor: %v", err)
		}
	})
}

// TestActingForIsRecorded: a helper's change records both the helper's
// account and the principal it acted for, and the principal's trail is
// found by the person acted for.
func TestActingForIsRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		seed(t, db)
		helper := audit.Actor{ID: "acc-helper", Role: "resident", OnBehalfOf: "person-grandma", RequestID: "req-help-1"}
		for i, e := range []audit.Entry{
			{Actor: helper, Action: "appointment.book", Entity: "appointment", EntityID: "ap1"},
			{Actor: audit.Actor{ID: "acc-helper", Role: "resident"}, Action: "appointment.book", Entity: "appointment", EntityID: "ap2"},
			{Actor: helper, Action: "appointment.cancel", Entity: "appointment", EntityID: "ap1"},
		} {
			if err := audit.Write(db.Gorm, t0.Add(time.Duration(10+i)*time.Hour), e); err != nil {
				t.Fatal(err)
			}
		}
		trail := audit.NewTrail(db)
		all := paging.Request{Limit: 100}
		for name, c := range map[string]struct {
			q    audit.Query
			want string
		}{
			"for the principal":           {audit.Query{OnBehalfOf: "person-grandma"}, "[appointment.cancel/ap1 appointment.book/ap1]"},
			"by the helper, for anyone":   {audit.Query{ActorID: "acc-helper"}, "[appointment.cancel/ap1 appointment.book/ap2 appointment.book/ap1]"},
			"for the principal, one kind": {audit.Query{OnBehalfOf: "person-grandma", Action: "appointment.book"}, "[appointment.book/ap1]"},
			"for someone else":            {audit.Query{OnBehalfOf: "person-child"}, "[]"},
		} {
			c.q.Page = all
			page, err := trail.Search(context.Background(), c.q)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := fmt.Sprint(actions(page)); got != c.want {
				t.Errorf("%s: %s, want %s", name, got, c.want)
			}
		}
		page, err := trail.Search(context.Background(), audit.Query{EntityID: "ap1", Action: "appointment.book", Page: all})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%v %+v", err, page)
		}
		if e := page.Items[0]; e.ActorID != "acc-helper" || e.ActorRole != "resident" ||
			e.OnBehalfOf != "person-grandma" || e.RequestID != "req-help-1" {
			t.Fatalf("event: %+v", e)
		}
		page, _ = trail.Search(context.Background(), audit.Query{EntityID: "ap2", Page: all})
		if e := page.Items[0]; e.OnBehalfOf != "" {
			t.Fatalf("acting for oneself recorded a principal: %+v", e)
		}
	})
}
