package appointments

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/i18n"
)

// FuzzDayCursor: the officers' list cursor comes back from clients.
func FuzzDayCursor(f *testing.F) {
	for _, s := range []string{"1764550800|019a0000-0000-7000-8000-000000000000", "", "|", "x|y", "-1|a", "99999999999999999999|a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, id, ok := splitDayCursor(s)
		if !ok {
			return
		}
		if id == "" || at.Location() != time.UTC || !strings.HasSuffix(s, "|"+id) {
			t.Fatalf("accepted %q as %v %q", s, at, id)
		}
	})
}

// FuzzCalendarText: whatever a centre's name or address holds, the calendar
// file stays parseable and the address comes back unchanged; with no address
// known, the centre's name stands for it.
func FuzzCalendarText(f *testing.F) {
	for _, s := range []string{"2 Andingmen East Street, Dongcheng; Beijing", "北京市东城区安定门东大街2号" + strings.Repeat("号", 40), `a\b`, "line1\nline2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		if !utf8.ValidString(addr) || strings.ContainsAny(addr, "\r\x00") || strings.TrimSpace(addr) != addr {
			return
		}
		for _, r := range addr {
			if r < 0x20 && r != '\n' {
				return
			}
		}
		sc := CenterSchedule{ID: "c1", Name: i18n.T("Hall", "大厅"), Address: i18n.T(addr, addr)}
		a := Appointment{ID: "a1", Business: business.VisaExtension, ConfirmationCode: "ABCDEFGH",
			Start: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC)}
		body := renderICS(a, sc, i18n.EN)
		for _, line := range bytes.Split(body, []byte("\r\n")) {
			if len(line) > 75 {
				t.Fatalf("line of %d octets", len(line))
			}
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(body))
		if err != nil || len(cal.Events()) != 1 {
			t.Fatalf("unparseable: %v\n%s", err, body)
		}
		want := addr
		if addr == "" {
			want = "Hall"
		}
		got := cal.Events()[0].GetProperty(ics.ComponentPropertyLocation)
		if got == nil || got.Value != want {
			t.Fatalf("LOCATION %v, want %q", got, want)
		}
	})
}
