package issuer

import "github.com/fprlink/fprlink/issuer/edoc"

// label is a bilingual caption: Chinese through the embedded CJK font,
// English through a PDF core font.
type label struct{ zh, en string }

// The PDF's fixed texts. The embedded font is a subset holding exactly the
// Chinese characters used here; fonts/README.md says how to regenerate it
// after changing a Chinese text, and TestLabelsCoveredByFont fails until then.
var (
	labelTitle    = label{"外国人永久居留身份证与护照关联电子证明", "Electronic attestation linking passport and Foreign Permanent Resident ID Card"}
	labelHolder   = label{"持证人", "Holder"}
	labelSurname  = label{"姓", "Surname"}
	labelGiven    = label{"名", "Given names"}
	labelSex      = label{"性别", "Sex"}
	labelBirth    = label{"出生日期", "Date of birth"}
	labelNation   = label{"国籍", "Nationality"}
	labelZhName   = label{"中文姓名", "Chinese name"}
	labelPrevious = label{"原证件号码", "Previous number"}
	labelPrevPass = label{"原护照号码", "Previous passport number"}
	labelPrinted  = label{"证件所印姓名", "Name as printed on the card"}
	// labelUnsigned marks the printed name, which the QR does not carry.
	labelUnsigned = label{"未签名，仅供核对", "not signed, for comparison only"}
	// labelPrintedUnprintable stands in for a printed name the fonts
	// cannot draw.
	labelPrintedUnprintable = label{"以登记记录为准", "as in the registry record"}
	labelPassport           = label{"护照", "Passport"}
	labelPassNo             = label{"护照号码", "Passport number"}
	labelState              = label{"签发国", "Issuing state"}
	labelExpiry             = label{"有效期至", "Date of expiry"}
	labelCard               = label{"外国人永久居留身份证", "Foreign Permanent Resident ID Card"}
	labelCardNo             = label{"证件号码", "Card number"}
	labelVersion            = label{"版本", "Version"}
	labelIssueDate          = label{"签发日期", "Date of issue"}
	labelDocument           = label{"电子证明", "Attestation"}
	labelDocNo              = label{"文件编号", "Document number"}
	labelCode               = label{"验证码", "Verification code"}
	labelFrom               = label{"生效时间", "Valid from"}
	labelUntil              = label{"失效时间", "Valid until"}
	labelIssuer             = label{"签发机构", "Issuer"}
	labelHowTo              = label{"如何验证", "How to verify"}
	labelNote               = label{
		"扫描二维码，或使用公布的公钥和状态列表离线验证。只有验证通过时本证明才有效。",
		"Scan the QR code with a verifier, or verify offline with the published keys (/.well-known/jwks.json) and status list. This attestation is valid only when verification succeeds.",
	}
)

// purposeLabels say whom a document is for, under the title.
var purposeLabels = map[string]label{
	edoc.PurposeBank:           {"本证明仅供银行使用", "For use by banks only"},
	edoc.PurposeTax:            {"本证明仅供税务机关使用", "For use by tax authorities only"},
	edoc.PurposeTelecom:        {"本证明仅供电信业务经营者使用", "For use by telecommunications operators only"},
	edoc.PurposeSocialSecurity: {"本证明仅供社会保险经办机构使用", "For use by social insurance agencies only"},
}

// labelAnyPurpose heads a first-version document, which names no purpose.
var labelAnyPurpose = label{"本证明未限定使用对象", "Not limited to one sector"}

// labelZhNameUnprintable stands in for a Chinese name with a character the
// embedded font lacks; the name is still in the signed data.
var labelZhNameUnprintable = label{"见二维码签名数据", "see the signed data in the QR code"}

// allLabels lists every label for the font coverage test.
var allLabels = []label{
	labelTitle, labelHolder, labelSurname, labelGiven, labelSex, labelBirth, labelNation,
	labelZhName, labelPrevious, labelPrevPass, labelPrinted, labelUnsigned, labelPrintedUnprintable, labelAnyPurpose, labelZhNameUnprintable,
	purposeLabels[edoc.PurposeBank], purposeLabels[edoc.PurposeTax], purposeLabels[edoc.PurposeTelecom],
	purposeLabels[edoc.PurposeSocialSecurity],
	labelPassport, labelPassNo, labelState, labelExpiry, labelCard, labelCardNo, labelVersion,
	labelIssueDate, labelDocument, labelDocNo, labelCode, labelFrom, labelUntil, labelIssuer,
	labelHowTo, labelNote,
}
