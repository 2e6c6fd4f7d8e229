package directory

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/snapcache"
	"github.com/fprlink/fprlink/internal/storage"
)

// DefaultTTL is how long a snapshot is trusted. Writes through this process
// invalidate it at once; the TTL only bounds how long another instance's
// writes take to show here.
const DefaultTTL = 30 * time.Second

// Service reads and maintains the directory. Reads come from an immutable
// in-memory snapshot of every centre and calendar day (a few hundred rows at
// most), so the public API never waits on the database. The snapshot is
// loaded from the read replica when there is one, except right after a
// change made here (see storage.DB.ReadReplicaAfter).
type Service struct {
	db      *gorm.DB
	store   *storage.DB
	clock   clock.Clock
	cache   *snapcache.Cache[*snapshot]
	hooks   Hooks
	changed storage.LastWrite
}

type snapshot struct {
	centers []*Center // sorted by code
	byID    map[string]*Center
	days    []CalendarDay // sorted by date
	cal     *calendar.Calendar
}

// New builds the directory service on db. hooks are what the capabilities
// depending on centres run inside the directory's changes; the zero value
// runs none. ttl <= 0 means DefaultTTL.
func New(db *storage.DB, clk clock.Clock, hooks Hooks, ttl time.Duration) *Service {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	s := &Service{db: db.Gorm, store: db, clock: clk, hooks: hooks}
	s.cache = snapcache.New(clk, ttl, s.load)
	return s
}

var errNoCenter = apperr.NotFound("service_center_not_found",
	i18n.T("There is no service centre with this ID.", "不存在此编号的服务中心。"))

func (s *Service) current(ctx context.Context) (*snapshot, error) {
	sn, err := s.cache.Get(ctx)
	if err != nil {
		return nil, apperr.Internal("directory: load: %w", err)
	}
	return sn, nil
}

// Keep reloads the snapshot from the database at half its TTL until ctx
// ends, so reads are served from memory before the first one and while the
// database cannot be reached; failed is told of each reload that fails.
func (s *Service) Keep(ctx context.Context, failed func(error)) {
	s.cache.Keep(ctx, s.cache.TTL()/2, failed)
}

// invalidate drops the snapshot after a committed write, and sends the
// next loads to the primary until the replica holds the write.
func (s *Service) invalidate() {
	s.changed.Mark()
	s.cache.Invalidate()
}

// load reads every centre and calendar day, on the replica when it may.
func (s *Service) load(ctx context.Context) (*snapshot, error) {
	var sn *snapshot
	err := s.store.ReadReplicaAfter(ctx, &s.changed, func(db *gorm.DB) (err error) {
		sn, err = loadSnapshot(db)
		return err
	})
	return sn, err
}

func loadSnapshot(db *gorm.DB) (*snapshot, error) {
	var crows []centerRow
	var hrows []hoursRow
	var clrows []closureRow
	var drows []calendarDayRow
	if err := db.Order("code").Find(&crows).Error; err != nil {
		return nil, err
	}
	if err := db.Find(&hrows).Error; err != nil {
		return nil, err
	}
	if err := db.Order("day").Find(&clrows).Error; err != nil {
		return nil, err
	}
	if err := db.Order("day").Find(&drows).Error; err != nil {
		return nil, err
	}
	sn := &snapshot{byID: make(map[string]*Center, len(crows))}
	for _, r := range crows {
		c, err := r.center()
		if err != nil {
			return nil, err
		}
		sn.centers = append(sn.centers, &c)
		sn.byID[c.ID] = &c
	}
	if err := attachHours(sn.byID, hrows); err != nil {
		return nil, err
	}
	if err := attachClosures(sn.byID, clrows); err != nil {
		return nil, err
	}
	return sn, buildCalendar(sn, drows)
}

func attachHours(byID map[string]*Center, rows []hoursRow) error {
	for _, h := range rows {
		c := byID[h.CenterID]
		opens, err1 := ParseClock(h.Opens)
		closes, err2 := ParseClock(h.Closes)
		if c == nil || err1 != nil || err2 != nil || h.Weekday < 1 || h.Weekday > 7 {
			return fmt.Errorf("directory: bad hours row %s", h.ID)
		}
		c.Hours[h.Weekday] = append(c.Hours[h.Weekday], Period{opens, closes})
	}
	for _, c := range byID {
		for d := range c.Hours {
			ps := c.Hours[d]
			sort.Slice(ps, func(i, j int) bool { return ps[i].Opens < ps[j].Opens })
		}
	}
	return nil
}

func attachClosures(byID map[string]*Center, rows []closureRow) error {
	for _, r := range rows {
		d, err := calendar.ParseDate(r.Day)
		c := byID[r.CenterID]
		if err != nil || c == nil {
			return fmt.Errorf("directory: bad closure row %s", r.ID)
		}
		c.Closures = append(c.Closures, Closure{Date: d, Reason: i18n.T(r.ReasonEn, r.ReasonZh)})
	}
	return nil
}

func buildCalendar(sn *snapshot, rows []calendarDayRow) error {
	var hol, mk []calendar.Date
	for _, r := range rows {
		d, err := r.day()
		if err != nil {
			return fmt.Errorf("directory: bad calendar row %s: %w", r.Day, err)
		}
		sn.days = append(sn.days, d)
		if d.Kind == KindMakeup {
			mk = append(mk, d.Date)
		} else {
			hol = append(hol, d.Date)
		}
	}
	sn.cal = calendar.New(hol, mk)
	return nil
}

// Search finds centres matching q, with their status at now.
func (s *Service) Search(ctx context.Context, q Query, now time.Time) (paging.Page[Match], error) {
	sn, err := s.current(ctx)
	if err != nil {
		return paging.Page[Match]{}, err
	}
	return search(sn.centers, sn.cal, clock.Shanghai(), q, now), nil
}

// Center returns one centre with its hours, closures and business types.
func (s *Service) Center(ctx context.Context, id string) (Center, error) {
	sn, err := s.current(ctx)
	if err != nil {
		return Center{}, err
	}
	c, ok := sn.byID[id]
	if !ok {
		return Center{}, errNoCenter
	}
	return c.clone(), nil
}

// Detail returns one centre and its status at now.
func (s *Service) Detail(ctx context.Context, id string, now time.Time) (Match, error) {
	sn, err := s.current(ctx)
	if err != nil {
		return Match{}, err
	}
	c, ok := sn.byID[id]
	if !ok {
		return Match{}, errNoCenter
	}
	return Match{Center: c.clone(), Status: c.StatusAt(sn.cal, clock.Shanghai(), now)}, nil
}

// Calendar is the national working-day calendar as officers keep it. The
// value is immutable and safe to share.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	sn, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	return sn.cal, nil
}

// IsOpenDay reports whether a centre opens at all on a date: not closed by
// itself, not a public holiday (unless worked by notice) and with opening
// periods on that weekday.
func (s *Service) IsOpenDay(ctx context.Context, centerID string, d calendar.Date) (bool, error) {
	sn, err := s.current(ctx)
	if err != nil {
		return false, err
	}
	c, ok := sn.byID[centerID]
	if !ok {
		return false, errNoCenter
	}
	return len(c.PeriodsOn(sn.cal, d)) > 0, nil
}

// CalendarDays lists the holidays and make-up days of a year (every year
// when year is 0), by date.
func (s *Service) CalendarDays(ctx context.Context, year int) ([]CalendarDay, error) {
	sn, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	out := []CalendarDay{}
	for _, d := range sn.days {
		if year == 0 || d.Date.Year == year {
			out = append(out, d)
		}
	}
	return out, nil
}
