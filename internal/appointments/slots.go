package appointments

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
)

// target is a slot that a booking may take: checked against the centre's
// business types, configuration, calendar and the booking window.
type target struct {
	sched CenterSchedule
	group groupRow
	start time.Time
	end   time.Time
}

// resolve checks that business can be booked at start at the centre and
// returns the slot. The order of checks gives the most useful answer first:
// what, where, when.
func (s *Service) resolve(ctx context.Context, sc CenterSchedule, business string, start time.Time) (target, error) {
	if !IsBusiness(business) {
		return target{}, errUnknownBusiness
	}
	if !sc.handles(business) {
		return target{}, errBusinessNotOffered
	}
	db := s.db.Gorm.WithContext(ctx)
	g, err := groupOf(db, sc.ID, business)
	if err != nil {
		return target{}, err
	}
	now := s.clock.Now()
	if !start.After(now) {
		return target{}, errSlotInPast
	}
	w, _, err := s.windowOf(db, sc.ID)
	if err != nil {
		return target{}, err
	}
	d := calendar.LocalDate(start)
	if !inWindow(w, calendar.LocalDate(now), d) {
		return target{}, errSlotOutsideWindow
	}
	periods := sc.periodsOn(d)
	if len(periods) == 0 {
		return target{}, errCenterClosed
	}
	times := slotTimes(periods, d, time.Duration(g.SlotMinutes)*time.Minute)
	for _, t := range times {
		if t[0].Equal(start) {
			return target{sched: sc, group: g, start: t[0], end: t[1]}, nil
		}
	}
	return target{}, errNoSuchSlot
}

func inWindow(w Window, today, d calendar.Date) bool {
	return !d.Before(today.AddDays(w.From)) && !today.AddDays(w.To).Before(d)
}

// dayBounds is [local midnight of d, next local midnight) in UTC.
func dayBounds(d calendar.Date) (time.Time, time.Time) {
	loc := clock.Shanghai()
	return d.Time(loc).UTC(), d.AddDays(1).Time(loc).UTC()
}

// Slots lists the slots of business at a centre on date with the seats left
// in each. Days outside the booking window or closed come back empty with
// InWindow or Open false, so a client can say why.
func (s *Service) Slots(ctx context.Context, centerID, business string, date calendar.Date) (DaySlots, error) {
	out := DaySlots{CenterID: centerID, Business: business, Date: date.String(), Slots: []Slot{}}
	if !IsBusiness(business) {
		return out, errUnknownBusiness
	}
	sc, err := s.schedule(ctx, centerID)
	if err != nil {
		return out, err
	}
	if !sc.handles(business) {
		return out, errBusinessNotOffered
	}
	db := s.db.Gorm.WithContext(ctx)
	g, err := groupOf(db, centerID, business)
	if err != nil {
		return out, err
	}
	w, _, err := s.windowOf(db, centerID)
	if err != nil {
		return out, err
	}
	now := s.clock.Now()
	periods := sc.periodsOn(date)
	out.Open = len(periods) > 0
	out.InWindow = inWindow(w, calendar.LocalDate(now), date)
	if !out.Open || !out.InWindow {
		return out, nil
	}
	times := slotTimes(periods, date, time.Duration(g.SlotMinutes)*time.Minute)
	booked, err := countersOn(db, centerID, g.Name, date)
	if err != nil {
		return out, err
	}
	for _, t := range times {
		if !t[0].After(now) {
			continue
		}
		slot := Slot{Start: t[0], End: t[1], Capacity: g.Capacity, Remaining: g.Capacity}
		if c, ok := booked[t[0].Unix()]; ok {
			slot.Capacity, slot.Remaining = c.Capacity, max(c.Capacity-c.Booked, 0)
		}
		out.Slots = append(out.Slots, slot)
	}
	return out, nil
}

// countersOn returns the counters of a group's slots on date by start.
func countersOn(db *gorm.DB, centerID, group string, date calendar.Date) (map[int64]counterRow, error) {
	from, to := dayBounds(date)
	var rows []counterRow
	err := db.Where("center_id = ? AND business_group = ? AND slot_start >= ? AND slot_start < ?",
		centerID, group, from, to).Find(&rows).Error
	if err != nil {
		return nil, internal("slot counters", err)
	}
	m := make(map[int64]counterRow, len(rows))
	for _, r := range rows {
		m[r.SlotStart.Unix()] = r
	}
	return m, nil
}
