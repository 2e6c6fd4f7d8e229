// Package business is the catalogue of the matters foreigners bring to an
// exit-entry service centre, each with a stable code that the directory,
// guidelines, appointments and applications all share. The codes are part of
// the public API and never change; names come in English and Chinese.
//
// The catalogue is fixed by law rather than by officers, so it lives in code:
// adding a business type is a release, not a data edit.
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
	FPRApplication      = "fpr_application"
	FPRRenewal          = "fpr_renewal"
	FPRReplacement      = "fpr_replacement"
)

// Processing times in working days. The Exit and Entry Administration Law
// gives visa matters 7 working days (art. 30) and residence permits 15 days
// (art. 32); the administration counts both in working days, so every
// deadline is computed on the same holiday calendar. An application for
// permanent residence is decided within six months of acceptance (Measures
// on the Examination and Approval of Foreigners' Permanent Residence, 2004,
// art. 14): 120 working days is that period without weekends and the two
// week-long holidays. Renewing or replacing an FPR card takes the residence
// permit figure, the same offices issuing both; it is an operating figure,
// not a statutory one, changed by a release like the others. Guidelines
// publish these figures as they are (guidelines refuses any other).
const (
	VisaDays           = 7
	ResidenceDays      = 15
	FPRApplicationDays = 120
	FPRDays            = 15
)

// Type is one business type.
type Type struct {
	Code           string    `json:"code"`
	Category       Category  `json:"category"`
	Name           i18n.Text `json:"name"`
	ProcessingDays int       `json:"processing_days"`
}

// All returns every business type in a stable order. Each call returns a
// fresh slice, so callers may sort or trim it freely.
func All() []Type {
	codes := []string{VisaExtension, VisaRenewal, VisaReissue, StayPermit,
		ResidenceWork, ResidenceStudy, ResidenceJournalist, ResidenceFamily, ResidencePrivate,
		FPRApplication, FPRRenewal, FPRReplacement}
	out := make([]Type, len(codes))
	for i, c := range codes {
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
	case ResidenceWork:
		return Type{code, Residence, i18n.T("Residence permit for work", "工作类居留许可"), ResidenceDays}, true
	case ResidenceStudy:
		return Type{code, Residence, i18n.T("Residence permit for study", "学习类居留许可"), ResidenceDays}, true
	case ResidenceJournalist:
		return Type{code, Residence, i18n.T("Residence permit for journalists", "记者类居留许可"), ResidenceDays}, true
	case ResidenceFamily:
		return Type{code, Residence, i18n.T("Residence permit for family reunion", "团聚类居留许可"), ResidenceDays}, true
	case ResidencePrivate:
		return Type{code, Residence, i18n.T("Residence permit for private affairs", "私人事务类居留许可"), ResidenceDays}, true
	case FPRApplication:
		return Type{code, FPR, i18n.T("Permanent residence (FPR card) application", "外国人永久居留身份证申请"), FPRApplicationDays}, true
	case FPRRenewal:
		return Type{code, FPR, i18n.T("FPR card renewal", "外国人永久居留身份证换发"), FPRDays}, true
	case FPRReplacement:
		return Type{code, FPR, i18n.T("FPR card replacement", "外国人永久居留身份证补发"), FPRDays}, true
	}
	return Type{}, false
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
