package attestations

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// Limits bound what one resident may issue. Every document takes a slot
// in a status list for its whole life, so an unbounded issuer would let one
// account fill the lists; and a resident rarely needs more than one
// document per relying party. Zero fields take the defaults.
type Limits struct {
	// ActivePerPurpose is how many active documents a resident may hold
	// for one purpose at once (default 3): two banks at once is ordinary,
	// and a new document never silently invalidates one a bank holds.
	ActivePerPurpose int
	// PerDay is how many documents a resident may issue in any 24 hours,
	// revoked ones included (default 20). It is counted from the stored
	// rows, so it holds across every node of a deployment.
	PerDay int
}

// DefaultLimits are the limits of a service configured without any.
var DefaultLimits = Limits{ActivePerPurpose: 3, PerDay: 20}

// dayWindow is the span PerDay counts over: a sliding window rather than a
// calendar day, so the limit cannot be doubled around midnight.
const dayWindow = 24 * time.Hour

func (l Limits) withDefaults() Limits {
	if l.ActivePerPurpose <= 0 {
		l.ActivePerPurpose = DefaultLimits.ActivePerPurpose
	}
	if l.PerDay <= 0 {
		l.PerDay = DefaultLimits.PerDay
	}
	return l
}

// checkLimits refuses a new document for personID and purpose when the
// resident already holds the most active ones allowed for it (409), or
// has issued the most allowed in the last 24 hours (429 with the time the
// oldest of them leaves the window). An active document is one not revoked
// and not yet expired; a suspended one still counts, since lifting the
// suspension restores it.
func (s *Service) checkLimits(tx *gorm.DB, personID string, purpose relyingparties.Sector, now time.Time) error {
	var active int64
	err := tx.Model(&Row{}).Where("person_id = ? AND purpose = ? AND state = ? AND expires_at > ?",
		personID, string(purpose), stateActive, now).Count(&active).Error
	if err != nil {
		return apperr.Internal("attestations: count active: %w", err)
	}
	if int(active) >= s.limits.ActivePerPurpose {
		return errCapReached(s.limits.ActivePerPurpose, purpose)
	}
	var recent []time.Time
	err = tx.Model(&Row{}).Where("person_id = ? AND issued_at > ?", personID, now.Add(-dayWindow)).
		Order("issued_at").Limit(s.limits.PerDay).Pluck("issued_at", &recent).Error
	if err != nil {
		return apperr.Internal("attestations: count recent: %w", err)
	}
	if len(recent) >= s.limits.PerDay {
		return errDailyLimit(s.limits.PerDay, recent[0].Add(dayWindow), now)
	}
	return nil
}

func errCapReached(limit int, purpose relyingparties.Sector) error {
	label := purpose.Label()
	return apperr.Conflict("attestation_limit_reached", i18n.T(
		fmt.Sprintf("You already hold %d active e-documents for the purpose “%s”, the most allowed at once. "+
			"Revoke one you no longer need, then issue a new one.", limit, label.En),
		fmt.Sprintf("您已持有 %d 份用途为“%s”的有效电子证明，已达同时持有的上限。请先撤销一份不再需要的电子证明，再申请新的。",
			limit, label.Zh)))
}

func errDailyLimit(limit int, free, now time.Time) error {
	wait := free.Sub(now)
	if wait < time.Second {
		wait = time.Second
	}
	at := free.In(clock.Shanghai()).Format("2006-01-02 15:04")
	return apperr.RateLimited("attestation_daily_limit", wait, i18n.T(
		fmt.Sprintf("You have issued %d e-documents in the last 24 hours, the most allowed. You can issue another after %s (Beijing time).",
			limit, at),
		fmt.Sprintf("您在过去 24 小时内已申请 %d 份电子证明，已达上限。请于北京时间 %s 之后再申请。", limit, at)))
}

// validPurpose refuses a purpose that names no sector.
func validPurpose(p relyingparties.Sector) error {
	if p.Valid() {
		return nil
	}
	return apperr.Invalid("invalid_purpose", "purpose", i18n.T(
		"purpose must be bank, tax, telecom or social_security: the sector of the relying party that will read the document.",
		"用途须为银行、税务机关、电信运营商或社会保障机构之一，即将查验该电子证明的单位所属行业。"))
}
