package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/registry"
)

// The JSON shapes of registry records; the registry's own types carry no
// wire format.

type personJSON struct {
	ID          string `json:"id"`
	Surname     string `json:"surname"`
	GivenNames  string `json:"given_names"`
	ChineseName string `json:"chinese_name,omitempty"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
	// NationalityName is the nationality's name in the reader's language;
	// empty for a code the country table does not know.
	NationalityName string `json:"nationality_name,omitempty"`
	// ChineseNationality flags a record whose nationality is Chinese (CHN,
	// HKG, MAC, TWN): kept so that it can be corrected, it can carry no
	// FPR card or e-document, and NationalityNotice says why.
	ChineseNationality bool      `json:"chinese_nationality,omitempty"`
	NationalityNotice  string    `json:"nationality_notice,omitempty"`
	Mobile             string    `json:"mobile,omitempty"`
	Email              string    `json:"email,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

func toPersonJSON(p registry.Person, lang i18n.Lang) personJSON {
	return personJSON{ID: p.ID, Surname: p.Surname, GivenNames: p.GivenNames, ChineseName: p.ChineseName,
		Sex: p.Sex, BirthDate: p.BirthDate.String(), Nationality: p.Nationality,
		NationalityName: countryName(p.Nationality, lang), ChineseNationality: docnum.ChineseNationality(p.Nationality),
		NationalityNotice: docnum.ChineseNationalityNotice(p.Nationality).In(lang), Mobile: p.Mobile, Email: p.Email,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

type passportJSON struct {
	ID           string `json:"id"`
	PersonID     string `json:"person_id"`
	Number       string `json:"number"`
	IssuingState string `json:"issuing_state"`
	// IssuingStateName is the issuer's name in the reader's language.
	IssuingStateName string    `json:"issuing_state_name,omitempty"`
	IssueDate        string    `json:"issue_date"`
	ExpiryDate       string    `json:"expiry_date"`
	Status           string    `json:"status"`
	StatusLabel      string    `json:"status_label"`
	MRZ              string    `json:"mrz,omitempty"`
	ReplacesID       string    `json:"replaces_id,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
}

func toPassportJSON(p registry.Passport, lang i18n.Lang) passportJSON {
	return passportJSON{ID: p.ID, PersonID: p.PersonID, Number: p.Number, IssuingState: p.IssuingState,
		IssuingStateName: countryName(p.IssuingState, lang), IssueDate: p.IssueDate.String(), ExpiryDate: p.ExpiryDate.String(), Status: p.Status,
		StatusLabel: registry.StatusLabel(p.Status).In(lang), MRZ: p.MRZ,
		ReplacesID: p.ReplacesID, CreatedAt: p.CreatedAt}
}

type fprCardJSON struct {
	ID               string    `json:"id"`
	PersonID         string    `json:"person_id"`
	Number           string    `json:"number"`
	Version          int       `json:"version"`
	IssueNo          int       `json:"issue_no"`
	IssueReason      string    `json:"issue_reason"`
	IssueReasonLabel string    `json:"issue_reason_label"`
	IssueDate        string    `json:"issue_date"`
	ExpiryDate       string    `json:"expiry_date"`
	Status           string    `json:"status"`
	StatusLabel      string    `json:"status_label"`
	ReplacesID       string    `json:"replaces_id,omitempty"`
	Replaced         []string  `json:"replaced_numbers,omitempty"`
	PrintedName      string    `json:"printed_name,omitempty"`
	CreatedAt        time.Time `json:"created_at"`
}

func toFPRCardJSON(c registry.FPRCard, lang i18n.Lang) fprCardJSON {
	return fprCardJSON{ID: c.ID, PersonID: c.PersonID, Number: c.Number, Version: c.Version,
		IssueNo: c.IssueNo, IssueReason: c.IssueReason, IssueReasonLabel: registry.IssueLabel(c.IssueReason).In(lang),
		IssueDate: c.IssueDate.String(), ExpiryDate: c.ExpiryDate.String(), Status: c.Status,
		StatusLabel: registry.StatusLabel(c.Status).In(lang),
		ReplacesID:  c.ReplacesID, Replaced: c.Replaced, PrintedName: c.PrintedName, CreatedAt: c.CreatedAt}
}

type personRecordJSON struct {
	personJSON
	Passports []passportJSON `json:"passports"`
	FPRCards  []fprCardJSON  `json:"fpr_cards"`
}

func toRecordJSON(r registry.Record, lang i18n.Lang) personRecordJSON {
	out := personRecordJSON{personJSON: toPersonJSON(r.Person, lang),
		Passports: make([]passportJSON, len(r.Passports)), FPRCards: make([]fprCardJSON, len(r.FPRCards))}
	for i, p := range r.Passports {
		out.Passports[i] = toPassportJSON(p, lang)
	}
	for i, c := range r.FPRCards {
		out.FPRCards[i] = toFPRCardJSON(c, lang)
	}
	return out
}

// meResponse is the signed-in account and, for a resident, its person.
type meResponse struct {
	AccountID string      `json:"account_id"`
	Username  string      `json:"username"`
	Role      string      `json:"role"`
	Person    *personJSON `json:"person"`
}

// importResultJSON counts what a registry import did.
type importResultJSON struct {
	Lines     int `json:"lines"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// countryName is the name of an ISO or ICAO country code in lang, or empty
// when the table does not know the code.
func countryName(code string, lang i18n.Lang) string {
	if n, ok := docnum.CountryName(code); ok {
		return n.In(lang)
	}
	return ""
}
