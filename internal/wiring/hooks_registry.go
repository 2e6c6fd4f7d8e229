package wiring

import (
	"time"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/registry"
	"github.com/fprlink/fprlink/internal/storage"
)

// registryHooks are every hook the registry runs for the capabilities that
// rely on its facts, each inside the registry's own transaction: a
// passport or card reported lost or stolen, cancelled, replaced or renewed,
// or a correction of the holder's data, withdraws every e-document that
// says otherwise, with its status-list entry, a notice to the holder and
// an audit row, in the same commit.
func registryHooks() registry.Hooks {
	return registry.Hooks{Changed: []registry.ChangeHook{invalidateDocuments}}
}

func invalidateDocuments(tx storage.Tx, at time.Time, by audit.Actor, changes []registry.Change) error {
	invs := make([]attestations.Invalidation, 0, len(changes))
	for _, c := range changes {
		inv, ok := invalidationOf(c)
		if ok {
			invs = append(invs, inv)
		}
	}
	if len(invs) == 0 {
		return nil
	}
	_, err := attestations.InvalidateTx(tx, at, by, invs)
	return err
}

// causes translates the registry's reasons into the e-documents' causes.
var causes = map[string]string{
	registry.ChangePassportLost:     attestations.CausePassportLost,
	registry.ChangePassportStolen:   attestations.CausePassportStolen,
	registry.ChangePassportReplaced: attestations.CausePassportReplaced,
	registry.ChangeCardLost:         attestations.CauseCardLost,
	registry.ChangeCardStolen:       attestations.CauseCardStolen,
	registry.ChangeCardCancelled:    attestations.CauseCardCancelled,
	registry.ChangeCardReplaced:     attestations.CauseCardReplaced,
	registry.ChangeCardRenewed:      attestations.CauseCardRenewed,
	registry.ChangePersonData:       attestations.CauseHolderChanged,
}

// holderFields translates the person's fields an e-document can carry; a
// field absent here (the contact on record) is on no document.
var holderFields = map[string]string{
	registry.FieldSurname:     attestations.FieldSurname,
	registry.FieldGivenNames:  attestations.FieldGivenNames,
	registry.FieldChineseName: attestations.FieldChineseName,
	registry.FieldSex:         attestations.FieldSex,
	registry.FieldBirthDate:   attestations.FieldBirthDate,
	registry.FieldNationality: attestations.FieldNationality,
}

// invalidationOf is the invalidation a registry change calls for; false
// when it touches nothing a document carries.
func invalidationOf(c registry.Change) (attestations.Invalidation, bool) {
	cause, ok := causes[c.Reason]
	if !ok {
		return attestations.Invalidation{}, false
	}
	inv := attestations.Invalidation{PersonID: c.PersonID, Cause: cause,
		PassportNumber: c.PassportNumber, CardNumber: c.CardNumber}
	for _, f := range c.Fields {
		if g, ok := holderFields[f]; ok {
			inv.Fields = append(inv.Fields, g)
		}
	}
	if inv.PassportNumber == "" && inv.CardNumber == "" && len(inv.Fields) == 0 {
		return inv, false
	}
	return inv, true
}
