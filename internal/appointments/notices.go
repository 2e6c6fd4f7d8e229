package appointments

import (
	"fmt"
	"time"

	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/notifications"
)

// The notices a person receives when their own appointment is booked,
// moved or cancelled, whether they did it or a helper did it for them: the
// same record of every change as a closure or an officer leaves them, so a
// booking made on someone's behalf never goes unnoticed. Each is added in
// the transaction of the change.

// slotText is an appointment's day and times at the centre's clock.
type slotText struct{ day, from, to string }

func slotOf(start, end time.Time) slotText {
	loc := clock.Shanghai()
	return slotText{start.In(loc).Format("2006-01-02"), start.In(loc).Format("15:04"), end.In(loc).Format("15:04")}
}

// where names the centre in a notice: its name, and its address when a
// source gives one (the directory leaves an unknown address empty).
func where(a Appointment) i18n.Text {
	w := a.CenterName
	if a.CenterAddress.En != "" {
		w.En += ", " + a.CenterAddress.En
	}
	if a.CenterAddress.Zh != "" {
		w.Zh += "（" + a.CenterAddress.Zh + "）"
	}
	return w
}

// byHelper is the sentence added when an account acting for the person
// made the change.
func byHelper(by audit.Actor) i18n.Text {
	if by.OnBehalfOf == "" {
		return i18n.T("", "")
	}
	return i18n.T(" This was done for you by a helper you authorised.", "此操作由您授权的协办人代为办理。")
}

func bookedNotice(a Appointment, by audit.Actor) notifications.Notification {
	at, name, helper, place := slotOf(a.Start, a.End), BusinessName(a.Business), byHelper(by), where(a)
	return notifications.Notification{PersonID: a.PersonID, Kind: "appointment.booked", Ref: a.ID,
		Subject: i18n.T(fmt.Sprintf("Appointment booked for %s %s", at.day, at.from),
			fmt.Sprintf("您已预约 %s %s", at.day, at.from)),
		Body: i18n.T(
			fmt.Sprintf("Your appointment for %s is booked at %s, on %s from %s to %s. Confirmation code: %s. Please bring your passport and the documents listed in the guideline.%s",
				name.En, place.En, at.day, at.from, at.to, a.ConfirmationCode, helper.En),
			fmt.Sprintf("您已预约于 %s %s–%s 在%s办理%s，确认码 %s。请携带护照及办事指南所列材料。%s",
				at.day, at.from, at.to, place.Zh, name.Zh, a.ConfirmationCode, helper.Zh)),
	}
}

func rescheduledNotice(before, a Appointment, by audit.Actor) notifications.Notification {
	was, at, name, helper, place := slotOf(before.Start, before.End), slotOf(a.Start, a.End), BusinessName(a.Business), byHelper(by), where(a)
	return notifications.Notification{PersonID: a.PersonID, Kind: "appointment.rescheduled", Ref: a.ID,
		Subject: i18n.T(fmt.Sprintf("Appointment moved to %s %s", at.day, at.from),
			fmt.Sprintf("您的预约已改至 %s %s", at.day, at.from)),
		Body: i18n.T(
			fmt.Sprintf("Your appointment for %s at %s (confirmation code %s) was moved from %s %s to %s from %s to %s. The earlier time is no longer reserved for you.%s",
				name.En, place.En, a.ConfirmationCode, was.day, was.from, at.day, at.from, at.to, helper.En),
			fmt.Sprintf("您在%s办理%s的预约（确认码 %s）已由 %s %s 改至 %s %s–%s，原时段不再为您保留。%s",
				place.Zh, name.Zh, a.ConfirmationCode, was.day, was.from, at.day, at.from, at.to, helper.Zh)),
	}
}

func cancelledNotice(a Appointment, by audit.Actor) notifications.Notification {
	at, name, place := slotOf(a.Start, a.End), BusinessName(a.Business), where(a)
	whose := i18n.T("at your request", "应您的要求")
	if by.OnBehalfOf != "" {
		whose = i18n.T("by a helper you authorised", "经您授权的协办人申请")
	}
	return notifications.Notification{PersonID: a.PersonID, Kind: "appointment.cancelled", Ref: a.ID,
		Subject: i18n.T(fmt.Sprintf("Your appointment on %s was cancelled", at.day),
			fmt.Sprintf("您 %s 的预约已取消", at.day)),
		Body: i18n.T(
			fmt.Sprintf("Your appointment for %s at %s, on %s from %s to %s (confirmation code %s) was cancelled %s. Book again whenever you need to.",
				name.En, place.En, at.day, at.from, at.to, a.ConfirmationCode, whose.En),
			fmt.Sprintf("%s，您于 %s %s–%s 在%s办理%s的预约（确认码 %s）已取消。如有需要，请重新预约。",
				whose.Zh, at.day, at.from, at.to, place.Zh, name.Zh, a.ConfirmationCode)),
	}
}
