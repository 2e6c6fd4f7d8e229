package notifications

import (
	"context"
	"testing"
	"time"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestAddAndListPerPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		for i := 0; i < 3; i++ {
			_, err := Add(db.Gorm, now.Add(time.Duration(i)*time.Minute), Notification{
				PersonID: "p1", Kind: "test", Subject: i18n.T("S", "主题"), Body: i18n.T("B", "正文"), Ref: string(rune('a' + i)),
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Add(db.Gorm, now, Notification{PersonID: "p2", Kind: "test"}); err != nil {
			t.Fatal(err)
		}
		s := NewStore(db)
		page, err := s.List(context.Background(), "p1", paging.Request{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.NextCursor == "" || page.Items[0].Ref != "c" {
			t.Fatalf("first page: %+v", page)
		}
		if page.Items[0].Subject.In(i18n.ZH) != "主题" {
			t.Fatal("chinese text lost")
		}
		next, _ := paging.Parse("2", page.NextCursor)
		page2, err := s.List(context.Background(), "p1", next)
		if err != nil {
			t.Fatal(err)
		}
		if len(page2.Items) != 1 || page2.Items[0].Ref != "a" || page2.NextCursor != "" {
			t.Fatalf("second page: %+v", page2)
		}
	})
}

func TestRowMatchesSchema(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		if err := storage.CheckModels(db, &row{}); err != nil {
			t.Fatal(err)
		}
	})
}
