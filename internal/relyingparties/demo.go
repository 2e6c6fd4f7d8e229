package relyingparties

import (
	"context"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/paging"
)

// DemoParty is one entry of demo.json's "relying_parties".
type DemoParty struct {
	Name   string `json:"name"`
	Sector Sector `json:"sector"`
	APIKey string `json:"api_key"`
}

// demoNames are invented organisations, one per sector.
var demoNames = map[Sector]string{
	SectorBank:           "Demo Commercial Bank",
	SectorTax:            "Demo Municipal Tax Bureau",
	SectorTelecom:        "Demo Mobile Telecom",
	SectorSocialSecurity: "Demo Social Security Centre",
}

// SeedDemo makes sure there is one enabled demo relying party per sector
// and returns their keys for demo.json. Keys are shown only once, so a
// demo party already on record (demo.json was lost) gets a new key by
// rotation rather than a duplicate party.
func SeedDemo(ctx context.Context, s *Service) ([]DemoParty, error) {
	existing := map[Sector]Party{}
	for page := (paging.Request{Limit: paging.MaxLimit}); ; {
		got, err := s.List(ctx, page)
		if err != nil {
			return nil, err
		}
		for _, p := range got.Items {
			if p.DisabledAt == nil && p.Name == demoNames[p.Sector] {
				existing[p.Sector] = p
			}
		}
		if got.NextCursor == "" {
			break
		}
		if page, err = paging.Parse("", got.NextCursor); err != nil {
			return nil, err
		}
		page.Limit = paging.MaxLimit
	}
	out := make([]DemoParty, 0, len(Sectors))
	for _, sec := range Sectors {
		var p WithKey
		var err error
		if cur, ok := existing[sec]; ok {
			p, err = s.Rotate(ctx, audit.System, cur.ID)
		} else {
			p, err = s.Create(ctx, audit.System, CreateRequest{Name: demoNames[sec], Sector: sec})
		}
		if err != nil {
			return nil, err
		}
		out = append(out, DemoParty{Name: p.Name, Sector: p.Sector, APIKey: p.APIKey})
	}
	return out, nil
}
