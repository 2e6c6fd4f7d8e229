package relyingparties

import (
	"context"

	"github.com/fprlink/fprlink/internal/audit"
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

// SeedDemo creates one relying party per sector and returns their keys for
// demo.json. Each call creates new parties with new keys.
func SeedDemo(ctx context.Context, s *Service) ([]DemoParty, error) {
	out := make([]DemoParty, 0, len(Sectors))
	for _, sec := range Sectors {
		p, err := s.Create(ctx, audit.System, "", CreateRequest{Name: demoNames[sec], Sector: sec})
		if err != nil {
			return nil, err
		}
		out = append(out, DemoParty{Name: p.Name, Sector: p.Sector, APIKey: p.APIKey})
	}
	return out, nil
}
