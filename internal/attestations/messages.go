package attestations

import (
	"errors"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/verifier"
)

// A check's Message is its outcome in words for the person reading the
// answer (a bank clerk, a tax officer), in English and Chinese. Detail
// keeps the precise technical reason, in English, with its values.

// Messages of the checks that did not run, by why.
var (
	msgNotAuthenticated = i18n.T("Not checked: the document could not be authenticated.",
		"未核验：文件未通过真实性核验。")
	msgRecordsUnavailable = i18n.T("Not checked: our records could not be read just now. Try again.",
		"未核验：暂时无法读取记录，请稍后再试。")
	msgRegistryUnavailable = i18n.T("Not checked: the registry could not be reached just now. Try again.",
		"未核验：暂时无法查询登记信息，请稍后再试。")
	msgCodeDidNotMatch = i18n.T("Not checked: the verification code did not match.",
		"未核验：核验码不匹配。")
	msgNoRecord = i18n.T("Not checked: there is no record of this document.", "未核验：无此文件的记录。")
)

// passMessages are the verifier's checks when they pass.
var passMessages = map[verifier.CheckCode]i18n.Text{
	verifier.CheckFormat:    i18n.T("The document is readable.", "文件格式正确。"),
	verifier.CheckAlgorithm: i18n.T("It is signed with the accepted algorithm.", "签名算法符合要求。"),
	verifier.CheckKey:       i18n.T("It is signed with a key of this administration.", "由本机关的签名密钥签署。"),
	verifier.CheckSignature: i18n.T("The signature is genuine.", "签名真实有效。"),
	verifier.CheckTime:      i18n.T("The document is within its period of validity.", "文件在有效期内。"),
	verifier.CheckAudience:  i18n.T("The document was issued for your sector.", "该文件为贵单位所属行业签发。"),
	verifier.CheckStatus:    i18n.T("The document has not been revoked or suspended.", "文件未被撤销或暂停。"),
	verifier.CheckFields:    i18n.T("The passport and FPR card details are consistent.", "护照与永久居留身份证信息一致。"),
}

// reasonMessages are the verifier's failure and skip reasons.
var reasonMessages = []struct {
	errs []error
	msg  i18n.Text
}{
	{[]error{verifier.ErrInputTooLarge, verifier.ErrQRPrefix, verifier.ErrQRNonDigit, verifier.ErrQROddLength,
		verifier.ErrQRPairRange, verifier.ErrMalformed, verifier.ErrType, verifier.ErrCompression,
		verifier.ErrMissingKID, verifier.ErrInflate, verifier.ErrPayloadTooLarge, verifier.ErrClaims},
		i18n.T("This is not a readable e-document of this administration.", "输入内容不是本机关可识别的电子证明。")},
	{[]error{verifier.ErrAlgorithm}, i18n.T("It is not signed with the accepted algorithm.", "签名算法不被接受。")},
	{[]error{verifier.ErrUnknownIssuer}, i18n.T("It was not issued by this administration.", "该文件并非本机关签发。")},
	{[]error{verifier.ErrUnknownKey}, i18n.T("It is signed with an unknown key.", "签名密钥无法识别。")},
	{[]error{verifier.ErrKeyRevoked}, i18n.T("Its signing key has been revoked, so nothing it signed is valid.",
		"签名密钥已被吊销，其签署的文件均无效。")},
	{[]error{verifier.ErrKeyNotValidAtIssue}, i18n.T("Its signing key was not in use when it was issued.",
		"签发时该签名密钥不在使用期内。")},
	{[]error{verifier.ErrKeysUnavailable}, i18n.T("Not checked: the signing keys could not be read just now. Try again.",
		"未核验：暂时无法读取签名密钥，请稍后再试。")},
	{[]error{verifier.ErrHighS}, i18n.T("The signature is not in the form this administration issues: the document has been altered.",
		"签名形式与本机关签发的不符，文件已被改动。")},
	{[]error{verifier.ErrAudience}, i18n.T("The document was issued for another sector and may not be used here.",
		"该文件为其他行业签发，不得在此使用。")},
	{[]error{verifier.ErrNoSector}, i18n.T("Not checked: the sector this document is presented to is not known.",
		"未核验：无法确定文件提交给哪一行业。")},
	{[]error{verifier.ErrSignature}, i18n.T("The signature is not genuine: the document may have been altered.",
		"签名无效，文件可能已被篡改。")},
	{[]error{verifier.ErrExpired}, i18n.T("The document has expired.", "文件已过期。")},
	{[]error{verifier.ErrNotYetValid}, i18n.T("The document is not valid yet.", "文件尚未生效。")},
	{[]error{verifier.ErrIssuedInFuture}, i18n.T("The document's issue time is in the future.", "文件签发时间晚于当前时间。")},
	{[]error{verifier.ErrRevoked}, i18n.T("The document has been revoked.", "文件已被撤销。")},
	{[]error{verifier.ErrSuspended}, i18n.T("The document is suspended.", "文件已被暂停使用。")},
	{[]error{verifier.ErrStatusValue, verifier.ErrStatusIndex, verifier.ErrStatusURI, verifier.ErrStatusListInvalid},
		i18n.T("The document's revocation status is not valid.", "文件的撤销状态信息无效。")},
	{[]error{verifier.ErrStatusUnavailable, verifier.ErrNoStatusSource},
		i18n.T("Not checked: whether the document was revoked could not be read just now. Try again.",
			"未核验：暂时无法查询文件是否已被撤销，请稍后再试。")},
	{[]error{verifier.ErrField}, i18n.T("The passport and FPR card details are inconsistent.", "护照与永久居留身份证信息不一致。")},
	{[]error{verifier.ErrNotVerified}, i18n.T("Not checked: an earlier check failed.", "未核验：前项核验未通过。")},
}

// verifierMessage words a check of package verifier.
func verifierMessage(c verifier.Check) i18n.Text {
	if c.Result == verifier.Pass {
		return passMessages[c.Code]
	}
	for _, r := range reasonMessages {
		for _, e := range r.errs {
			if errors.Is(c.Err, e) {
				return r.msg
			}
		}
	}
	if c.Result == verifier.Skip {
		return i18n.T("Not checked.", "未核验。")
	}
	return i18n.T("This check failed.", "此项核验未通过。")
}

// docWords are the messages of one registry check, worded once.
type docWords struct {
	what     string // in English, for the detail
	notFound i18n.Text
	replaced i18n.Text
	valid    i18n.Text
	reported map[DocStatus]i18n.Text
}

// The registry checks' words.
var (
	passportWords = wordsFor(i18n.T("passport", "护照"))
	cardWords     = wordsFor(i18n.T("FPR card", "永久居留身份证"))
)

func wordsFor(what i18n.Text) *docWords {
	w := &docWords{what: what.En,
		notFound: i18n.T("The "+what.En+" is no longer in the registry.", "该"+what.Zh+"已不在登记记录中。"),
		replaced: i18n.T("The "+what.En+" has been replaced by a newer one.", "该"+what.Zh+"已被新证件取代。"),
		valid:    i18n.T("The "+what.En+" is current and valid.", "该"+what.Zh+"为当前有效证件。"),
		reported: map[DocStatus]i18n.Text{},
	}
	for status, word := range docStatusWords {
		w.reported[status] = i18n.T("The "+what.En+" has been "+word.En+" since the document was issued.",
			"文件签发后，该"+what.Zh+word.Zh+"。")
	}
	return w
}

// reportedAs words a registry status other than valid.
func (w *docWords) reportedAs(status DocStatus) i18n.Text {
	if m, ok := w.reported[status]; ok {
		return m
	}
	l := status.Label()
	return i18n.T("The "+w.what+" is "+l.En+" in the registry.", "该证件登记状态为“"+l.Zh+"”。")
}

// docStatusWords word the registry statuses that stop a document, as a
// reader is told them.
var docStatusWords = map[DocStatus]i18n.Text{
	DocLost:      i18n.T("reported lost", "已挂失"),
	DocStolen:    i18n.T("reported stolen", "已报被盗"),
	DocCancelled: i18n.T("cancelled", "已注销"),
	DocExpired:   i18n.T("expired", "已过期"),
}

// docStatusLabels are the registry statuses as shown to people; a status
// the registry adds later reads as unknown rather than as its code.
var docStatusLabels = map[DocStatus]i18n.Text{
	DocValid:     i18n.T("valid", "有效"),
	DocLost:      i18n.T("reported lost", "已挂失"),
	DocStolen:    i18n.T("reported stolen", "已报被盗"),
	DocCancelled: i18n.T("cancelled", "已注销"),
	DocExpired:   i18n.T("expired", "已过期"),
}

// Label is the registry status as shown to people.
func (s DocStatus) Label() i18n.Text {
	if l, ok := docStatusLabels[s]; ok {
		return l
	}
	return i18n.T("of an unknown status", "未知")
}
