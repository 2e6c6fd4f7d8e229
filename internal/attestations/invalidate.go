package attestations

import (
	"fmt"
	"slices"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
	"github.com/fprlink/fprlink/internal/statuslists"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/issuer/edoc"
)

// Causes of an invalidation: a registry event made something a document
// says untrue.
const (
	CausePassportLost     = "passport_lost"
	CausePassportStolen   = "passport_stolen"
	CausePassportReplaced = "passport_replaced"
	CauseCardLost         = "fpr_card_lost"
	CauseCardStolen       = "fpr_card_stolen"
	CauseCardCancelled    = "fpr_card_cancelled"
	CauseCardReplaced     = "fpr_card_replaced"
	CauseCardRenewed      = "fpr_card_renewed"
	CauseHolderChanged    = "holder_data_changed"
)

var causeLabels = map[string]i18n.Text{
	CausePassportLost:     i18n.T("passport reported lost", "护照已挂失"),
	CausePassportStolen:   i18n.T("passport reported stolen", "护照已报被盗"),
	CausePassportReplaced: i18n.T("passport replaced by a newer one", "护照已换发新证"),
	CauseCardLost:         i18n.T("FPR card reported lost", "永久居留身份证已挂失"),
	CauseCardStolen:       i18n.T("FPR card reported stolen", "永久居留身份证已报被盗"),
	CauseCardCancelled:    i18n.T("FPR card cancelled", "永久居留身份证已注销"),
	CauseCardReplaced:     i18n.T("FPR card replaced by a new card", "永久居留身份证已换发新证"),
	CauseCardRenewed:      i18n.T("FPR card renewed", "永久居留身份证已期满换发"),
	CauseHolderChanged:    i18n.T("holder's registered details corrected", "持证人登记信息已更正"),
}

// CauseLabel words why a document was invalidated.
func CauseLabel(cause string) i18n.Text { return i18n.Label(causeLabels, cause) }

// The holder's data a document may carry, as Invalidation.Fields names
// them: the passport claims of the same names, and the Chinese name.
const (
	FieldSurname     = edoc.FieldSurname
	FieldGivenNames  = edoc.FieldGivenNames
	FieldSex         = edoc.FieldSex
	FieldBirthDate   = edoc.FieldBirthDate
	FieldNationality = edoc.FieldNationality
	FieldChineseName = "chinese_name"
)

// carries reports whether a document issued for purpose signs the holder's
// field: a purpose-bound document signs only its sector's passport claims
// (edoc.PurposeFields) and the Chinese name, a document of the first
// version (no purpose) every passport claim and no Chinese name. A
// document without a Chinese name counts as carrying it: a name added
// since is not on it, but nothing on the row tells the two apart.
func carries(purpose, field string) bool {
	if purpose == "" {
		return field != FieldChineseName
	}
	if field == FieldChineseName {
		return true
	}
	pf, _, ok := edoc.PurposeFields(purpose)
	return !ok || slices.Contains(pf, field)
}

// Invalidation names the documents a registry event made untrue: the
// active documents of PersonID made from PassportNumber, or from
// CardNumber, or (neither given) that sign any of Fields. A document is
// made from the passport and card it was issued on whatever its purpose
// signs of them, and the verify API checks both in the registry, so a lost
// passport withdraws a telecom document too.
type Invalidation struct {
	PersonID       string
	Cause          string
	PassportNumber string
	CardNumber     string
	Fields         []string
}

// concerns reports whether r is a document inv makes untrue.
func (inv Invalidation) concerns(r Row) bool {
	switch {
	case r.PersonID != inv.PersonID:
		return false
	case inv.PassportNumber != "":
		return r.PassportNumber == inv.PassportNumber
	case inv.CardNumber != "":
		return r.CardNumber == inv.CardNumber
	}
	return slices.ContainsFunc(inv.Fields, func(f string) bool { return carries(r.Purpose, f) })
}

// invalidateColumns are what an invalidation reads of a row.
var invalidateColumns = []string{"id", "person_id", "document_number", "purpose", "kid", "state", "status_list_id", "status_idx",
	"passport_number", "card_number", "issued_at", "expires_at", "suspended_at"}

// InvalidateTx withdraws, inside tx (the transaction of the registry
// change), every document the invalidations make untrue and still in
// force at at: each is stored as revoked with its cause, its status-list
// entry becomes invalid, its holder is notified and an audit row records
// by as the one whose change caused it. A document already suspended is
// invalidated too; one already revoked or expired is left alone. It
// returns the documents withdrawn.
//
// Other nodes see the change through the status list at once; this
// node's verify path reads the row on every verification, while its
// cached status list (DBStatus) follows within StatusMaxAge.
func InvalidateTx(tx storage.Tx, at time.Time, by audit.Actor, invs []Invalidation) ([]string, error) {
	at = at.UTC()
	var persons []string
	for _, inv := range invs {
		persons = append(persons, inv.PersonID)
	}
	persons = slices.Compact(slices.Sorted(slices.Values(persons)))
	// A document being issued from the data this change ends either is
	// stored before the lock is granted, and is found below, or sees the
	// change once the lock is free and is refused (store in issue.go). The
	// persons are locked in order, so two changes never wait on each other.
	for _, p := range persons {
		if err := tx.Lock(issueLock(p)); err != nil {
			return nil, err
		}
	}
	var withdrawn []string
	for start := 0; start < len(persons); start += invalidateBatch {
		var rows []Row
		err := tx.Gorm().Select(invalidateColumns).
			Where("person_id IN ? AND state = ? AND expires_at > ?", persons[start:min(start+invalidateBatch, len(persons))], stateActive, at).
			Order("id").Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("attestations: invalidate: %w", err)
		}
		for _, r := range rows {
			i := slices.IndexFunc(invs, func(inv Invalidation) bool { return inv.concerns(r) })
			if i < 0 {
				continue
			}
			if err := invalidate(tx, at, by, r, invs[i].Cause); err != nil {
				return nil, err
			}
			withdrawn = append(withdrawn, r.ID)
		}
	}
	return withdrawn, nil
}

// invalidateBatch bounds the persons read per query.
const invalidateBatch = 500

func invalidate(tx storage.Tx, at time.Time, by audit.Actor, r Row, cause string) error {
	db := tx.Gorm()
	res := db.Model(&Row{}).Where("id = ? AND state = ?", r.ID, stateActive).
		Updates(map[string]any{"state": stateRevoked, "revoked_at": at, "invalidation_cause": cause})
	if res.Error != nil {
		return fmt.Errorf("attestations: invalidate %s: %w", r.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	before := summary(r)
	r.State, r.RevokedAt, r.InvalidationCause = stateRevoked, &at, cause
	slot := issuer.StatusSlot{ListID: r.StatusListID, Index: r.StatusIdx}
	if err := statuslists.Set(db, at, slot, edoc.StatusInvalid); err != nil {
		return err
	}
	why := CauseLabel(cause)
	if _, err := notifications.Add(db, at, notifications.Notification{PersonID: r.PersonID, Kind: "attestation.invalidate",
		Subject: i18n.T("Your e-document "+r.DocumentNumber+" is no longer valid", "您的电子证明 "+r.DocumentNumber+" 已失效"),
		Body: i18n.T("The registry now records: "+why.En+". What the e-document says is no longer true, so it no longer verifies. "+
			"You can issue a new one from your current documents.",
			"登记信息变更："+why.Zh+"。该电子证明所载内容已与登记不符，不再能通过核验。您可以依据现有证件重新申领。"),
		Ref: r.ID}); err != nil {
		return err
	}
	after := summary(r)
	after["cause"] = cause
	return audit.Write(db, at, audit.Entry{Actor: by, Action: "attestation.invalidate", Entity: "attestation",
		EntityID: r.ID, Before: before, After: after})
}
