package attestations

import (
	"time"

	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// DocumentView is the part of a verified document a relying party gets:
// only the fields its sector needs (docs/VERIFY-API.md has the table).
type DocumentView struct {
	DocumentNumber string
	// Purpose is the sector the document was issued for; empty for a
	// document of the first format version, which names none.
	Purpose     string
	ChineseName string
	ExpiresAt   time.Time
	Passport    map[string]string
	FPRCard     map[string]string
}

// sectorPolicy lists the passport and card fields a sector may see: the
// fields a document for that purpose carries (edoc.PurposeFields), so the
// answer of the verify API and the signed payload agree. A first-version
// document carries every field and is cut down here.
func sectorPolicy(s relyingparties.Sector) (passport, card []string) {
	p, c, _ := edoc.PurposeFields(string(s))
	return p, c
}

// viewFor keeps the fields the sector may see; a member the document does
// not carry (a previous number the holder never had) is left out.
func viewFor(s relyingparties.Sector, c *edoc.Claims) *DocumentView {
	pf, cf := sectorPolicy(s)
	return &DocumentView{
		DocumentNumber: c.ID, Purpose: c.Audience, ChineseName: c.ChineseName,
		ExpiresAt: time.Unix(c.Expiry, 0).UTC(),
		Passport:  pick(c.Passport.Fields(), pf), FPRCard: pick(c.Card.Fields(), cf),
	}
}

func pick(all map[string]string, keys []string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if v := all[k]; v != "" || k != edoc.FieldPreviousNumber {
			out[k] = v
		}
	}
	return out
}
