package appointments

import (
	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Every rule has its own code, so a client can tell the person exactly
// what to change. Codes are stable API.
var (
	errUnknownBusiness = apperr.Invalid("unknown_business", "business",
		i18n.T("This is not a business type we offer appointments for.", "不是可预约的业务类型。"))
	errCenterNotFound = apperr.NotFound("center_not_found",
		i18n.T("There is no such service centre.", "没有此服务中心。"))
	errBusinessNotOffered = apperr.Invalid("business_not_offered", "business",
		i18n.T("This service centre does not handle this business.", "该服务中心不受理此业务。"))
	errSlotInPast = apperr.Invalid("slot_in_past", "slot_start",
		i18n.T("This time has already passed.", "该时间已过。"))
	errSlotOutsideWindow = apperr.Invalid("slot_outside_window", "slot_start",
		i18n.T("This day cannot be booked yet, or no longer: choose a day within the booking window.", "该日期不在可预约范围内，请选择预约期内的日期。"))
	errCenterClosed = apperr.Invalid("center_closed", "slot_start",
		i18n.T("The service centre is closed on this day.", "服务中心当日不办公。"))
	errNoSuchSlot = apperr.Invalid("no_such_slot", "slot_start",
		i18n.T("There is no appointment slot starting at this time.", "该时间没有可预约时段。"))
	errSlotFull = apperr.Conflict("slot_full",
		i18n.T("This slot is fully booked. Please choose another time.", "该时段已约满，请选择其他时间。"))
	errDuplicateBusiness = apperr.Conflict("duplicate_business",
		i18n.T("You already have an active appointment for this business.", "您已有该业务的有效预约。"))
	errTooManyActive = apperr.Conflict("too_many_appointments",
		i18n.T("You already hold 3 active appointments, the most allowed.", "您已有 3 个有效预约，已达上限。"))
	errNotFound = apperr.NotFound("appointment_not_found",
		i18n.T("There is no such appointment.", "没有此预约。"))
	errNotActive = apperr.Conflict("appointment_not_active",
		i18n.T("This appointment is no longer active.", "该预约已失效。"))
	errCancelTooLate = apperr.Conflict("cancel_too_late",
		i18n.T("Appointments can be cancelled until 2 hours before they start.", "预约须在开始前 2 小时之前取消。"))
	errRescheduleTooLate = apperr.Conflict("reschedule_too_late",
		i18n.T("Appointments can be rescheduled until 2 hours before they start.", "预约须在开始前 2 小时之前改期。"))
	errSameSlot = apperr.Invalid("same_slot", "slot_start",
		i18n.T("The appointment is already at this time.", "预约已在该时间。"))
	errIdempotencyReused = apperr.Invalid("idempotency_key_reused", "Idempotency-Key",
		i18n.T("This Idempotency-Key was already used for a different request.", "该幂等键已用于另一个请求。"))
	errAttendanceTooEarly = apperr.Conflict("attendance_too_early",
		i18n.T("Attendance can be recorded from the day of the appointment on.", "预约当日起才能登记到场情况。"))
	errAttendanceStatus = apperr.Invalid("invalid_attendance", "status",
		i18n.T(`status must be "attended" or "no_show".`, "到场情况须为“已到场”或“未到场”。"))
)
