package appointments

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// icsTZID is the time zone the event's times are written in. Writing local
// times with a TZID (and the VTIMEZONE that defines it) shows the visit at
// the hall's wall-clock time whatever zone the person's device is in.
const icsTZID = "Asia/Shanghai"

// Calendar renders personID's appointment as an RFC 5545 iCalendar file in
// lang. The UID is derived from the appointment ID, so re-importing after a
// reschedule updates the same event (SEQUENCE grows with each change).
func (s *Service) Calendar(ctx context.Context, personID, id string, lang i18n.Lang) ([]byte, error) {
	a, err := s.Get(ctx, personID, id)
	if err != nil {
		return nil, err
	}
	sc, err := s.schedule(ctx, a.CenterID)
	if err != nil {
		return nil, err
	}
	return renderICS(a, sc, lang), nil
}

func renderICS(a Appointment, sc CenterSchedule, lang i18n.Lang) []byte {
	loc := clock.Shanghai()
	local := func(t time.Time) string { return t.In(loc).Format("20060102T150405") }
	status := "CONFIRMED"
	if a.Status == Cancelled {
		status = "CANCELLED"
	}
	summary := i18n.T(fmt.Sprintf("Appointment: %s at %s", BusinessName(a.Business).En, sc.Name.En),
		fmt.Sprintf("预约：%s（%s）", BusinessName(a.Business).Zh, sc.Name.Zh))
	desc := i18n.T(
		fmt.Sprintf("Confirmation code: %s\nBring your passport and the documents listed in the guideline.", a.ConfirmationCode),
		fmt.Sprintf("确认码：%s\n请携带护照及办事指南所列材料。", a.ConfirmationCode))
	var b strings.Builder
	line := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//fprlink//appointments//EN")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("BEGIN", "VTIMEZONE")
	line("TZID", icsTZID)
	line("BEGIN", "STANDARD")
	line("DTSTART", "19700101T000000")
	line("TZOFFSETFROM", "+0800")
	line("TZOFFSETTO", "+0800")
	line("TZNAME", "CST")
	line("END", "STANDARD")
	line("END", "VTIMEZONE")
	line("BEGIN", "VEVENT")
	line("UID", a.ID+"@appointments.fprlink")
	line("DTSTAMP", a.UpdatedAt.UTC().Format("20060102T150405Z"))
	line("SEQUENCE", fmt.Sprint(a.Sequence))
	line("DTSTART;TZID="+icsTZID, local(a.Start))
	line("DTEND;TZID="+icsTZID, local(a.End))
	line("SUMMARY", escapeText(summary.In(lang)))
	line("LOCATION", escapeText(icsLocation(sc, lang)))
	line("DESCRIPTION", escapeText(desc.In(lang)))
	line("STATUS", status)
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return []byte(b.String())
}

// icsLocation is where the visit takes place: the centre's address, or
// its name when no source gives the address, which still finds the hall.
func icsLocation(sc CenterSchedule, lang i18n.Lang) string {
	if a := sc.Address.In(lang); a != "" {
		return a
	}
	return sc.Name.In(lang)
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold ends a content line with CRLF, breaking it into lines of at most 75
// octets (§3.1) without splitting a UTF-8 character; continuation lines
// start with a space.
func fold(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
