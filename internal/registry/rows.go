package registry

import (
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
)

// personRow, passportRow and cardRow are the stored forms; the exported
// types above are what the rest of the service sees.
type personRow struct {
	ID          string `gorm:"primaryKey"`
	Surname     string
	GivenNames  string
	ChineseName string
	Sex         string
	BirthDate   string
	Nationality string
	Mobile      string
	Email       string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (personRow) TableName() string { return "persons" }

type passportRow struct {
	ID           string `gorm:"primaryKey"`
	PersonID     string
	Number       string
	IssuingState string
	IssueDate    string
	ExpiryDate   string
	Status       string
	MRZ          *string `gorm:"column:mrz"`
	ReplacesID   *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (passportRow) TableName() string { return "passports" }

type cardRow struct {
	ID          string `gorm:"primaryKey"`
	PersonID    string
	Number      string
	Version     int
	IssueNo     int
	IssueReason string
	IssueDate   string
	ExpiryDate  string
	Status      string
	ReplacesID  *string
	// PrintedName is the name as printed on the card; empty when it is
	// the MRZ name.
	PrintedName string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (cardRow) TableName() string { return "fpr_cards" }

// date reads a stored civil date; the schema only ever holds ones written
// by this package, so a parse failure yields the zero date.
func date(s string) calendar.Date {
	d, _ := calendar.ParseDate(s)
	return d
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (r personRow) person() Person {
	return Person{ID: r.ID, Surname: r.Surname, GivenNames: r.GivenNames, ChineseName: r.ChineseName,
		Sex: r.Sex, BirthDate: date(r.BirthDate), Nationality: r.Nationality, Mobile: r.Mobile, Email: r.Email,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func (r passportRow) passport(today calendar.Date) Passport {
	p := Passport{ID: r.ID, PersonID: r.PersonID, Number: r.Number, IssuingState: r.IssuingState,
		IssueDate: date(r.IssueDate), ExpiryDate: date(r.ExpiryDate), Status: r.Status,
		MRZ: deref(r.MRZ), ReplacesID: deref(r.ReplacesID), CreatedAt: r.CreatedAt.UTC()}
	if p.Status == StatusValid && p.ExpiryDate.Before(today) {
		p.Status = StatusExpired
	}
	return p
}

func (r cardRow) card() FPRCard {
	return FPRCard{ID: r.ID, PersonID: r.PersonID, Number: r.Number, Version: r.Version,
		IssueNo: r.IssueNo, IssueReason: r.IssueReason, IssueDate: date(r.IssueDate), ExpiryDate: date(r.ExpiryDate), Status: r.Status,
		ReplacesID: deref(r.ReplacesID), PrintedName: r.PrintedName, CreatedAt: r.CreatedAt.UTC()}
}
