package directory

import (
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Hooks are what the capabilities that depend on centres (appointments,
// applications) run inside the directory's own transactions, so that they
// follow a change atomically or refuse it. They are given to New and
// never change afterwards; package wiring builds them, in one place, for
// the whole binary.
type Hooks struct {
	// ScheduleChanged run, in order, after a change of when centres open
	// (a closure, new weekly hours, a public holiday, a withdrawn make-up
	// day).
	ScheduleChanged []ScheduleHook
	// Deleting run, in order, before a centre is removed.
	Deleting []DeleteHook
}

// ScheduleHook runs inside the transaction that changes when centres open,
// after the change: what depends on a centre being open at a time
// (appointments) follows in the same commit. centerIDs nil means every
// centre; from..to are the dates the change may affect; reason is what the
// people affected are told. An error rolls the change back.
type ScheduleHook func(tx storage.Tx, centerIDs []string, from, to calendar.Date, reason i18n.Text) error

// DeleteHook runs inside the transaction that removes a centre, before it
// goes; an error (a centre people are still booked at) keeps it.
type DeleteHook func(tx storage.Tx, centerID string) error

func (h Hooks) scheduleChanged(tx *gorm.DB, centerIDs []string, from, to calendar.Date, reason i18n.Text) error {
	for _, hook := range h.ScheduleChanged {
		if err := hook(storage.TxOf(tx), centerIDs, from, to, reason); err != nil {
			return err
		}
	}
	return nil
}

func (h Hooks) deleting(tx *gorm.DB, centerID string) error {
	for _, hook := range h.Deleting {
		if err := hook(storage.TxOf(tx), centerID); err != nil {
			return err
		}
	}
	return nil
}
