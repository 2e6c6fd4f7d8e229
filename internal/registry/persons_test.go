package registry

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestRowsMatchSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &personRow{}, &passportRow{}, &cardRow{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCreatePersonNormalisesAndAudits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		p, err := s.CreatePerson(context.Background(), officer, PersonInput{Surname: " müller ", GivenNames: "anna-maria  o'neil",
			ChineseName: "穆安娜", Sex: "f", BirthDate: "1990-06-15", Nationality: "d<<"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Surname != "MUELLER" || p.GivenNames != "ANNA MARIA ONEIL" || p.Sex != "F" || p.Nationality != "DEU" {
			t.Fatalf("not normalised: %+v", p)
		}
		got, err := s.Person(context.Background(), p.ID)
		if err != nil || got != p {
			t.Fatalf("read back %+v, %v", got, err)
		}
		ev, _ := audit.List(db.Gorm, "person", p.ID)
		if len(ev) != 1 || ev[0].Action != "person.create" || ev[0].ActorID != "officer-1" || ev[0].RequestID != "req-test-1" {
			t.Fatalf("audit: %+v", ev)
		}
	})
}

func TestCreatePersonRejects(t *testing.T) {
	good := PersonInput{Surname: "DOE", GivenNames: "JANE", Sex: "F", BirthDate: "1980-01-01", Nationality: "USA"}
	tests := []struct {
		name  string
		edit  func(*PersonInput)
		field string
	}{
		{"surname missing", func(p *PersonInput) { p.Surname = "  " }, "surname"},
		{"surname only punctuation", func(p *PersonInput) { p.Surname = "'-." }, "surname"},
		{"surname with digits", func(p *PersonInput) { p.Surname = "DOE2" }, "surname"},
		{"surname too long", func(p *PersonInput) { p.Surname = "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ" }, "surname"},
		{"surname transliterated too long", func(p *PersonInput) { p.Surname = "ÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜÜ" }, "surname"},
		{"given names in Greek", func(p *PersonInput) { p.GivenNames = "ΙΩΑΝΝΗΣ" }, "given_names"},
		{"given names with a symbol", func(p *PersonInput) { p.GivenNames = "JANE+MARY" }, "given_names"},
		{"chinese name too long", func(p *PersonInput) {
			p.ChineseName = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"
		}, "chinese_name"},
		{"sex unknown", func(p *PersonInput) { p.Sex = "Q" }, "sex"},
		{"nationality unknown", func(p *PersonInput) { p.Nationality = "ZZZ" }, "nationality"},
		{"nationality specimen", func(p *PersonInput) { p.Nationality = "UTO" }, "nationality"},
		{"birth date malformed", func(p *PersonInput) { p.BirthDate = "01/01/1980" }, "birth_date"},
		{"birth date impossible", func(p *PersonInput) { p.BirthDate = "1980-02-30" }, "birth_date"},
		{"birth date in the future", func(p *PersonInput) { p.BirthDate = "2026-03-02" }, "birth_date"},
		{"birth date before 1900", func(p *PersonInput) { p.BirthDate = "1899-12-31" }, "birth_date"},
	}
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := good
				tt.edit(&in)
				_, err := s.CreatePerson(context.Background(), officer, in)
				wantField(t, err, tt.field)
				if n := count(t, db, "persons"); n != 0 {
					t.Fatalf("%d persons stored", n)
				}
			})
		}
	})
}

func TestPersonsPaginate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		for i := 0; i < 5; i++ {
			if _, err := s.CreatePerson(context.Background(), officer, PersonInput{Surname: "P" + spell(i), Sex: "X",
				BirthDate: "2000-01-01", Nationality: "FRA"}); err != nil {
				t.Fatal(err)
			}
		}
		var seen []string
		req := paging.Request{Limit: 2}
		for pages := 0; pages < 5; pages++ {
			page, err := s.Persons(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				seen = append(seen, p.Surname)
			}
			if page.NextCursor == "" {
				break
			}
			req, _ = paging.Parse("2", page.NextCursor)
		}
		if len(seen) != 5 || seen[0] != "PA" || seen[4] != "PE" {
			t.Fatalf("pages: %v", seen)
		}
	})
}

func TestUpdatePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newService(db)
		ctx := context.Background()
		p, _, _ := seedPerson(t, s)
		name := "faisal ahmed"
		got, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{GivenNames: &name})
		if err != nil || got.GivenNames != "FAISAL AHMED" || got.Surname != p.Surname {
			t.Fatalf("update: %+v %v", got, err)
		}
		ev, _ := audit.List(db.Gorm, "person", p.ID)
		last := ev[len(ev)-1]
		if last.Action != "person.update" || last.BeforeJSON == nil || last.AfterJSON == nil {
			t.Fatalf("audit: %+v", last)
		}
		t.Run("no change writes nothing", func(t *testing.T) {
			before := count(t, db, "audit_events")
			if _, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{GivenNames: &name}); err != nil {
				t.Fatal(err)
			}
			if count(t, db, "audit_events") != before {
				t.Fatal("audit row for a no-op")
			}
		})
		t.Run("contradicts valid card", func(t *testing.T) {
			birth := "1985-01-02"
			_, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{BirthDate: &birth})
			wantCode(t, err, "fpr_card_disagrees")
		})
		t.Run("invalid field", func(t *testing.T) {
			sex := "?"
			_, err := s.UpdatePerson(ctx, officer, p.ID, PersonPatch{Sex: &sex})
			wantField(t, err, "sex")
		})
		t.Run("unknown person", func(t *testing.T) {
			_, err := s.UpdatePerson(ctx, officer, "nobody", PersonPatch{GivenNames: &name})
			wantCode(t, err, "person_not_found")
		})
	})
}
