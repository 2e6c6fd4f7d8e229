package appointments

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
)

// SlotGroup is a set of business types that share slots: one length, one
// capacity, one counter per slot.
type SlotGroup struct {
	Name        string
	Businesses  []string
	SlotMinutes int
	Capacity    int
}

// SlotConfig is how a centre's day is cut into bookable slots.
type SlotConfig struct {
	CenterID      string
	Window        Window
	DefaultWindow bool // the centre has no window of its own
	Groups        []SlotGroup
}

var groupNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// Limits of a slot configuration, mirrored by CHECK constraints.
const (
	minSlotMinutes = 5
	maxSlotMinutes = 240
	maxCapacity    = 500
	maxWindowDays  = 90
	maxGroups      = 12
)

func (w Window) validate() error {
	if w.From < 0 || w.To > maxWindowDays || w.From > w.To {
		return apperr.Invalid("invalid_window", "window",
			i18n.T("The booking window must run from 0 to 90 days ahead, its start not after its end.",
				"预约期须在 0 至 90 天之内，且开始不晚于结束。"))
	}
	return nil
}

// validate checks a configuration against the centre it is for and reports
// every bad field at once.
func (c SlotConfig) validate(sc CenterSchedule) error {
	var fields []apperr.FieldError
	add := func(field, code string, msg i18n.Text) {
		fields = append(fields, apperr.FieldError{Field: field, Code: code, Message: msg})
	}
	if err := c.Window.validate(); err != nil && !c.DefaultWindow {
		e, _ := apperr.As(err)
		add(e.Field, e.Code, e.Message)
	}
	if len(c.Groups) > maxGroups {
		add("groups", "too_many_groups", i18n.T("At most 12 groups.", "最多 12 个分组。"))
	}
	names, seen := map[string]bool{}, map[string]bool{}
	for i, g := range c.Groups {
		at := fmt.Sprintf("groups[%d]", i)
		if !groupNamePattern.MatchString(g.Name) || names[g.Name] {
			add(at+".name", "invalid_group_name", i18n.T("Group names are unique, lower-case letters, digits and _.", "分组名须唯一，由小写字母、数字和下划线组成。"))
		}
		names[g.Name] = true
		if g.SlotMinutes < minSlotMinutes || g.SlotMinutes > maxSlotMinutes {
			add(at+".slot_minutes", "invalid_slot_minutes", i18n.T("Slot length is 5 to 240 minutes.", "时段长度为 5 至 240 分钟。"))
		}
		if g.Capacity < 1 || g.Capacity > maxCapacity {
			add(at+".capacity", "invalid_capacity", i18n.T("Capacity is 1 to 500 per slot.", "每个时段容量为 1 至 500。"))
		}
		if len(g.Businesses) == 0 {
			add(at+".businesses", "no_businesses", i18n.T("A group needs at least one business type.", "分组至少包含一个业务类型。"))
		}
		for j, b := range g.Businesses {
			bf := fmt.Sprintf("%s.businesses[%d]", at, j)
			switch {
			case !IsBusiness(b):
				add(bf, errUnknownBusiness.Code, errUnknownBusiness.Message)
			case !sc.handles(b):
				add(bf, errBusinessNotOffered.Code, errBusinessNotOffered.Message)
			case seen[b]:
				add(bf, "business_in_two_groups", i18n.T("A business type belongs to one group only.", "一个业务类型只能属于一个分组。"))
			}
			seen[b] = true
		}
	}
	if len(fields) == 0 {
		return nil
	}
	e := apperr.Invalid(fields[0].Code, fields[0].Field, fields[0].Message)
	e.Fields = fields
	return e
}

// SlotConfig returns a centre's configuration.
func (s *Service) SlotConfig(ctx context.Context, centerID string) (SlotConfig, error) {
	if _, err := s.schedule(ctx, centerID); err != nil {
		return SlotConfig{}, err
	}
	return s.loadConfig(s.db.Gorm.WithContext(ctx), centerID)
}

func (s *Service) loadConfig(tx *gorm.DB, centerID string) (SlotConfig, error) {
	cfg := SlotConfig{CenterID: centerID, Groups: []SlotGroup{}}
	w, def, err := s.windowOf(tx, centerID)
	if err != nil {
		return cfg, err
	}
	cfg.Window, cfg.DefaultWindow = w, def
	var groups []groupRow
	if err := tx.Where("center_id = ?", centerID).Order("name").Find(&groups).Error; err != nil {
		return cfg, internal("load groups", err)
	}
	var bs []groupBusinessRow
	if err := tx.Where("center_id = ?", centerID).Order("business").Find(&bs).Error; err != nil {
		return cfg, internal("load group businesses", err)
	}
	for _, g := range groups {
		sg := SlotGroup{Name: g.Name, SlotMinutes: g.SlotMinutes, Capacity: g.Capacity, Businesses: []string{}}
		for _, b := range bs {
			if b.GroupName == g.Name {
				sg.Businesses = append(sg.Businesses, b.Business)
			}
		}
		cfg.Groups = append(cfg.Groups, sg)
	}
	return cfg, nil
}

// SetSlotConfig replaces a centre's configuration in one transaction and
// audits it. Counters of future slots take the new capacity, but never less
// than what they already hold: existing bookings stay valid.
func (s *Service) SetSlotConfig(ctx context.Context, by audit.Actor, centerID string, cfg SlotConfig) (SlotConfig, error) {
	sc, err := s.schedule(ctx, centerID)
	if err != nil {
		return SlotConfig{}, err
	}
	cfg.CenterID = centerID
	if err := cfg.validate(sc); err != nil {
		return SlotConfig{}, err
	}
	now := s.clock.Now().UTC()
	var out SlotConfig
	err = s.transact(ctx, func(tx *gorm.DB) error {
		before, err := s.loadConfig(tx, centerID)
		if err != nil {
			return err
		}
		// The slots lock waits for bookings in flight, which share it
		// (holdGroup); the check below then counts them.
		if err := s.db.LockTx(tx, slotsLock(centerID)); err != nil {
			return internal("slots lock", err)
		}
		if err := replaceConfig(tx, cfg, now); err != nil {
			return err
		}
		if err := refuseStranding(tx, cfg, now); err != nil {
			return err
		}
		if out, err = s.loadConfig(tx, centerID); err != nil {
			return err
		}
		return audit.Write(tx, now, audit.Entry{Actor: by,
			Action: "appointments.slot_config.set", Entity: "service_center", EntityID: centerID,
			Before: before, After: out})
	})
	return out, internal("set slot config", err)
}

// refuseStranding refuses a configuration that would book a business in
// another group, or in slots of another length, while appointments for it
// are booked ahead: their seats are counted in the old group's slots, so
// new bookings would no longer see them and overbook the counter (a
// renamed group would start from an empty count). Capacity may change
// freely: a counter never drops below what it holds.
func refuseStranding(tx *gorm.DB, cfg SlotConfig, now time.Time) error {
	var rows []appointmentRow
	err := tx.Select("business", "business_group", "slot_start", "slot_end").
		Where("center_id = ? AND status = ? AND slot_start > ?", cfg.CenterID, string(Booked), now).Find(&rows).Error
	if err != nil {
		return internal("booked appointments", err)
	}
	groupOf := map[string]SlotGroup{}
	for _, g := range cfg.Groups {
		for _, b := range g.Businesses {
			groupOf[b] = g
		}
	}
	stranded := map[string]int{}
	for _, r := range rows {
		g, ok := groupOf[r.Business]
		if !ok || g.Name != r.BusinessGroup || time.Duration(g.SlotMinutes)*time.Minute != r.SlotEnd.Sub(r.SlotStart) {
			stranded[r.Business]++
		}
	}
	if len(stranded) == 0 {
		return nil
	}
	n, first := 0, ""
	for b, c := range stranded {
		n += c
		if first == "" || b < first {
			first = b
		}
	}
	return apperr.Conflict("slot_config_strands_bookings", i18n.T(
		fmt.Sprintf("%d booked appointments (business %s among them) would move to another group or slot length. Keep the group name and slot length of businesses with bookings, or change them once those appointments are past or cancelled.", n, first),
		fmt.Sprintf("有 %d 个已预约的预约（包括业务 %s）将被移到其他分组或时段长度。请保留有预约业务的分组名称和时段长度，或待这些预约过期或取消后再修改。", n, first)))
}

func replaceConfig(tx *gorm.DB, cfg SlotConfig, now time.Time) error {
	id := cfg.CenterID
	for _, q := range []string{
		"DELETE FROM appointment_slot_group_businesses WHERE center_id = ?",
		"DELETE FROM appointment_slot_groups WHERE center_id = ?",
		"DELETE FROM appointment_windows WHERE center_id = ?",
	} {
		if err := tx.Exec(q, id).Error; err != nil {
			return err
		}
	}
	if !cfg.DefaultWindow {
		w := windowRow{CenterID: id, FromDays: cfg.Window.From, ToDays: cfg.Window.To, UpdatedAt: now}
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
	}
	groups := append([]SlotGroup(nil), cfg.Groups...)
	sort.Slice(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	for _, g := range groups {
		gr := groupRow{CenterID: id, Name: g.Name, SlotMinutes: g.SlotMinutes, Capacity: g.Capacity, UpdatedAt: now}
		if err := tx.Create(&gr).Error; err != nil {
			return err
		}
		for _, b := range g.Businesses {
			if err := tx.Create(&groupBusinessRow{CenterID: id, Business: b, GroupName: g.Name}).Error; err != nil {
				return err
			}
		}
		err := tx.Exec(`UPDATE slot_bookings SET capacity = CASE WHEN booked > ? THEN booked ELSE ? END
			WHERE center_id = ? AND business_group = ? AND slot_start > ?`,
			g.Capacity, g.Capacity, id, g.Name, now).Error
		if err != nil {
			return err
		}
	}
	return nil
}
