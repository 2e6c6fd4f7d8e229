package applications

import (
	"slices"

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

// statusInfo is what the service knows of one status: where it may go,
// whether the legal deadline runs in it, and its words.
type statusInfo struct {
	status Status
	// next is the status machine:
	//
	//	submitted → accepted → under_review ⇄ supplement_requested
	//	under_review → approved | rejected → ready_for_collection → collected
	//
	// A rejected application also goes to ready_for_collection: the
	// applicant's passport and original documents are held while the case
	// is examined and must be handed back whatever the decision, so the
	// collection step is where they are returned. collected is final.
	next []Status
	// pending statuses are those in which the legal deadline runs. While a
	// supplement is outstanding the clock stops (the time the applicant
	// takes does not count against the administration), and once decided
	// nothing can be late.
	pending bool
	// label is the status as shown to people; explain is the standard
	// notification text, after which an officer's public note is added.
	label, explain i18n.Text
}

// statusTable lists every status, in the order an application normally
// passes them.
var statusTable = []statusInfo{
	{Submitted, []Status{Accepted}, true, i18n.T("Submitted", "已提交"),
		i18n.T("Your application has been registered. Keep the application number to follow it.",
			"您的申请已登记。请保留受理编号以便查询进度。")},
	{Accepted, []Status{UnderReview}, true, i18n.T("Accepted", "已受理"),
		i18n.T("Your application has been accepted for processing.", "您的申请已正式受理。")},
	{UnderReview, []Status{SupplementRequested, Approved, Rejected}, true, i18n.T("Under review", "审核中"),
		i18n.T("Your application is being reviewed.", "您的申请正在审核中。")},
	{SupplementRequested, []Status{UnderReview}, false, i18n.T("Supplementary documents requested", "需补充材料"),
		i18n.T("Please provide supplementary documents at the service centre. The processing time is paused until you do.",
			"请到服务中心补充材料。补充材料期间不计入办理时限。")},
	{Approved, []Status{ReadyForCollection}, false, i18n.T("Approved", "已批准"),
		i18n.T("Your application has been approved.", "您的申请已获批准。")},
	{Rejected, []Status{ReadyForCollection}, false, i18n.T("Rejected", "不予批准"),
		i18n.T("Your application has not been approved.", "您的申请未获批准。")},
	{ReadyForCollection, []Status{Collected}, false, i18n.T("Ready for collection", "可领取"),
		i18n.T("Your documents are ready for collection at the service centre. Bring your receipt and passport.",
			"您的证件已可领取，请携带受理回执和护照到服务中心领取。")},
	{Collected, nil, false, i18n.T("Collected", "已领取"),
		i18n.T("Your documents have been collected.", "您的证件已领取。")},
}

// info returns the table row of s.
func (s Status) info() (statusInfo, bool) {
	for _, i := range statusTable {
		if i.status == s {
			return i, true
		}
	}
	return statusInfo{}, false
}

// Statuses lists every status in order.
func Statuses() []Status {
	out := make([]Status, len(statusTable))
	for i, row := range statusTable {
		out[i] = row.status
	}
	return out
}

// CanMove reports whether the machine allows from → to.
func CanMove(from, to Status) bool {
	i, _ := from.info()
	return slices.Contains(i.next, to)
}

// Known reports whether s is one of the statuses.
func (s Status) Known() bool {
	_, ok := s.info()
	return ok
}

// pending reports whether the legal deadline runs in s.
func (s Status) pending() bool {
	i, _ := s.info()
	return i.pending
}

func pendingStatuses() []string {
	var out []string
	for _, i := range statusTable {
		if i.pending {
			out = append(out, string(i.status))
		}
	}
	return out
}

// ParseStatus validates a status sent by a client, naming field on error.
func ParseStatus(s, field string) (Status, error) {
	st := Status(s)
	if !st.Known() {
		return "", apperr.Invalid("unknown_status", field, i18n.T(
			"Status must be one of submitted, accepted, under_review, supplement_requested, approved, rejected, ready_for_collection, collected.",
			"状态必须是已提交、已受理、审查中、待补充材料、已批准、不予批准、待领取、已领取之一。"))
	}
	return st, nil
}

// Label is the status as shown to people.
func (s Status) Label() i18n.Text {
	if i, ok := s.info(); ok {
		return i.label
	}
	return i18n.T("Unknown status", "未知状态")
}

// explain is the standard notification text of a status.
func (s Status) explain() i18n.Text {
	i, _ := s.info()
	return i.explain
}
