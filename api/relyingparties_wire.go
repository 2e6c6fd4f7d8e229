package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/relyingparties"
)

// partyJSON is a relying party as admins see it; never its key or hash.
type partyJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Sector     string     `json:"sector"`
	KeyPrefix  string     `json:"key_prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	RotatedAt  *time.Time `json:"rotated_at,omitempty"`
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

func partyJSONOf(p relyingparties.Party) partyJSON {
	return partyJSON{ID: p.ID, Name: p.Name, Sector: string(p.Sector), KeyPrefix: p.KeyPrefix,
		CreatedAt: p.CreatedAt, RotatedAt: p.RotatedAt, DisabledAt: p.DisabledAt}
}

// partyKeyJSON is a party with its new API key: the answer to a creation
// or rotation, the only time the key is shown.
type partyKeyJSON struct {
	partyJSON
	APIKey string `json:"api_key"`
}

func partyKeyJSONOf(p relyingparties.WithKey) partyKeyJSON {
	return partyKeyJSON{partyJSON: partyJSONOf(p.Party), APIKey: p.APIKey}
}
