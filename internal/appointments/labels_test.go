package appointments_test

import (
	"testing"

	"github.com/fprlink/fprlink/internal/appointments"
)

// TestEveryStatusHasALabel: each status an appointment can have (the
// CHECK of appointments.status) is named in English and Chinese.
func TestEveryStatusHasALabel(t *testing.T) {
	for _, s := range []appointments.Status{appointments.Booked, appointments.Cancelled, appointments.Attended, appointments.NoShow} {
		l := s.Label()
		if l.En == "" || l.Zh == "" || l.En == string(s) || l.Zh == l.En {
			t.Errorf("%s has no label of its own: %+v", s, l)
		}
	}
	if l := appointments.Status("paused").Label(); l.En != "paused" {
		t.Errorf("an unknown status reads %+v, want its code", l)
	}
}
