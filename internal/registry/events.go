package registry

import (
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/storage"
)

// Hooks are what the capabilities that rely on the registry's facts run
// inside the registry's own transactions, so that they follow a change
// atomically or refuse it: e-documents signed on a passport that is now
// reported lost are withdrawn in the same commit. They are given to New
// and never change afterwards; package wiring builds them for the binary.
type Hooks struct {
	// Changed run, in order, after a change that makes something recorded
	// earlier about a person untrue.
	Changed []ChangeHook
}

// ChangeHook runs inside the transaction of a registry change, after it:
// at is when the change was made and by who made it. An error rolls the
// change back.
type ChangeHook func(tx storage.Tx, at time.Time, by audit.Actor, changes []Change) error

// Change is one fact about a person that stopped being true.
type Change struct {
	PersonID string
	Reason   string // one of the Change* reasons
	// PassportNumber is the passport concerned by a Passport* reason.
	PassportNumber string
	// CardNumber is the card concerned by a Card* reason. The card's
	// previous issues end with it: a 2023 card keeps its number through
	// renewals and replacements.
	CardNumber string
	// Fields are the person's fields that changed (Field*), for
	// ChangePersonData.
	Fields []string
}

// Reasons of a change.
const (
	ChangePassportLost     = "passport_lost"
	ChangePassportStolen   = "passport_stolen"
	ChangePassportReplaced = "passport_replaced" // a newer passport was recorded
	ChangeCardLost         = "fpr_card_lost"
	ChangeCardStolen       = "fpr_card_stolen"
	ChangeCardCancelled    = "fpr_card_cancelled"
	ChangeCardReplaced     = "fpr_card_replaced" // a new card, or a replacement of a damaged one
	ChangeCardRenewed      = "fpr_card_renewed"
	ChangePersonData       = "person_data"
)

// The person's fields, as Change.Fields names them.
const (
	FieldSurname     = "surname"
	FieldGivenNames  = "given_names"
	FieldChineseName = "chinese_name"
	FieldSex         = "sex"
	FieldBirthDate   = "birth_date"
	FieldNationality = "nationality"
	FieldMobile      = "mobile"
	FieldEmail       = "email"
)

// changedFields lists the fields in which after differs from before.
func changedFields(before, after Person) []string {
	var out []string
	for _, f := range []struct {
		name string
		diff bool
	}{
		{FieldSurname, before.Surname != after.Surname},
		{FieldGivenNames, before.GivenNames != after.GivenNames},
		{FieldChineseName, before.ChineseName != after.ChineseName},
		{FieldSex, before.Sex != after.Sex},
		{FieldBirthDate, before.BirthDate != after.BirthDate},
		{FieldNationality, before.Nationality != after.Nationality},
		{FieldMobile, before.Mobile != after.Mobile},
		{FieldEmail, before.Email != after.Email},
	} {
		if f.diff {
			out = append(out, f.name)
		}
	}
	return out
}

// statusChange is the reason a document's new status gives.
func statusChange(table, status string) string {
	if table == "passports" {
		return map[string]string{StatusLost: ChangePassportLost, StatusStolen: ChangePassportStolen}[status]
	}
	return map[string]string{StatusLost: ChangeCardLost, StatusStolen: ChangeCardStolen,
		StatusCancelled: ChangeCardCancelled}[status]
}

// changed runs the Changed hooks in tx; nothing runs for no change.
func (h Hooks) changed(tx *gorm.DB, at time.Time, by audit.Actor, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	for _, hook := range h.Changed {
		if err := hook(storage.TxOf(tx), at, by, changes); err != nil {
			return err
		}
	}
	return nil
}
