package edoc

import "slices"

// Purposes: the sector of relying party a purpose-bound document is for,
// written in its aud claim.
const (
	PurposeBank           = "bank"
	PurposeTax            = "tax"
	PurposeTelecom        = "telecom"
	PurposeSocialSecurity = "social_security"
)

// Purposes lists every purpose in a stable order.
func Purposes() []string {
	return []string{PurposeBank, PurposeTax, PurposeTelecom, PurposeSocialSecurity}
}

// Passport and card member names, as in the claims JSON.
const (
	FieldNumber         = "number"
	FieldIssuingState   = "issuing_state"
	FieldNationality    = "nationality"
	FieldSurname        = "surname"
	FieldGivenNames     = "given_names"
	FieldBirthDate      = "birth_date"
	FieldSex            = "sex"
	FieldExpiryDate     = "expiry_date"
	FieldVersion        = "version"
	FieldIssueDate      = "issue_date"
	FieldPreviousNumber = "previous_number"
)

// PurposeFields lists the passport and FPR card members a document for
// purpose carries, and false for an unknown purpose. The holder's Chinese
// name goes with the MRZ names to every purpose. It is a function, not a
// package map, so nothing can change the policy at run time; relying parties
// may read it to know what a document for them holds.
func PurposeFields(purpose string) (passport, card []string, ok bool) {
	switch purpose {
	case PurposeBank:
		// Customer due diligence needs the full identity, and the previous
		// documents to match a customer the bank already knows.
		return []string{FieldNumber, FieldIssuingState, FieldNationality, FieldSurname, FieldGivenNames,
				FieldBirthDate, FieldSex, FieldExpiryDate, FieldPreviousNumber},
			[]string{FieldNumber, FieldVersion, FieldIssueDate, FieldExpiryDate, FieldPreviousNumber}, true
	case PurposeTax:
		// The FPR card number is the taxpayer identifier; name and birth
		// date match the filing.
		return []string{FieldNationality, FieldSurname, FieldGivenNames, FieldBirthDate},
			[]string{FieldNumber}, true
	case PurposeTelecom:
		// Real-name registration of a phone number.
		return []string{FieldNationality, FieldSurname, FieldGivenNames},
			[]string{FieldNumber, FieldExpiryDate}, true
	case PurposeSocialSecurity:
		// Enrolment needs identity, sex for the scheme, and how long the
		// residence right lasts.
		return []string{FieldNationality, FieldSurname, FieldGivenNames, FieldBirthDate, FieldSex},
			[]string{FieldNumber, FieldIssueDate, FieldExpiryDate}, true
	}
	return nil, nil, false
}

// Fields returns p's members by name, empty ones included.
func (p Passport) Fields() map[string]string {
	return map[string]string{
		FieldNumber: p.Number, FieldIssuingState: p.IssuingState, FieldNationality: p.Nationality,
		FieldSurname: p.Surname, FieldGivenNames: p.GivenNames, FieldBirthDate: p.BirthDate,
		FieldSex: p.Sex, FieldExpiryDate: p.ExpiryDate, FieldPreviousNumber: p.PreviousNumber,
	}
}

// Fields returns c's members by name, empty ones included.
func (c FPRCard) Fields() map[string]string {
	return map[string]string{
		FieldNumber: c.Number, FieldVersion: c.Version, FieldIssueDate: c.IssueDate,
		FieldExpiryDate: c.ExpiryDate, FieldPreviousNumber: c.PreviousNumber,
	}
}

// ForPurpose returns c with aud set to purpose, the purpose-bound type, and
// every passport and card member the purpose does not need cleared, so it
// is never signed. It returns false for an unknown purpose.
func (c Claims) ForPurpose(purpose string) (Claims, bool) {
	pf, cf, ok := PurposeFields(purpose)
	if !ok {
		return Claims{}, false
	}
	c.Type, c.Audience = DocumentTypePurpose, purpose
	keep := func(name string, fields []string, v *string) {
		if !slices.Contains(fields, name) {
			*v = ""
		}
	}
	p, k := &c.Passport, &c.Card
	for name, v := range map[string]*string{
		FieldNumber: &p.Number, FieldIssuingState: &p.IssuingState, FieldNationality: &p.Nationality,
		FieldSurname: &p.Surname, FieldGivenNames: &p.GivenNames, FieldBirthDate: &p.BirthDate,
		FieldSex: &p.Sex, FieldExpiryDate: &p.ExpiryDate, FieldPreviousNumber: &p.PreviousNumber,
	} {
		keep(name, pf, v)
	}
	for name, v := range map[string]*string{
		FieldNumber: &k.Number, FieldVersion: &k.Version, FieldIssueDate: &k.IssueDate,
		FieldExpiryDate: &k.ExpiryDate, FieldPreviousNumber: &k.PreviousNumber,
	} {
		keep(name, cf, v)
	}
	return c, true
}
