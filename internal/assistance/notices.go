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

func (s *Service) notify(tx *gorm.DB, now time.Time, g Grant, notice func(Grant) *noticeText) error {
	if notice == nil || g.PrincipalID == "" {
		return nil
	}
	n := notice(g)
	if n == nil {
		return nil
	}
	_, err := notifications.Add(tx, now, notifications.Notification{PersonID: g.PrincipalID, Kind: n.kind,
		Subject: n.subject, Body: n.body, Ref: g.ID})
	return err
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
