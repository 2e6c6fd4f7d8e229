package applications

import (
	"context"
	"testing"

	"github.com/fprlink/fprlink/internal/paging"
)

// TestApplicationsNameTheirCentre: every answer about an application says
// where it is handled, from the directory as it is now; one at a centre no
// longer listed says so rather than failing.
func TestApplicationsNameTheirCentre(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		ctx := context.Background()
		want := func(what string, got Centre, id string) {
			t.Helper()
			if c := testCentres()[id]; got != c {
				t.Errorf("%s: centre %+v, want %+v", what, got, c)
			}
		}
		rec := e.register(t, alice, "visa_extension", centreBJ)
		want("Register", rec.Centre, centreBJ)
		other := e.register(t, alice, "residence_work", centreSH)
		got, err := e.svc.Get(ctx, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		want("Get", got.Centre, centreBJ)
		own, err := e.svc.Own(ctx, alice, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		want("Own", own.Centre, centreBJ)
		page, err := e.svc.ListOwn(ctx, alice, paging.Request{Limit: 10})
		if err != nil || len(page.Items) != 2 {
			t.Fatalf("ListOwn: %+v %v", page, err)
		}
		want("ListOwn newest", page.Items[0].Centre, centreSH)
		want("ListOwn oldest", page.Items[1].Centre, centreBJ)
		found, err := e.svc.Search(ctx, Filter{CentreID: centreSH}, paging.Request{Limit: 10})
		if err != nil || len(found.Items) != 1 {
			t.Fatalf("Search: %+v %v", found, err)
		}
		want("Search", found.Items[0].Centre, centreSH)
		pub, err := e.svc.Inquire(ctx, Inquiry{Number: other.Number, PassportNumber: "E12345678", BirthDate: date(t, "1990-04-01")})
		if err != nil {
			t.Fatal(err)
		}
		want("Inquire", pub.Centre, centreSH)
		moved := e.move(t, rec.Number, Accepted)
		want("AddEvent", moved.Centre, centreBJ)
		delete(e.dir.centres, centreSH)
		gone, err := e.svc.Get(ctx, other.Number)
		if err != nil || gone.Centre.Name != unlistedCentre || gone.Centre.Address.En != "" {
			t.Fatalf("application at a centre gone: %+v %v", gone.Centre, err)
		}
	})
}
