package api

import (
	"time"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/appointments"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
)

// Response bodies of the appointment routes, and the slot configuration,
// which officers read and send back in the same shape: the wire shapes,
// kept apart from the domain types so either can change alone.

type appointmentView struct {
	ID               string  `json:"id"`
	ConfirmationCode string  `json:"confirmation_code"`
	Business         string  `json:"business"`
	BusinessName     string  `json:"business_name"`
	CenterID         string  `json:"center_id"`
	CenterName       string  `json:"center_name"`
	CenterAddress    string  `json:"center_address"`
	SlotStart        string  `json:"slot_start"`
	SlotEnd          string  `json:"slot_end"`
	Status           string  `json:"status"`
	StatusLabel      string  `json:"status_label"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
	CancelledAt      *string `json:"cancelled_at,omitempty"`
	CancelReason     string  `json:"cancel_reason,omitempty"`
	PersonID         string  `json:"person_id,omitempty"` // officers only
	CalendarURL      string  `json:"calendar_url"`
	// BookedBy is the account that booked it, in the person's own views.
	BookedBy *bookerView `json:"booked_by,omitempty"`
}

// bookerView names who booked an appointment: the person's own account,
// or (OnBehalf) a helper's acting for them.
type bookerView struct {
	AccountID string `json:"account_id"`
	Username  string `json:"username"`
	OnBehalf  bool   `json:"on_behalf"`
}

// apptLocalTime writes instants at the centres' offset (+08:00), which is what
// a person reads on the hall's clock.
func apptLocalTime(t time.Time) string { return t.In(clock.Shanghai()).Format(time.RFC3339) }

func newAppointmentView(a appointments.Appointment, lang i18n.Lang) appointmentView {
	v := appointmentView{ID: a.ID, ConfirmationCode: a.ConfirmationCode, Business: a.Business,
		BusinessName: appointments.BusinessName(a.Business).In(lang), CenterID: a.CenterID,
		CenterName: a.CenterName.In(lang), CenterAddress: a.CenterAddress.In(lang),
		SlotStart: apptLocalTime(a.Start), SlotEnd: apptLocalTime(a.End), Status: string(a.Status), StatusLabel: a.Status.Label().In(lang),
		CreatedAt: apptLocalTime(a.CreatedAt), UpdatedAt: apptLocalTime(a.UpdatedAt),
		CancelReason: a.CancelReason.In(lang), CalendarURL: "/api/v1/appointments/" + a.ID + "/calendar.ics"}
	if a.CancelledAt != nil {
		s := apptLocalTime(*a.CancelledAt)
		v.CancelledAt = &s
	}
	return v
}

type slotView struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Capacity  int    `json:"capacity"`
	Remaining int    `json:"remaining"`
}

type daySlotsView struct {
	CenterID string     `json:"center_id"`
	Business string     `json:"business"`
	Date     string     `json:"date"`
	Open     bool       `json:"open"`
	InWindow bool       `json:"in_window"`
	Slots    []slotView `json:"slots"`
}

func newDaySlotsView(d appointments.DaySlots) daySlotsView {
	v := daySlotsView{CenterID: d.CenterID, Business: d.Business, Date: d.Date, Open: d.Open,
		InWindow: d.InWindow, Slots: make([]slotView, len(d.Slots))}
	for i, s := range d.Slots {
		v.Slots[i] = slotView{Start: apptLocalTime(s.Start), End: apptLocalTime(s.End), Capacity: s.Capacity, Remaining: s.Remaining}
	}
	return v
}

type slotWindowJSON struct {
	FromDays int `json:"from_days"`
	ToDays   int `json:"to_days"`
}

type slotGroupJSON struct {
	Name        string   `json:"name"`
	Businesses  []string `json:"businesses"`
	SlotMinutes int      `json:"slot_minutes"`
	Capacity    int      `json:"capacity"`
}

// slotConfigJSON is both the PUT body and the answer. A null window means
// the service default, in both: what a GET returns can be PUT back
// unchanged. The window in force is effective_window (read only, as is
// default_window).
type slotConfigJSON struct {
	Window          *slotWindowJSON `json:"window"`
	DefaultWindow   bool            `json:"default_window"`
	EffectiveWindow *slotWindowJSON `json:"effective_window,omitempty"`
	Groups          []slotGroupJSON `json:"groups"`
}

func (r *slotConfigJSON) Validate() error {
	if r.Groups == nil {
		f := apptMissingField("groups")
		return apperr.Invalid(f.Code, f.Field, f.Message)
	}
	return nil
}

func (r slotConfigJSON) config() appointments.SlotConfig {
	cfg := appointments.SlotConfig{DefaultWindow: r.Window == nil}
	if r.Window != nil {
		cfg.Window = appointments.Window{From: r.Window.FromDays, To: r.Window.ToDays}
	}
	for _, g := range r.Groups {
		cfg.Groups = append(cfg.Groups, appointments.SlotGroup{Name: g.Name, Businesses: g.Businesses,
			SlotMinutes: g.SlotMinutes, Capacity: g.Capacity})
	}
	return cfg
}

func newSlotConfigJSON(cfg appointments.SlotConfig) slotConfigJSON {
	w := &slotWindowJSON{FromDays: cfg.Window.From, ToDays: cfg.Window.To}
	out := slotConfigJSON{DefaultWindow: cfg.DefaultWindow, EffectiveWindow: w, Groups: []slotGroupJSON{}}
	if !cfg.DefaultWindow {
		out.Window = w
	}
	for _, g := range cfg.Groups {
		out.Groups = append(out.Groups, slotGroupJSON{Name: g.Name, Businesses: g.Businesses,
			SlotMinutes: g.SlotMinutes, Capacity: g.Capacity})
	}
	return out
}

// notificationView is one message left for the caller.
type notificationView struct {
	ID        string  `json:"id"`
	Kind      string  `json:"kind"`
	Subject   string  `json:"subject"`
	Body      string  `json:"body"`
	Ref       string  `json:"ref,omitempty"`
	CreatedAt string  `json:"created_at"`
	ReadAt    *string `json:"read_at,omitempty"`
}
