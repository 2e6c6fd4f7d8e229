package registry

import (
	"fmt"

	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/i18n"
)

// checkNationality returns the stored form of a nationality: the ISO
// 3166-1 alpha-3 code, or the ICAO Doc 9303 code for a holder without one
// (GBN, XXA …); D, Germany's MRZ code, is stored as DEU. Every code that
// may stand as a nationality is accepted, the Chinese ones (CHN, HKG, MAC,
// TWN) too: such a record is kept and flagged (Person.NationalityNotice),
// and checkCardHolder refuses it a card (see docnum.ChineseNationality).
func checkNationality(code string, field string, f *fieldErrors) string {
	c, ok := docnum.LookupCountry(code)
	switch {
	case !ok || !c.Nationality:
		f.add(field, "invalid_nationality", i18n.T(
			"nationality must be an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 nationality code (such as D, GBN or XXA).",
			"国籍必须是 ISO 3166-1 三字母代码或国际民航组织第 9303 号文件规定的国籍代码（如 D、GBN、XXA）。"))
		return code
	}
	return c.Canonical()
}

// checkIssuer returns the stored form of an issuing State or organization.
func checkIssuer(code string, field string, f *fieldErrors) string {
	c, ok := docnum.LookupCountry(code)
	switch {
	case !ok:
		f.add(field, "invalid_state", i18n.T(
			"issuing_state must be an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 code of an issuing State or organization (such as D or UNO).",
			"签发国必须是 ISO 3166-1 三字母代码或国际民航组织第 9303 号文件规定的签发国家或组织代码（如 D、UNO）。"))
		return code
	case !c.Issuer:
		f.add(field, "state_not_issuer", i18n.T(
			fmt.Sprintf("%s (%s) names a holder without a nationality, never the State or organization that issued the document: give the issuer's code.", c.Code, c.Name.En),
			fmt.Sprintf("%s（%s）表示没有国籍的持证人，不能作为证件的签发国家或组织，请填写签发方的代码。", c.Code, c.Name.Zh)))
		return code
	}
	return c.Canonical()
}

// checkCardHolder refuses an FPR card for a holder recorded with Chinese
// nationality: the card is a foreigner's, and the record must first be
// corrected. The fault lies with the holder's nationality, which the
// refusal names.
func checkCardHolder(p Person, f *fieldErrors) {
	if docnum.ChineseNationality(p.Nationality) {
		f.add("nationality", "fpr_card_chinese_nationality", docnum.ChineseNationalityNotice(p.Nationality))
	}
}
