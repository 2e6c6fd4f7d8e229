package demo

import (
	"context"
	"fmt"

	"github.com/fprlink/fprlink/internal/assistance"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
)

// Grants is what seeding needs of assistance; *assistance.Service
// implements it.
type Grants interface {
	RecordDependant(ctx context.Context, by audit.Actor, personID, helperUsername string, t assistance.Terms) (assistance.Grant, error)
	Helpers(ctx context.Context, personID string, p paging.Request) (paging.Page[assistance.Grant], error)
}

var _ Grants = (*assistance.Service)(nil)

// demoGrants are the helpers of the two demo persons without an account:
// erik for his daughter, as her parent (the grant lapses when she turns
// 18), and aigerim for the elderly neighbour she helps, as a friend.
var demoGrants = []struct {
	label, helper string
	terms         assistance.Terms
}{
	{"child", "erik", assistance.Terms{Scopes: assistance.Scopes, Relationship: assistance.Parent,
		Evidence: "birth certificate (demo)"}},
	{"elderly", "aigerim", assistance.Terms{Scopes: []assistance.Scope{assistance.AppointmentsRead, assistance.AppointmentsWrite,
		assistance.ApplicationsRead}, Relationship: assistance.Friend, Evidence: "notarised power of attorney (demo)"}},
}

// SeedGrants records the demo grants, once: a person who already has a
// live grant for the same helper is left as they are.
func SeedGrants(ctx context.Context, res *Result, g Grants) error {
	for _, d := range demoGrants {
		person := res.PersonID(d.label)
		if person == "" {
			return fmt.Errorf("demo: no %s to grant", d.label)
		}
		page, err := g.Helpers(ctx, person, paging.Request{Limit: 100})
		if err != nil {
			return fmt.Errorf("demo: grants of %s: %w", d.label, err)
		}
		held := false
		for _, gr := range page.Items {
			held = held || (gr.HelperUsername == d.helper && (gr.State == assistance.Active || gr.State == assistance.Pending))
		}
		if held {
			continue
		}
		if _, err := g.RecordDependant(ctx, audit.System, person, d.helper, d.terms); err != nil {
			return fmt.Errorf("demo: grant for %s: %w", d.label, err)
		}
	}
	return nil
}
