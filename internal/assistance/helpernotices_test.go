package assistance

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// helperKinds lists the kinds of the notices addressed to the account,
// oldest first, checking each is written in both languages.
func helperKinds(t *testing.T, db *storage.DB, accountID string) []string {
	t.Helper()
	page, err := notifications.NewStore(db).ListFor(context.Background(), notifications.Recipient{AccountID: accountID}, paging.Request{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		n := page.Items[i]
		if n.PersonID != "" || n.Subject.En == "" || n.Subject.Zh == "" || n.Body.En == "" || n.Body.Zh == "" {
			t.Fatalf("notice %+v", n)
		}
		kinds = append(kinds, n.Kind)
	}
	return kinds
}

// TestHelperIsToldOfTheirGrants: a Chinese helper (no person) and a
// resident helper are each told, on their account, of an invitation, an
// officer's grant, an approval, a refusal with its reason and an ending by
// the other side; what they did themselves tells them nothing.
func TestHelperIsToldOfTheirGrants(t *testing.T) {
	for _, role := range []string{RoleHelper, RoleResident} {
		t.Run(role, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				w := newWorld(t, db)
				ctx := context.Background()
				var helperPerson string
				if role == RoleResident {
					helperPerson = w.person(adult)
				}
				helper := w.account("helper1", role, helperPerson)
				p := w.person(adult)
				principal := w.account("principal1", RoleResident, p)
				g, err := w.svc.Invite(ctx, by(principal), p, "helper1", Terms{Scopes: []Scope{AppointmentsRead}})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.svc.Accept(ctx, by(helper), helper.ID, g.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := w.svc.EndAsPrincipal(ctx, by(principal), p, g.ID); err != nil {
					t.Fatal(err)
				}
				dep := w.person(adult)
				if _, err := w.svc.RecordDependant(ctx, officer, dep, "helper1", Terms{Scopes: []Scope{AppointmentsRead},
					Relationship: Friend, Evidence: "power of attorney"}); err != nil {
					t.Fatal(err)
				}
				other := w.person(adult)
				req, err := w.svc.RequestDependant(ctx, by(helper), helper, Identity{PassportNumber: "P-" + other},
					Terms{Scopes: []Scope{AppointmentsRead}, Relationship: Relative, Evidence: "household register"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.svc.Approve(ctx, officer, req.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := w.svc.EndAsOfficer(ctx, officer, req.ID); err != nil {
					t.Fatal(err)
				}
				third := w.person(adult)
				req2, err := w.svc.RequestDependant(ctx, by(helper), helper, Identity{PassportNumber: "P-" + third},
					Terms{Scopes: []Scope{AppointmentsRead}, Relationship: Relative, Evidence: "household register"})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := w.svc.Refuse(ctx, officer, req2.ID, i18n.T("No evidence of kinship", "未见亲属关系证明")); err != nil {
					t.Fatal(err)
				}
				got := strings.Join(helperKinds(t, db, helper.ID), " ")
				want := "assistance.invited assistance.ended assistance.granted assistance.approved assistance.ended assistance.refused"
				if got != want {
					t.Fatalf("helper was told %q, want %q", got, want)
				}
				page, _ := notifications.NewStore(db).ListFor(ctx, notifications.Recipient{AccountID: helper.ID}, paging.Request{Limit: 1})
				if !strings.Contains(page.Items[0].Body.Zh, "未见亲属关系证明") {
					t.Fatalf("refusal notice %+v lacks the reason", page.Items[0])
				}
			})
		})
	}
}

// TestHelperIsToldOnceOfAGrantEndingSoon: a grant expiring within the
// lead, and a parent's grant lapsing at the child's 18th birthday, each
// tell the helper once; one further off tells nothing yet.
func TestHelperIsToldOnceOfAGrantEndingSoon(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		helper := w.account("helper1", RoleHelper, "")
		soon := t0.Add(5 * 24 * time.Hour)
		later := t0.Add(60 * 24 * time.Hour)
		for _, exp := range []time.Time{soon, later} {
			if _, err := w.svc.RecordDependant(ctx, officer, w.person(adult), "helper1", Terms{Scopes: []Scope{AppointmentsRead},
				Relationship: Friend, Evidence: "power of attorney", ExpiresAt: &exp}); err != nil {
				t.Fatal(err)
			}
		}
		child := w.person(calendarDaysBefore18(10))
		if _, err := w.svc.RecordDependant(ctx, officer, child, "helper1", Terms{Scopes: []Scope{AppointmentsRead},
			Relationship: Parent, Evidence: "birth certificate"}); err != nil {
			t.Fatal(err)
		}
		for run := 0; run < 2; run++ {
			n, err := w.svc.NoticeEnding(ctx, EndingNoticeLead)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{2, 0}[run]; n != want {
				t.Fatalf("run %d told %d, want %d", run, n, want)
			}
		}
		kinds := helperKinds(t, db, helper.ID)
		if got := strings.Count(strings.Join(kinds, " "), "assistance.ending"); got != 2 {
			t.Fatalf("ending notices = %d of %v", got, kinds)
		}
	})
}

// calendarDaysBefore18 is the birth date of someone who turns 18 days
// after t0.
func calendarDaysBefore18(days int) calendar.Date {
	return calendar.DateOf(t0.AddDate(-AdultAge, 0, days))
}
