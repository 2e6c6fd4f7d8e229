package applications

import (
	"context"

	"github.com/fprlink/fprlink/internal/i18n"
)

// StandardProcessingTimes is the ProcessingTimes of the published rules,
// used until the directory's business types supply their own figures.
//
//   - Residence permits (work, study, journalist, family reunion, private
//     affairs): 15 working days.
//   - Visa extension, renewal, reissue and stay permits: 7 working days.
//   - FPR card application: 120 working days. The Measures on the
//     Examination and Approval of Foreigners' Permanent Residence (2004),
//     art. 14, give six months from acceptance; 120 working days is that
//     period without weekends and the two week-long holidays.
//   - FPR card renewal and replacement: 15 working days, the same as the
//     residence documents issued by the same exit-entry offices. This is an
//     operating figure, not a statutory one; replace it through the
//     directory when the administration publishes its own.
type StandardProcessingTimes struct{}

var _ ProcessingTimes = StandardProcessingTimes{}

// WorkingDays returns the processing time of code.
func (StandardProcessingTimes) WorkingDays(_ context.Context, code string) (int, bool, error) {
	switch code {
	case "residence_work", "residence_study", "residence_journalist", "residence_family", "residence_private":
		return 15, true, nil
	case "visa_extension", "visa_renewal", "visa_reissue", "stay_permit":
		return 7, true, nil
	case "fpr_application":
		return 120, true, nil
	case "fpr_renewal", "fpr_replacement":
		return 15, true, nil
	}
	return 0, false, nil
}

// BusinessTypeName is the name of a business type as shown to people; an
// unknown code is shown as it is.
func BusinessTypeName(code string) i18n.Text {
	switch code {
	case "residence_work":
		return i18n.T("Residence permit for work", "工作类居留许可")
	case "residence_study":
		return i18n.T("Residence permit for study", "学习类居留许可")
	case "residence_journalist":
		return i18n.T("Residence permit for journalists", "记者类居留许可")
	case "residence_family":
		return i18n.T("Residence permit for family reunion", "团聚类居留许可")
	case "residence_private":
		return i18n.T("Residence permit for private affairs", "私人事务类居留许可")
	case "visa_extension":
		return i18n.T("Visa extension", "签证延期")
	case "visa_renewal":
		return i18n.T("Visa renewal", "签证换发")
	case "visa_reissue":
		return i18n.T("Visa reissue", "签证补发")
	case "stay_permit":
		return i18n.T("Stay permit", "停留证件")
	case "fpr_application":
		return i18n.T("Permanent residence application", "永久居留申请")
	case "fpr_renewal":
		return i18n.T("Permanent residence card renewal", "永久居留身份证换发")
	case "fpr_replacement":
		return i18n.T("Permanent residence card replacement", "永久居留身份证补发")
	}
	return i18n.T(code, code)
}
