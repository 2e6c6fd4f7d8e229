package applications

import (
	"time"

	"github.com/fprlink/fprlink/internal/calendar"
)

// Deadline is the last day on which an application submitted at instant
// submitted must be decided: the submission's date in Asia/Shanghai plus
// days working days of cal. The submission day itself is not counted
// ("within 7 working days of acceptance"), weekends and public holidays
// are skipped and make-up working days count.
func Deadline(cal *calendar.Calendar, submitted time.Time, days int) calendar.Date {
	return cal.AddWorkingDays(calendar.LocalDate(submitted), days)
}

// extendForPause moves deadline by the working days an application spent
// waiting for supplementary documents, from the day they were requested
// (not counted) to the day review resumed (counted): that time is the
// applicant's, not the administration's.
func extendForPause(cal *calendar.Calendar, deadline, pausedOn, resumedOn calendar.Date) calendar.Date {
	return cal.AddWorkingDays(deadline, cal.WorkingDaysBetween(pausedOn, resumedOn))
}
