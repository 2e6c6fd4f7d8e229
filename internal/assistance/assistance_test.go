package assistance

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// 30 November 2026, 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)

type world struct {
	t       *testing.T
	db      *storage.DB
	clk     *clock.Fake
	svc     *Service
	persons map[string]PersonFacts
	byName  map[string]Account
}

func newWorld(t *testing.T, db *storage.DB) *world {
	w := &world{t: t, db: db, clk: clock.NewFake(t0), persons: map[string]PersonFacts{}, byName: map[string]Account{}}
	w.svc = New(db, w.clk, worldPersons{w}, worldAccounts{w})
	return w
}

func (w *world) person(birth calendar.Date) string {
	w.t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	if err := w.db.Gorm.Exec(`INSERT INTO persons (id, surname, given_names, sex, birth_date, nationality, created_at, updated_at)
		VALUES (?, 'TEST', 'ONE', 'F', ?, 'SWE', ?, ?)`, id, birth.String(), t0, t0).Error; err != nil {
		w.t.Fatal(err)
	}
	w.persons[id] = PersonFacts{ID: id, Name: "TEST, ONE", BirthDate: birth}
	return id
}

func (w *world) account(username, role, personID string) Account {
	w.t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	var pid, hid any
	if personID != "" {
		pid = personID
	}
	if role == RoleHelper { // a Chinese helper: a recorded identity, no person
		hid = uuid.Must(uuid.NewV7()).String()
		if err := w.db.Gorm.Exec(`INSERT INTO helper_identities (id, name, resident_id_hash, resident_id_last4, mobile, recorded_by, created_at, updated_at)
			VALUES (?, '测试', ?, '0000', '+8613800000000', 'officer-1', ?, ?)`, hid, hid, t0, t0).Error; err != nil {
			w.t.Fatal(err)
		}
	}
	if err := w.db.Gorm.Exec(`INSERT INTO accounts (id, username, password_hash, role, person_id, helper_id, created_at, updated_at)
		VALUES (?, ?, 'x', ?, ?, ?, ?, ?)`, id, username, role, pid, hid, t0, t0).Error; err != nil {
		w.t.Fatal(err)
	}
	a := Account{ID: id, Username: username, Role: role, PersonID: personID}
	w.byName[username] = a
	return a
}

func by(a Account) audit.Actor { return audit.Actor{ID: a.ID, Role: a.Role} }

var officer = audit.Actor{ID: "officer-1", Role: "officer"}

type worldPersons struct{ w *world }

func (p worldPersons) Person(_ context.Context, id string) (PersonFacts, error) {
	if f, ok := p.w.persons[id]; ok {
		return f, nil
	}
	return PersonFacts{}, ErrUnknownPerson
}

func (p worldPersons) Match(_ context.Context, id Identity) (string, error) {
	for pid, f := range p.w.persons {
		if id.PassportNumber == "P-"+pid {
			_ = f
			return pid, nil
		}
	}
	return "", ErrUnknownPerson
}

type worldAccounts struct{ w *world }

func (a worldAccounts) ByUsername(_ context.Context, u string) (Account, error) {
	if acc, ok := a.w.byName[u]; ok {
		return acc, nil
	}
	return Account{}, ErrUnknownAccount
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

var adult = calendar.Date{Year: 1950, Month: 3, Day: 1}

func TestModelsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &grantRow{}, &activityRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestInvitationLifecycle: invited is pending, accepted is active, and
// ending by either side takes effect on the very next check.
func TestInvitationLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pia := w.account("pia", RoleResident, w.person(adult))
		hana := w.account("hana", RoleResident, w.person(adult))
		for _, endBy := range []string{"principal", "helper", "officer"} {
			g, err := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{AppointmentsRead}})
			if err != nil || g.State != Pending || g.HelperUsername != "hana" || g.PrincipalName != "TEST, ONE" {
				t.Fatalf("invite: %v %+v", err, g)
			}
			_, err = w.svc.Authorize(ctx, hana.ID, pia.PersonID, AppointmentsRead)
			wantCode(t, err, "assistance_grant_pending")
			if _, err := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{AppointmentsRead}}); !apperr.Is(err, "grant_exists") {
				t.Fatalf("second live grant: %v", err)
			}
			if g, err = w.svc.Accept(ctx, by(hana), hana.ID, g.ID); err != nil || g.State != Active {
				t.Fatalf("accept: %v %+v", err, g)
			}
			if _, err := w.svc.Authorize(ctx, hana.ID, pia.PersonID, AppointmentsRead); err != nil {
				t.Fatalf("active grant refused: %v", err)
			}
			_, err = w.svc.Authorize(ctx, hana.ID, pia.PersonID, AppointmentsWrite)
			wantCode(t, err, "assistance_scope_missing")
			switch endBy {
			case "principal":
				_, err = w.svc.EndAsPrincipal(ctx, by(pia), pia.PersonID, g.ID)
			case "helper":
				_, err = w.svc.EndAsHelper(ctx, by(hana), hana.ID, g.ID)
			case "officer":
				_, err = w.svc.EndAsOfficer(ctx, officer, g.ID)
			}
			if err != nil {
				t.Fatalf("end by %s: %v", endBy, err)
			}
			_, err = w.svc.Authorize(ctx, hana.ID, pia.PersonID, AppointmentsRead)
			wantCode(t, err, "assistance_grant_ended")
			_, err = w.svc.EndAsPrincipal(ctx, by(pia), pia.PersonID, g.ID)
			wantCode(t, err, "grant_not_live")
		}
		page, err := w.svc.Helpers(ctx, pia.PersonID, pagingAll)
		if err != nil || len(page.Items) != 3 {
			t.Fatalf("helpers: %v %d", err, len(page.Items))
		}
		events, _ := audit.List(db.Gorm, "assistance_grant", page.Items[0].ID)
		if len(events) != 3 || events[0].Action != "assistance.invite" || events[2].Action != "assistance.end" {
			t.Fatalf("audit: %+v", events)
		}
	})
}

// TestExpiryTakesEffectOnTheNextRequest, with the clock stopped at the
// second before and moved to the expiry.
func TestExpiryTakesEffectOnTheNextRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pia := w.account("pia", RoleResident, w.person(adult))
		hana := w.account("hana", RoleResident, w.person(adult))
		until := t0.Add(48 * time.Hour)
		g, _ := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{ApplicationsRead}, ExpiresAt: &until})
		if _, err := w.svc.Accept(ctx, by(hana), hana.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		w.clk.Set(until.Add(-time.Second))
		if _, err := w.svc.Authorize(ctx, hana.ID, pia.PersonID, ApplicationsRead); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		w.clk.Set(until)
		_, err := w.svc.Authorize(ctx, hana.ID, pia.PersonID, ApplicationsRead)
		wantCode(t, err, "assistance_grant_expired")
		// An expired grant no longer blocks a new invitation.
		if _, err := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{ApplicationsRead}}); err != nil {
			t.Fatalf("invite after expiry: %v", err)
		}
	})
}

// TestExpiredInvitationCannotBeAccepted.
func TestExpiredInvitationCannotBeAccepted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pia := w.account("pia", RoleResident, w.person(adult))
		hana := w.account("hana", RoleResident, w.person(adult))
		until := t0.Add(time.Hour)
		g, _ := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{ApplicationsRead}, ExpiresAt: &until})
		w.clk.Set(until)
		_, err := w.svc.Accept(ctx, by(hana), hana.ID, g.ID)
		wantCode(t, err, "grant_expired")
	})
}

// TestMinorComingOfAge: a parent's grant for a child holds until the day
// before the 18th birthday, lapses on it, and holds again once the
// now-adult confirms it.
func TestMinorComingOfAge(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		birth := calendar.Date{Year: 2012, Month: 6, Day: 15}
		child := w.person(birth)
		parent := w.account("erik", RoleResident, w.person(adult))
		g, err := w.svc.RecordDependant(ctx, officer, child, "erik",
			Terms{Scopes: []Scope{AppointmentsWrite}, Relationship: Parent, Evidence: "birth certificate"})
		if err != nil || g.State != Active || g.LapsesOn == nil || g.LapsesOn.String() != "2030-06-15" {
			t.Fatalf("record: %v %+v", err, g)
		}
		// 2030-06-14 23:59 and 2030-06-15 00:00 in Shanghai.
		w.clk.Set(time.Date(2030, 6, 14, 23, 59, 0, 0, clock.Shanghai()))
		if _, err := w.svc.Authorize(ctx, parent.ID, child, AppointmentsWrite); err != nil {
			t.Fatalf("the day before: %v", err)
		}
		w.clk.Set(time.Date(2030, 6, 15, 0, 0, 0, 0, clock.Shanghai()))
		_, err = w.svc.Authorize(ctx, parent.ID, child, AppointmentsWrite)
		wantCode(t, err, "assistance_grant_lapsed")
		_, err = w.svc.Confirm(ctx, audit.Actor{ID: "stranger"}, w.person(adult), g.ID)
		wantCode(t, err, "grant_not_found")
		if g, err = w.svc.Confirm(ctx, audit.Actor{ID: "linnea"}, child, g.ID); err != nil || g.State != Active || g.ConfirmedAt == nil {
			t.Fatalf("confirm: %v %+v", err, g)
		}
		if _, err := w.svc.Authorize(ctx, parent.ID, child, AppointmentsWrite); err != nil {
			t.Fatalf("after confirmation: %v", err)
		}
		_, err = w.svc.Confirm(ctx, audit.Actor{ID: "linnea"}, child, g.ID)
		wantCode(t, err, "grant_not_confirmable")
	})
}

// TestFriendOfAMinorDoesNotLapse: only a parent's or guardian's grant
// ends with the minority; nor does an adult's.
func TestFriendOfAMinorDoesNotLapse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		w.account("erik", RoleResident, w.person(adult))
		for _, c := range []struct {
			birth calendar.Date
			rel   Relationship
		}{{calendar.Date{Year: 2012, Month: 6, Day: 15}, Friend}, {adult, Parent}} {
			g, err := w.svc.RecordDependant(ctx, officer, w.person(c.birth), "erik",
				Terms{Scopes: []Scope{AppointmentsRead}, Relationship: c.rel, Evidence: "notarised power of attorney"})
			if err != nil || g.LapsesOn != nil {
				t.Fatalf("%s: %v %+v", c.rel, err, g)
			}
		}
	})
}

// TestDependantRequest: pending until an officer decides; a refusal keeps
// its reason in both languages; unmatched details are kept all the same,
// with no person, and can only be refused.
func TestDependantRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		elder := w.person(calendar.Date{Year: 1941, Month: 2, Day: 9})
		friend := w.account("ama", RoleResident, w.person(adult))
		terms := Terms{Scopes: []Scope{AppointmentsWrite, ApplicationsRead}, Relationship: Friend, Evidence: "notarised power of attorney"}
		g, err := w.svc.RequestDependant(ctx, by(friend), friend, Identity{PassportNumber: "P-" + elder}, terms)
		if err != nil || g.State != Pending || g.PrincipalID != elder {
			t.Fatalf("request: %v %+v", err, g)
		}
		_, err = w.svc.Authorize(ctx, friend.ID, elder, AppointmentsWrite)
		wantCode(t, err, "assistance_grant_pending")
		if g, err = w.svc.Approve(ctx, officer, g.ID); err != nil || g.State != Active {
			t.Fatalf("approve: %v %+v", err, g)
		}
		if _, err := w.svc.Authorize(ctx, friend.ID, elder, AppointmentsWrite); err != nil {
			t.Fatalf("approved grant refused: %v", err)
		}
		_, err = w.svc.Approve(ctx, officer, g.ID)
		wantCode(t, err, "grant_not_pending")

		un, err := w.svc.RequestDependant(ctx, by(friend), friend, Identity{PassportNumber: "NOBODY"}, terms)
		if err != nil || un.State != Pending || un.PrincipalID != "" {
			t.Fatalf("unmatched request: %v %+v", err, un)
		}
		_, err = w.svc.Approve(ctx, officer, un.ID)
		wantCode(t, err, "request_unmatched")
		_, err = w.svc.Refuse(ctx, officer, un.ID, i18n.T("", "不符"))
		wantCode(t, err, "invalid_reason")
		_, err = w.svc.Refuse(ctx, officer, un.ID, i18n.T("No match", ""))
		wantCode(t, err, "invalid_reason")
		un, err = w.svc.Refuse(ctx, officer, un.ID, i18n.T("The details match no registered person.", "所填信息与登记人员不符。"))
		if err != nil || un.State != Refused || un.Reason.Zh != "所填信息与登记人员不符。" {
			t.Fatalf("refuse: %v %+v", err, un)
		}
		mine, err := w.svc.Principals(ctx, friend.ID, pagingAll)
		if err != nil || len(mine.Items) != 2 {
			t.Fatalf("principals: %v %+v", err, mine.Items)
		}
	})
}

// TestRefusedRequestIsReported: a refused request is refused with its own
// code, not as if there were no grant.
func TestRefusedRequestIsReported(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		elder := w.person(adult)
		friend := w.account("ama", RoleResident, w.person(adult))
		g, _ := w.svc.RequestDependant(ctx, by(friend), friend, Identity{PassportNumber: "P-" + elder},
			Terms{Scopes: []Scope{AppointmentsRead}, Relationship: Friend, Evidence: "letter"})
		if _, err := w.svc.Refuse(ctx, officer, g.ID, i18n.T("No evidence.", "未提供证明材料。")); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Authorize(ctx, friend.ID, elder, AppointmentsRead)
		wantCode(t, err, "assistance_grant_refused")
	})
}

// TestInputRefusals: one named row per refusal of what a grant is made of.
func TestInputRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pia := w.account("pia", RoleResident, w.person(adult))
		w.account("hana", RoleResident, w.person(adult))
		w.account("staff", "officer", "")
		past := t0.Add(-time.Minute)
		rows := []struct {
			name, username string
			terms          Terms
			code           string
		}{
			{"no scopes", "hana", Terms{}, "invalid_scopes"},
			{"unknown scope", "hana", Terms{Scopes: []Scope{"appointments:delete"}}, "invalid_scopes"},
			{"scope twice", "hana", Terms{Scopes: []Scope{AppointmentsRead, AppointmentsRead}}, "invalid_scopes"},
			{"expiry past", "hana", Terms{Scopes: []Scope{AppointmentsRead}, ExpiresAt: &past}, "invalid_expires_at"},
			{"unknown relationship", "hana", Terms{Scopes: []Scope{AppointmentsRead}, Relationship: "neighbour"}, "invalid_relationship"},
			{"no username", " ", Terms{Scopes: []Scope{AppointmentsRead}}, "invalid_username"},
			{"unknown username", "nobody", Terms{Scopes: []Scope{AppointmentsRead}}, "helper_not_found"},
			{"self", "pia", Terms{Scopes: []Scope{AppointmentsRead}}, "helper_is_self"},
			{"staff helper", "staff", Terms{Scopes: []Scope{AppointmentsRead}}, "helper_not_eligible"},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				_, err := w.svc.Invite(ctx, by(pia), pia.PersonID, r.username, r.terms)
				wantCode(t, err, r.code)
			})
		}
		t.Run("no principal person", func(t *testing.T) {
			_, err := w.svc.Invite(ctx, by(pia), "", "hana", Terms{Scopes: []Scope{AppointmentsRead}})
			wantCode(t, err, "no_person")
		})
		t.Run("dependant without evidence", func(t *testing.T) {
			_, err := w.svc.RecordDependant(ctx, officer, pia.PersonID, "hana", Terms{Scopes: []Scope{AppointmentsRead}, Relationship: Friend})
			wantCode(t, err, "invalid_evidence")
		})
		t.Run("dependant without relationship", func(t *testing.T) {
			_, err := w.svc.RecordDependant(ctx, officer, pia.PersonID, "hana", Terms{Scopes: []Scope{AppointmentsRead}, Evidence: "x"})
			wantCode(t, err, "invalid_relationship")
		})
		t.Run("dependant unknown person", func(t *testing.T) {
			_, err := w.svc.RecordDependant(ctx, officer, uuid.NewString(), "hana",
				Terms{Scopes: []Scope{AppointmentsRead}, Relationship: Friend, Evidence: "x"})
			wantCode(t, err, "person_not_found")
		})
		t.Run("accept someone else's invitation", func(t *testing.T) {
			g, err := w.svc.Invite(ctx, by(pia), pia.PersonID, "hana", Terms{Scopes: []Scope{DocumentsRead}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.svc.Accept(ctx, audit.Actor{ID: pia.ID}, pia.ID, g.ID)
			wantCode(t, err, "grant_not_found")
		})
		t.Run("officer state filter", func(t *testing.T) {
			_, err := w.svc.Find(ctx, Search{State: Expired}, pagingAll)
			wantCode(t, err, "invalid_state")
		})
	})
}

var pagingAll = paging.Request{Limit: 100}
