package docnum

import (
	"fmt"

	"github.com/fprlink/fprlink/internal/i18n"
)

// ChineseNationality reports whether a stored nationality code names
// Chinese nationality: CHN, and HKG, MAC and TWN, whose passports and
// travel documents are held by Chinese nationals.
//
// The Foreign Permanent Resident ID Card is issued to foreigners (the
// Measures for the Administration of Examination and Approval of
// Foreigners' Permanent Residence in China, 2004, Article 2), and a
// foreigner is a person without Chinese nationality (Exit and Entry
// Administration Law, 2012, Article 89). The Nationality Law (1980),
// Article 3, recognizes no dual nationality for a Chinese national, and
// Article 9 has a Chinese national settled abroad who takes a foreign
// nationality lose the Chinese one; the Standing Committee of the National
// People's Congress's Interpretation of 15 May 1996 holds Chinese
// compatriots residing in Hong Kong to be Chinese nationals whatever
// passport they hold. So a person recorded with one of these codes cannot
// hold a card as that code says: the record is kept (it may be awaiting
// correction, after a naturalization abroad or a data-entry mistake), and
// flagged, and cards and e-documents for it are refused with this reason.
func ChineseNationality(code string) bool {
	switch code {
	case "CHN", "HKG", "MAC", "TWN":
		return true
	}
	return false
}

// ChineseNationalityNotice explains, for a person recorded with the
// nationality code, why the record cannot carry an FPR card. It is the
// zero Text for any other code.
func ChineseNationalityNotice(code string) i18n.Text {
	if !ChineseNationality(code) {
		return i18n.Text{}
	}
	name, _ := CountryName(code)
	return i18n.T(
		fmt.Sprintf("Recorded nationality %s (%s) is Chinese nationality. China recognizes no dual nationality for a Chinese national (Nationality Law, Article 3), and the Foreign Permanent Resident ID Card is issued only to foreigners, persons without Chinese nationality (Exit and Entry Administration Law, Article 89). The record is kept so that it can be corrected; no FPR card or e-document can be issued on it until the nationality is corrected.", code, name.En),
		fmt.Sprintf("登记国籍为%s，属于中国国籍。中华人民共和国不承认中国公民具有双重国籍（《中华人民共和国国籍法》第三条），外国人永久居留身份证只发给外国人，即不具有中国国籍的人（《中华人民共和国出境入境管理法》第八十九条）。该记录予以保留以便更正；国籍更正前，不能据此登记永久居留身份证或签发电子证明。", name.Zh))
}
