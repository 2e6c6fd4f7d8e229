package appointments

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/storage"
)

// Window is the booking window in days from today (Asia/Shanghai): a day d
// can be booked when today+From <= d <= today+To.
type Window struct {
	From int
	To   int
}

// The default booking window: tomorrow to 14 days ahead.
const (
	DefaultWindowFrom = 1
	DefaultWindowTo   = 14
)

// Options are the service's settings.
type Options struct {
	// Window is the booking window of centres that have none configured;
	// DefaultWindowFrom–DefaultWindowTo when zero.
	Window Window
}

// Service books, changes and lists appointments.
type Service struct {
	db      *storage.DB
	centers Centers
	clock   clock.Clock
	window  Window
}

// New builds the service. Every dependency is required.
func New(db *storage.DB, clk clock.Clock, centers Centers, opts Options) (*Service, error) {
	if db == nil || centers == nil || clk == nil {
		return nil, errors.New("appointments: db, centers and clock are required")
	}
	if opts.Window == (Window{}) {
		opts.Window = Window{From: DefaultWindowFrom, To: DefaultWindowTo}
	}
	if err := opts.Window.validate(); err != nil {
		return nil, fmt.Errorf("appointments: default window: %w", err)
	}
	return &Service{db: db, centers: centers, clock: clk, window: opts.Window}, nil
}

// schedule fetches a centre from the directory, mapping its absence to our
// own not-found error.
func (s *Service) schedule(ctx context.Context, centerID string) (CenterSchedule, error) {
	sc, err := s.centers.Schedule(ctx, centerID)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.KindNotFound {
			return sc, errCenterNotFound
		}
		return sc, apperr.Internal("appointments: centre %s: %w", centerID, err)
	}
	return sc, nil
}

// groupOf finds the slot group a centre books business in.
func groupOf(tx *gorm.DB, centerID, business string) (groupRow, error) {
	var g groupRow
	err := tx.Table("appointment_slot_groups AS g").
		Select("g.center_id, g.name, g.slot_minutes, g.capacity, g.updated_at").
		Joins("JOIN appointment_slot_group_businesses b ON b.center_id = g.center_id AND b.group_name = g.name").
		Where("b.center_id = ? AND b.business = ?", centerID, business).
		Take(&g).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return g, errBusinessNotOffered
	}
	if err != nil {
		return g, apperr.Internal("appointments: slot group: %w", err)
	}
	return g, nil
}

// errConfigChanged means the centre's slot configuration changed between
// resolving a slot and booking it; a booking resolves the slot again, and
// the caller sees this only if it keeps changing.
var errConfigChanged = apperr.Conflict("slot_config_changed",
	i18n.T("The centre's appointment slots have just changed. Please choose a slot again.", "服务中心的预约时段刚刚调整，请重新选择时段。"))

// slotsLock names the lock that keeps a change of a centre's slot
// configuration from crossing its bookings: bookings share it, the change
// takes it alone.
func slotsLock(centerID string) string { return "appointments slot configuration " + centerID }

// holdGroup re-reads, inside a booking's transaction and under the shared
// slots lock, the group t was resolved in: a change of the slot
// configuration waits for the booking and then sees it, and a booking that
// waited for a change sees the new configuration. It returns the group as
// stored, whose capacity counts, or errConfigChanged when the business is
// now booked otherwise.
func (s *Service) holdGroup(tx *gorm.DB, t target, business string) (groupRow, error) {
	if err := s.db.ShareLockTx(tx, slotsLock(t.sched.ID)); err != nil {
		return groupRow{}, internal("slots lock", err)
	}
	g, err := groupOf(tx, t.sched.ID, business)
	switch {
	case errors.Is(err, errBusinessNotOffered):
		return g, errConfigChanged
	case err != nil:
		return g, err
	case g.Name != t.group.Name || g.SlotMinutes != t.group.SlotMinutes:
		return g, errConfigChanged
	}
	return g, nil
}

// windowOf is a centre's booking window, or the service default.
func (s *Service) windowOf(tx *gorm.DB, centerID string) (Window, bool, error) {
	var w windowRow
	err := tx.Where("center_id = ?", centerID).Take(&w).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s.window, true, nil
	}
	if err != nil {
		return Window{}, false, apperr.Internal("appointments: window: %w", err)
	}
	return Window{From: w.FromDays, To: w.ToDays}, false, nil
}

// internal passes nil and typed errors through and wraps anything else as
// an internal error, whose text only reaches the log.
func internal(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return apperr.Internal("appointments: %s: %w", what, err)
}
