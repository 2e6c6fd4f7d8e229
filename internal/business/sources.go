package business

import "github.com/fprlink/fprlink/internal/i18n"

// Source is where a published figure comes from: the rule that sets it and
// a public page that states it, with the day it was read. URL is empty when
// no public source was found, and the figure is the service's own.
type Source struct {
	Basis i18n.Text `json:"basis"`
	URL   string    `json:"url,omitempty"`
	Seen  string    `json:"seen,omitempty"` // YYYY-MM-DD
}

var (
	visaSource = Source{
		Basis: i18n.T("Beijing Municipal Public Security Bureau, guide to visa extension, renewal and reissue: completed within seven working days of a complete application",
			"北京市公安局出入境管理局签证延期、换发、补发办事指南：材料齐全之日起7个工作日内办结"),
		URL:  "https://english.beijing.gov.cn/mostrequested/visaextensionrenewalandreplacement/cvisaforforeigners/index.html",
		Seen: "2026-12-06",
	}
	residenceSource = Source{
		Basis: i18n.T("Exit and Entry Administration Law, art. 30, para. 2: examined and decided within 15 days of receipt",
			"《出境入境管理法》第三十条第二款：自收到申请材料之日起十五日内进行审查并作出审查决定"),
		URL:  "http://en.gxzf.gov.cn/2018-08/21/c_265083_7.htm",
		Seen: "2026-12-06",
	}
	fprApplicationSource = Source{
		Basis: i18n.T("Jilin Provincial Public Security Department, preliminary examination of permanent residence: legally stipulated processing time 180 working days",
			"吉林省公安厅外国人永久居留资格初审：法定办理时限180个工作日"),
		URL:  "http://en.changchun.gov.cn/wgrfw/qz/Immigration/202102/t20210203_2714270.html",
		Seen: "2026-12-06",
	}
	fprCardSource = Source{
		Basis: i18n.T("No published processing time was found; 15 working days is this service's own figure.",
			"未查到公开的办理时限；15个工作日为本服务自定。"),
	}
)

// ProcessingSource is where the processing time of a business type comes
// from; ok is false for an unknown code.
func ProcessingSource(code string) (Source, bool) {
	t, ok := Lookup(code)
	if !ok {
		return Source{}, false
	}
	switch {
	case t.Category == Visa:
		return visaSource, true
	case t.Category == Residence:
		return residenceSource, true
	case code == FPRApplication:
		return fprApplicationSource, true
	}
	return fprCardSource, true
}
