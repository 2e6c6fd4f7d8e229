package attestations

import (
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/verifier"
)

// Labels name the codes a resident reads in their documents and in who
// checked them, in English and Chinese. The codes stay in the answers for
// programs; the labels are for people.

var stateLabels = map[string]i18n.Text{
	stateActive:    i18n.T("Active", "有效"),
	stateRevoked:   i18n.T("Revoked", "已撤销"),
	stateExpired:   i18n.T("Expired", "已过期"),
	stateSuspended: i18n.T("Suspended", "已暂停使用"),
	// The reason follows (Standing.Label).
	stateInvalidated: i18n.T("No longer valid", "已失效"),
}

// StateLabel names an attestation's state (active, suspended, revoked,
// expired, invalidated).
func StateLabel(state string) i18n.Text { return i18n.Label(stateLabels, state) }

// Label names the document's state with its reason when a registry event
// invalidated it: "No longer valid: passport reported lost".
func (st Standing) Label() i18n.Text {
	l := StateLabel(st.State)
	if st.State != stateInvalidated || st.InvalidationCause == "" {
		return l
	}
	why := CauseLabel(st.InvalidationCause)
	return i18n.T(l.En+": "+why.En, l.Zh+"："+why.Zh)
}

var methodLabels = map[string]i18n.Text{
	methodQR:    i18n.T("QR code scanned", "扫描二维码"),
	methodToken: i18n.T("Signed token presented", "提交签名令牌"),
	methodCode:  i18n.T("Document number and verification code", "文件编号与核验码"),
}

// MethodLabel names how a document was presented for verification.
func MethodLabel(method string) i18n.Text { return i18n.Label(methodLabels, method) }

var resultLabels = map[string]i18n.Text{
	string(verifier.StatusValid):   i18n.T("Valid", "有效"),
	string(verifier.StatusInvalid): i18n.T("Invalid", "无效"),
	string(verifier.StatusUnknown): i18n.T("Could not be confirmed", "无法确认"),
}

// ResultLabel names a verification's answer (valid, invalid, unknown).
func ResultLabel(result string) i18n.Text { return i18n.Label(resultLabels, result) }

var checkLabels = map[string]i18n.Text{
	string(verifier.CheckFormat):    i18n.T("Document format", "文件格式"),
	string(verifier.CheckAlgorithm): i18n.T("Signature algorithm", "签名算法"),
	string(verifier.CheckKey):       i18n.T("Signing key", "签名密钥"),
	string(verifier.CheckSignature): i18n.T("Signature", "签名"),
	string(verifier.CheckTime):      i18n.T("Period of validity", "有效期"),
	string(verifier.CheckAudience):  i18n.T("Intended recipient", "使用对象"),
	string(verifier.CheckStatus):    i18n.T("Revocation status", "撤销状态"),
	string(verifier.CheckFields):    i18n.T("Passport and FPR card details", "护照与永久居留身份证信息"),
	CheckVerificationCode:           i18n.T("Verification code", "核验码"),
	CheckDocument:                   i18n.T("Document record", "文件记录"),
	CheckRegistryPassport:           i18n.T("Passport in the registry", "护照登记状态"),
	CheckRegistryCard:               i18n.T("FPR card in the registry", "永久居留身份证登记状态"),
}

// CheckLabel names a verification check by its code.
func CheckLabel(code string) i18n.Text { return i18n.Label(checkLabels, code) }
