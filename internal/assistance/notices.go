package assistance

import (
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
)

// The notices a principal receives of their grants: who may act for them
// is never changed without their being told. A dependant without an
// account finds them once they enrol.

type noticeText struct {
	kind          string
	subject, body i18n.Text
}

// notices are what a change of a grant tells each side; nil tells nobody.
type notices struct {
	principal func(Grant) *noticeText
	helper    func(Grant) *noticeText
}

func (s *Service) notify(tx *gorm.DB, now time.Time, g Grant, to notices) error {
	if to.principal != nil && g.PrincipalID != "" {
		if n := to.principal(g); n != nil {
			if _, err := notifications.Add(tx, now, notifications.Notification{PersonID: g.PrincipalID, Kind: n.kind,
				Subject: n.subject, Body: n.body, Ref: g.ID}); err != nil {
				return err
			}
		}
	}
	// The helper is told through their account, which may hold no
	// registry person (a Chinese helper).
	if to.helper != nil && g.HelperID != "" {
		if n := to.helper(g); n != nil {
			if _, err := notifications.Add(tx, now, notifications.Notification{AccountID: g.HelperID, Kind: n.kind,
				Subject: n.subject, Body: n.body, Ref: g.ID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// principalNamed is how the helper's notices name the principal.
func principalNamed(g Grant) (en, zh string) {
	if g.PrincipalName == "" {
		return "the person concerned", "当事人"
	}
	return g.PrincipalName, g.PrincipalName
}

func invitedNotice(g Grant) *noticeText {
	en, zh := principalNamed(g)
	return &noticeText{"assistance.invited",
		i18n.T(en+" invites you to act for them", zh+" 邀请您代为办理"),
		i18n.T(en+" invites you to act for them. Accept the invitation under your principals to begin, or decline it.",
			zh+" 邀请您代为办理。请在“被代办人”中接受邀请后开始办理，或予以谢绝。")}
}

func helperGrantedNotice(g Grant) *noticeText {
	en, zh := principalNamed(g)
	return &noticeText{"assistance.granted",
		i18n.T("You may act for "+en, "您可代 "+zh+" 办理"),
		i18n.T("The administration recorded that you may act for "+en+". Every action you take is shown to them and recorded.",
			"主管机关已登记您可代 "+zh+" 办理。您代为办理的每项操作均会告知当事人并予以记录。")}
}

func approvedNotice(g Grant) *noticeText {
	en, zh := principalNamed(g)
	return &noticeText{"assistance.approved",
		i18n.T("Your request to act for "+en+" was approved", "您代 "+zh+" 办理的申请已获批准"),
		i18n.T("The administration approved your request: you may now act for "+en+" within the authorisation.",
			"主管机关已批准您的申请，您现可在授权范围内代 "+zh+" 办理。")}
}

func refusedNotice(g Grant) *noticeText {
	return &noticeText{"assistance.refused",
		i18n.T("Your request to act for someone was refused", "您的代办申请未获批准"),
		i18n.T("The administration refused your request to act for someone. Reason: "+g.Reason.En,
			"主管机关未批准您的代办申请。理由："+g.Reason.Zh)}
}

func helperEndedNotice(byOfficer bool) func(Grant) *noticeText {
	return func(g Grant) *noticeText {
		en, zh := principalNamed(g)
		by, byZh := en+" ended", zh+" 已终止"
		if byOfficer {
			by, byZh = "The administration ended", "主管机关已终止"
		}
		return &noticeText{"assistance.ended",
			i18n.T("You no longer act for "+en, "您不再代 "+zh+" 办理"),
			i18n.T(by+" your authorisation to act for "+en+". Requests made for them are refused from now on.",
				byZh+"您代 "+zh+" 办理的授权，此后代其提出的请求将被拒绝。")}
	}
}

func endingSoonNotice(g Grant, on string) *noticeText {
	en, zh := principalNamed(g)
	return &noticeText{"assistance.ending",
		i18n.T("Your authorisation to act for "+en+" ends on "+on, "您代 "+zh+" 办理的授权将于 "+on+" 终止"),
		i18n.T("Your authorisation to act for "+en+" ends on "+on+" (Beijing time). After that, requests made for them are refused unless the authorisation is renewed or, for a person coming of age, confirmed by them.",
			"您代 "+zh+" 办理的授权将于北京时间 "+on+" 终止。此后代其提出的请求将被拒绝，除非授权续期，或由成年的当事人本人确认。")}
}

func acceptedNotice(g Grant) *noticeText {
	return &noticeText{"assistance.accepted",
		i18n.T(g.HelperUsername+" may now act for you", g.HelperUsername+" 现可代您办理"),
		i18n.T("Your helper "+g.HelperUsername+" accepted your authorisation and may now act for you within it. You can end it at any time.",
			"协办人 "+g.HelperUsername+" 已接受您的授权，现可在授权范围内代您办理。您可随时终止授权。")}
}

func endedNotice(byHelper bool) func(Grant) *noticeText {
	return func(g Grant) *noticeText {
		if !byHelper {
			return nil // the principal ended it themselves
		}
		return &noticeText{"assistance.ended",
			i18n.T(g.HelperUsername+" no longer acts for you", g.HelperUsername+" 不再代您办理"),
			i18n.T("Your helper "+g.HelperUsername+" ended the authorisation to act for you.",
				"协办人 "+g.HelperUsername+" 已终止代您办理的授权。")}
	}
}

func officerEndedNotice(g Grant) *noticeText {
	return &noticeText{"assistance.ended",
		i18n.T(g.HelperUsername+" no longer acts for you", g.HelperUsername+" 不再代您办理"),
		i18n.T("The administration ended the authorisation of "+g.HelperUsername+" to act for you.",
			"主管机关已终止 "+g.HelperUsername+" 代您办理的授权。")}
}

func grantedNotice(g Grant) *noticeText {
	return &noticeText{"assistance.granted",
		i18n.T(g.HelperUsername+" may act for you", g.HelperUsername+" 可代您办理"),
		i18n.T("The administration recorded that "+g.HelperUsername+" may act for you ("+string(g.Relationship)+"). Every action taken for you is listed in your account's activity.",
			"主管机关已登记 "+g.HelperUsername+" 可代您办理（"+relationshipZh(g.Relationship)+"）。代您办理的每项操作均列于您账户的办理记录中。")}
}

func confirmedNotice(g Grant) *noticeText {
	return &noticeText{"assistance.confirmed",
		i18n.T("You confirmed "+g.HelperUsername+" as your helper", "您已确认 "+g.HelperUsername+" 继续代您办理"),
		i18n.T("You confirmed that "+g.HelperUsername+" may continue to act for you now that you are of age. You can end it at any time.",
			"您已确认成年后 "+g.HelperUsername+" 可继续代您办理。您可随时终止授权。")}
}

func relationshipZh(r Relationship) string {
	switch r {
	case Parent:
		return "父母"
	case Guardian:
		return "监护人"
	case Child:
		return "子女"
	case Spouse:
		return "配偶"
	case Relative:
		return "亲属"
	case Friend:
		return "朋友"
	}
	return "协办人"
}

// RelationshipLabel names r in both languages.
func RelationshipLabel(r Relationship) i18n.Text {
	en := map[Relationship]string{Parent: "parent", Guardian: "guardian", Child: "child", Spouse: "spouse", Relative: "relative", Friend: "friend"}[r]
	if en == "" {
		en = "helper"
	}
	return i18n.T(en, relationshipZh(r))
}

func confirmedForHelperNotice(g Grant) *noticeText {
	en, zh := principalNamed(g)
	return &noticeText{"assistance.confirmed",
		i18n.T(en+" confirmed that you may continue to act for them", zh+" 已确认您可继续代其办理"),
		i18n.T(en+", now of age, confirmed that you may continue to act for them.",
			zh+" 成年后已确认您可继续代其办理。")}
}
