package wiring

import (
	"github.com/fprlink/fprlink/internal/applications"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// centreHooks are every hook the directory runs for the capabilities that
// depend on its centres, each inside the directory's own transaction:
//
//   - a change to when a centre opens (a closure, new weekly hours, a
//     public holiday, a withdrawn make-up day) cancels the appointments it
//     leaves outside the opening hours, with a notification to each person,
//     reading the hours through centers as the transaction sees them;
//   - a centre people are still booked at stays until their appointments
//     are cancelled (closing the days does it, with notice) or past;
//   - a centre holding open applications, and so the applicants'
//     documents, stays until they are collected.
func centreHooks(centers appointments.Centers, appts *appointments.Service, apps *applications.Service) directory.Hooks {
	cancelUnservable := func(tx storage.Tx, centerIDs []string, from, to calendar.Date, reason i18n.Text) error {
		periods := func(id string, d calendar.Date) ([]appointments.Period, error) { return centers.PeriodsTx(tx, id, d) }
		_, err := appts.CancelUnservableTx(tx, centerIDs, from, to, periods, reason)
		return err
	}
	return directory.Hooks{
		ScheduleChanged: []directory.ScheduleHook{cancelUnservable},
		Deleting:        []directory.DeleteHook{appts.RefuseIfBookedTx, apps.RefuseIfOpenTx},
	}
}
