package assistance

import (
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The refusals of Authorize, one per reason, each a 403. A person the
// helper holds no grant for, registered or not, is always ErrNoGrant, so
// the check tells nobody who is in the registry.
var (
	ErrNoGrant = apperr.Forbidden("assistance_no_grant",
		i18n.T("You hold no authorisation to act for this person.", "您未获授权代此人办理。"))
	ErrGrantPending = apperr.Forbidden("assistance_grant_pending",
		i18n.T("Your authorisation to act for this person has not taken effect yet: it awaits acceptance or an officer's decision.",
			"您代此人办理的授权尚未生效，正在等待接受或工作人员审核。"))
	ErrGrantEnded = apperr.Forbidden("assistance_grant_ended",
		i18n.T("Your authorisation to act for this person has ended.", "您代此人办理的授权已终止。"))
	ErrGrantRefused = apperr.Forbidden("assistance_grant_refused",
		i18n.T("Your request to act for this person was refused.", "您代此人办理的申请未获批准。"))
	ErrGrantExpired = apperr.Forbidden("assistance_grant_expired",
		i18n.T("Your authorisation to act for this person has expired.", "您代此人办理的授权已过期。"))
	ErrGrantLapsed = apperr.Forbidden("assistance_grant_lapsed",
		i18n.T("Your authorisation as parent or guardian ended when this person came of age; they may confirm it.",
			"此人已成年，您作为父母或监护人的授权已失效；本人可确认继续授权。"))
	ErrScopeMissing = apperr.Forbidden("assistance_scope_missing",
		i18n.T("Your authorisation for this person does not cover this action.", "您获得的授权不包括此项操作。"))
)

// Errors of managing grants.
var (
	ErrUnknownPerson = apperr.NotFound("person_not_found",
		i18n.T("There is no person with this id.", "没有该编号的人员。"))
	ErrUnknownAccount = apperr.Invalid("helper_not_found", "username",
		i18n.T("No account with this username can be a helper.", "没有可作为协办人的此用户名账户。"))
	errGrantNotFound = apperr.NotFound("grant_not_found",
		i18n.T("There is no such authorisation.", "没有该授权。"))
	errSelf = apperr.Invalid("helper_is_self", "username",
		i18n.T("You cannot authorise yourself.", "不能授权给自己。"))
	errHelperRole = apperr.Invalid("helper_not_eligible", "username",
		i18n.T("Only a resident's or a helper's account can act for someone.", "只有居民或协办人账户可以代他人办理。"))
	errNoPrincipal = apperr.Forbidden("no_person",
		i18n.T("Your account is not linked to a registered person, so it cannot authorise helpers.",
			"您的账户未关联登记人员，无法授权协办人。"))
	errLiveGrant = apperr.Conflict("grant_exists",
		i18n.T("This helper already holds or awaits an authorisation for this person; end it first.",
			"该协办人已持有或正在等待此人的授权，请先终止原授权。"))
	errNotPending = apperr.Conflict("grant_not_pending",
		i18n.T("This authorisation is not awaiting a decision.", "该授权不在待处理状态。"))
	errNotLive = apperr.Conflict("grant_not_live",
		i18n.T("This authorisation has already ended.", "该授权已终止。"))
	errNotAccountGrant = apperr.Conflict("grant_not_invitation",
		i18n.T("Only an invitation from an account holder is accepted by the helper; an officer decides the others.",
			"协办人只能接受账户持有人的邀请，其他授权由工作人员审核。"))
	errUnmatched = apperr.Conflict("request_unmatched",
		i18n.T("The request's details match no registered person; it can only be refused.",
			"该申请所填信息与登记人员不符，只能不予批准。"))
	errNotConfirmable = apperr.Conflict("grant_not_confirmable",
		i18n.T("Only a parent's or guardian's authorisation given while you were a minor needs your confirmation.",
			"只有您未成年时父母或监护人获得的授权需要您确认。"))
	errExpiredAlready = apperr.Conflict("grant_expired",
		i18n.T("This authorisation has expired.", "该授权已过期。"))
	errMinor = apperr.Forbidden("principal_minor",
		i18n.T("A person under 18 cannot authorise a helper; a parent or guardian asks an officer instead.",
			"未满 18 周岁者不能自行授权协办人，请由父母或监护人向工作人员申请。"))
)

// Errors of the input, each naming its field.
var (
	errScopes = apperr.Invalid("invalid_scopes", "scopes",
		i18n.T("scopes must list one or more of appointments:read, appointments:write, applications:read, documents:read, edocuments:issue, each once.",
			"授权范围须为预约查询、预约办理、申请查询、证件查询、电子证明办理中的一项或多项，且不得重复。"))
	errRelationship = apperr.Invalid("invalid_relationship", "relationship",
		i18n.T("relationship must be parent, guardian, child, spouse, relative or friend.",
			"关系须为父母、监护人、子女、配偶、亲属或朋友之一。"))
	errEvidence = apperr.Invalid("invalid_evidence", "evidence",
		i18n.T("Give the evidence seen (such as a birth certificate or a notarised power of attorney), at most 200 characters.",
			"请填写所核验的证明材料（如出生证明、经公证的委托书），最多 200 个字符。"))
	errExpiry = apperr.Invalid("invalid_expires_at", "expires_at",
		i18n.T("expires_at must lie in the future.", "到期时间须晚于当前时间。"))
	errUsername = apperr.Invalid("invalid_username", "username",
		i18n.T("Give the helper's username.", "请填写协办人的用户名。"))
	errReasonEn = apperr.Invalid("invalid_reason", "reason.en",
		i18n.T("The reason is required in English, at most 500 characters.", "须填写英文原因，最多 500 个字符。"))
	errReasonZh = apperr.Invalid("invalid_reason", "reason.zh-CN",
		i18n.T("The reason is required in Chinese, at most 500 characters.", "须填写中文原因，最多 500 个字符。"))
)

var errSearchState = apperr.Invalid("invalid_state", "state",
	i18n.T("state must be pending, active, ended or refused.", "状态须为待处理、有效、已终止或未获批准之一。"))
