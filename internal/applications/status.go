package applications

import (
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Status is where an application stands.
type Status string

// The statuses, in the order an application normally passes them.
const (
	Submitted           Status = "submitted"
	Accepted            Status = "accepted"
	UnderReview         Status = "under_review"
	SupplementRequested Status = "supplement_requested"
	Approved            Status = "approved"
	Rejected            Status = "rejected"
	ReadyForCollection  Status = "ready_for_collection"
	Collected           Status = "collected"
)

// Statuses lists every status in order.
func Statuses() []Status {
	return []Status{Submitted, Accepted, UnderReview, SupplementRequested,
		Approved, Rejected, ReadyForCollection, Collected}
}

// next is the status machine:
//
//	submitted → accepted → under_review ⇄ supplement_requested
//	under_review → approved | rejected → ready_for_collection → collected
//
// A rejected application also goes to ready_for_collection: the applicant's
// passport and original documents are held while the case is examined and
// must be handed back whatever the decision, so the collection step is
// where they are returned. collected is final.
func next(s Status) []Status {
	switch s {
	case Submitted:
		return []Status{Accepted}
	case Accepted:
		return []Status{UnderReview}
	case UnderReview:
		return []Status{SupplementRequested, Approved, Rejected}
	case SupplementRequested:
		return []Status{UnderReview}
	case Approved, Rejected:
		return []Status{ReadyForCollection}
	case ReadyForCollection:
		return []Status{Collected}
	}
	return nil
}

// CanMove reports whether the machine allows from → to.
func CanMove(from, to Status) bool {
	for _, s := range next(from) {
		if s == to {
			return true
		}
	}
	return false
}

// Known reports whether s is one of the statuses.
func (s Status) Known() bool {
	for _, k := range Statuses() {
		if k == s {
			return true
		}
	}
	return false
}

// pending statuses are those in which the legal deadline runs. While a
// supplement is outstanding the clock stops (the time the applicant takes
// does not count against the administration), and once decided nothing can
// be late.
func (s Status) pending() bool {
	return s == Submitted || s == Accepted || s == UnderReview
}

func pendingStatuses() []string {
	return []string{string(Submitted), string(Accepted), string(UnderReview)}
}

// ParseStatus validates a status sent by a client, naming field on error.
func ParseStatus(s, field string) (Status, error) {
	st := Status(s)
	if !st.Known() {
		return "", apperr.Invalid("unknown_status", field, i18n.T(
			"Status must be one of submitted, accepted, under_review, supplement_requested, approved, rejected, ready_for_collection, collected.",
			"状态必须是 submitted、accepted、under_review、supplement_requested、approved、rejected、ready_for_collection、collected 之一。"))
	}
	return st, nil
}

// Label is the status as shown to people.
func (s Status) Label() i18n.Text {
	switch s {
	case Submitted:
		return i18n.T("Submitted", "已提交")
	case Accepted:
		return i18n.T("Accepted", "已受理")
	case UnderReview:
		return i18n.T("Under review", "审核中")
	case SupplementRequested:
		return i18n.T("Supplementary documents requested", "需补充材料")
	case Approved:
		return i18n.T("Approved", "已批准")
	case Rejected:
		return i18n.T("Rejected", "不予批准")
	case ReadyForCollection:
		return i18n.T("Ready for collection", "可领取")
	case Collected:
		return i18n.T("Collected", "已领取")
	}
	return i18n.T(string(s), string(s))
}

// explain is the standard notification text of a status; an officer's
// public note is added after it.
func (s Status) explain() i18n.Text {
	switch s {
	case Submitted:
		return i18n.T("Your application has been registered. Keep the application number to follow it.",
			"您的申请已登记。请保留受理编号以便查询进度。")
	case Accepted:
		return i18n.T("Your application has been accepted for processing.", "您的申请已正式受理。")
	case UnderReview:
		return i18n.T("Your application is being reviewed.", "您的申请正在审核中。")
	case SupplementRequested:
		return i18n.T("Please provide supplementary documents at the service centre. The processing time is paused until you do.",
			"请到服务中心补充材料。补充材料期间不计入办理时限。")
	case Approved:
		return i18n.T("Your application has been approved.", "您的申请已获批准。")
	case Rejected:
		return i18n.T("Your application has not been approved.", "您的申请未获批准。")
	case ReadyForCollection:
		return i18n.T("Your documents are ready for collection at the service centre. Bring your receipt and passport.",
			"您的证件已可领取，请携带受理回执和护照到服务中心领取。")
	case Collected:
		return i18n.T("Your documents have been collected.", "您的证件已领取。")
	}
	return i18n.Text{}
}
