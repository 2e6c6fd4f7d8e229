// Package business is the catalogue of the matters foreigners bring to an
// exit-entry service centre, each with a stable code that the directory,
// guidelines, appointments and applications all share. The codes are part of
// the public API and never change; names come in English and Chinese.
//
// The catalogue is fixed by law rather than by officers, so it lives in code:
// adding a business type is a release, not a data edit. Every processing
// time names the rule it comes from and a public source for it (sources.go).
package business

import "github.com/fprlink/fprlink/internal/i18n"

// Category groups business types by the document they concern.
type Category string

// The categories. Their processing times differ by law.
const (
	Visa      Category = "visa"
	Residence Category = "residence"
	FPR       Category = "fpr"
)

// Stable business type codes.
const (
	VisaExtension       = "visa_extension"
	VisaRenewal         = "visa_renewal"
	VisaReissue         = "visa_reissue"
	StayPermit          = "stay_permit"
	ResidenceWork       = "residence_work"
	ResidenceStudy      = "residence_study"
	ResidenceJournalist = "residence_journalist"
	ResidenceFamily     = "residence_family"
	ResidencePrivate    = "residence_private"
	// A residence permit's particulars change (passport number, name,
	// employer, address): the holder reports within 10 days.
	ResidenceChange  = "residence_change"
	ResidenceRenewal = "residence_renewal" // a new permit for the same stay, e.g. in a new passport
	ResidenceReissue = "residence_reissue" // a permit lost, stolen or damaged
	// Accompanying persons (a spouse, children) are added to or removed from
	// a holder's residence permit; the fee schedule prices them separately.
	ResidenceAddAccompanying    = "residence_add_accompanying"
	ResidenceRemoveAccompanying = "residence_remove_accompanying"
	FPRApplication              = "fpr_application"
	FPRRenewal                  = "fpr_renewal"
	FPRReplacement              = "fpr_replacement"
)

// Processing times in working days; sources.go says where each comes from.
// Visa matters are completed within seven working days of a complete
// application (Beijing Municipal Public Security Bureau's published guide;
// no article of the law or of its implementing regulations giving the
// figure was found). A residence permit is examined and decided within 15
// days of receipt (Exit and Entry Administration Law, art. 30, para. 2);
// the law says days, the service counts them as working days on the same
// holiday calendar as every other deadline. Permanent residence: 180 working
// days, the legally stipulated time Jilin's provincial public security
// department publishes. Renewing or replacing an FPR card has no published
// figure we could find: 15 working days is the service's own, changed by a
// release like the others. Guidelines publish these figures as they are
// (guidelines refuses any other).
const (
	VisaDays           = 7
	ResidenceDays      = 15
	FPRApplicationDays = 180
	FPRDays            = 15
)

// Type is one business type.
type Type struct {
	Code           string    `json:"code"`
	Category       Category  `json:"category"`
	Name           i18n.Text `json:"name"`
	ProcessingDays int       `json:"processing_days"`
}

var order = []string{VisaExtension, VisaRenewal, VisaReissue, StayPermit,
	ResidenceWork, ResidenceStudy, ResidenceJournalist, ResidenceFamily, ResidencePrivate,
	ResidenceChange, ResidenceRenewal, ResidenceReissue, ResidenceAddAccompanying, ResidenceRemoveAccompanying,
	FPRApplication, FPRRenewal, FPRReplacement}

// All returns every business type in a stable order. Each call returns a
// fresh slice, so callers may sort or trim it freely.
func All() []Type {
	out := make([]Type, len(order))
	for i, c := range order {
		out[i], _ = Lookup(c)
	}
	return out
}

// Lookup finds a business type by code. It allocates nothing, so hot paths
// (rendering every centre's business list) can call it freely.
func Lookup(code string) (Type, bool) {
	switch code {
	case VisaExtension:
		return Type{code, Visa, i18n.T("Visa extension", "签证延期"), VisaDays}, true
	case VisaRenewal:
		return Type{code, Visa, i18n.T("Visa renewal", "签证换发"), VisaDays}, true
	case VisaReissue:
		return Type{code, Visa, i18n.T("Visa reissue", "签证补发"), VisaDays}, true
	case StayPermit:
		return Type{code, Visa, i18n.T("Stay permit", "停留证件"), VisaDays}, true
	}
	if t, ok := residence(code); ok {
		return t, true
	}
	switch code {
	case FPRApplication:
		return Type{code, FPR, i18n.T("Permanent residence (FPR card) application", "外国人永久居留身份证申请"), FPRApplicationDays}, true
	case FPRRenewal:
		return Type{code, FPR, i18n.T("FPR card renewal", "外国人永久居留身份证换发"), FPRDays}, true
	case FPRReplacement:
		return Type{code, FPR, i18n.T("FPR card replacement", "外国人永久居留身份证补发"), FPRDays}, true
	}
	return Type{}, false
}

func residence(code string) (Type, bool) {
	var name i18n.Text
	switch code {
	case ResidenceWork:
		name = i18n.T("Residence permit for work", "工作类居留许可")
	case ResidenceStudy:
		name = i18n.T("Residence permit for study", "学习类居留许可")
	case ResidenceJournalist:
		name = i18n.T("Residence permit for journalists", "记者类居留许可")
	case ResidenceFamily:
		name = i18n.T("Residence permit for family reunion", "团聚类居留许可")
	case ResidencePrivate:
		name = i18n.T("Residence permit for private affairs", "私人事务类居留许可")
	case ResidenceChange:
		name = i18n.T("Residence permit: change of particulars", "居留许可变更")
	case ResidenceRenewal:
		name = i18n.T("Residence permit renewal", "居留许可换发")
	case ResidenceReissue:
		name = i18n.T("Residence permit reissue", "居留许可补发")
	case ResidenceAddAccompanying:
		name = i18n.T("Residence permit: adding an accompanying person", "居留许可增加偕行人")
	case ResidenceRemoveAccompanying:
		name = i18n.T("Residence permit: removing an accompanying person", "居留许可减少偕行人")
	default:
		return Type{}, false
	}
	return Type{code, Residence, name, ResidenceDays}, true
}

// Valid reports whether code names a business type.
func Valid(code string) bool {
	_, ok := Lookup(code)
	return ok
}

// ProcessingDays is the processing time of a business type in working days,
// or 0 for an unknown code. It is the one source of these figures: the
// directory, the guidelines' defaults and application deadlines all read it. Applications count deadlines with
// calendar.AddWorkingDays(submitted, ProcessingDays(code)).
func ProcessingDays(code string) int {
	t, _ := Lookup(code)
	return t.ProcessingDays
}
