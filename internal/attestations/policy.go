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
	ExpiresAt      time.Time
	Passport       map[string]string
	FPRCard        map[string]string
}

// sectorPolicy lists the passport and card fields a sector may see. It is
// a function, not a package map, so nothing can change the policy at run
// time.
func sectorPolicy(s relyingparties.Sector) (passport, card []string) {
	switch s {
	case relyingparties.SectorBank:
		// Customer due diligence needs the full identity.
		return []string{"number", "issuing_state", "nationality", "surname", "given_names", "birth_date", "sex", "expiry_date"},
			[]string{"number", "version", "issue_date", "expiry_date"}
	case relyingparties.SectorTax:
		// The FPR card number is the taxpayer identifier; name and birth
		// date match the filing.
		return []string{"nationality", "surname", "given_names", "birth_date"},
			[]string{"number"}
	case relyingparties.SectorTelecom:
		// Real-name registration of a phone number.
		return []string{"nationality", "surname", "given_names"},
			[]string{"number", "expiry_date"}
	case relyingparties.SectorSocialSecurity:
		// Enrolment needs identity, sex for the scheme, and how long the
		// residence right lasts.
		return []string{"nationality", "surname", "given_names", "birth_date", "sex"},
			[]string{"number", "issue_date", "expiry_date"}
	}
	return nil, nil
}

// viewFor keeps the fields the sector may see.
func viewFor(s relyingparties.Sector, c *edoc.Claims) *DocumentView {
	pf, cf := sectorPolicy(s)
	p := map[string]string{
		"number": c.Passport.Number, "issuing_state": c.Passport.IssuingState,
		"nationality": c.Passport.Nationality, "surname": c.Passport.Surname,
		"given_names": c.Passport.GivenNames, "birth_date": c.Passport.BirthDate,
		"sex": c.Passport.Sex, "expiry_date": c.Passport.ExpiryDate,
	}
	k := map[string]string{
		"number": c.Card.Number, "version": c.Card.Version,
		"issue_date": c.Card.IssueDate, "expiry_date": c.Card.ExpiryDate,
	}
	return &DocumentView{
		DocumentNumber: c.ID, ExpiresAt: time.Unix(c.Expiry, 0).UTC(),
		Passport: pick(p, pf), FPRCard: pick(k, cf),
	}
}

func pick(all map[string]string, keys []string) map[string]string {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[k] = all[k]
	}
	return out
}
