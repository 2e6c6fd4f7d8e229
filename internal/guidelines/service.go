package guidelines

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/snapcache"
	"github.com/fprlink/fprlink/internal/storage"
)

// DefaultTTL bounds how long another instance's update takes to show here.
const DefaultTTL = 30 * time.Second

type versionRow struct {
	ID            string `gorm:"primaryKey"`
	Business      string
	Version       int
	EffectiveFrom string
	Content       string
	CreatedAt     time.Time
	CreatedBy     string
}

func (versionRow) TableName() string { return "guideline_versions" }

// Service reads and publishes guidelines from an in-memory snapshot of every
// version (a dozen business types, a few versions each).
//
// The snapshot is loaded from the read replica when there is one, except
// right after a publication here (see storage.DB.ReadReplicaAfter).
type Service struct {
	db        *gorm.DB
	store     *storage.DB
	clock     clock.Clock
	cache     *snapcache.Cache[map[string][]Guideline]
	published storage.LastWrite
}

// New builds the guideline service on db. ttl <= 0 means DefaultTTL.
func New(db *storage.DB, clk clock.Clock, ttl time.Duration) *Service {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	s := &Service{db: db.Gorm, store: db, clock: clk}
	s.cache = snapcache.New(clk, ttl, s.load)
	return s
}

var (
	errUnknownBusiness = apperr.NotFound("unknown_business",
		i18n.T("There is no business type with this code; see /api/v1/business-types.", "不存在此业务类型，请参阅 /api/v1/business-types。"))
	errNoGuideline = apperr.NotFound("guideline_not_found",
		i18n.T("No guideline is in force for this business type.", "此业务类型暂无生效的办事指南。"))
	errNoVersion = apperr.NotFound("guideline_version_not_found",
		i18n.T("This guideline has no such version.", "此指南没有该版本。"))
	errRace = apperr.Conflict("guideline_version_conflict",
		i18n.T("Another update was published at the same moment; try again.", "另一更新同时发布，请重试。"))
)

// load reads every version, grouped by business, oldest first.
func (s *Service) load(ctx context.Context) (map[string][]Guideline, error) {
	var rows []versionRow
	err := s.store.ReadReplicaAfter(ctx, &s.published, func(db *gorm.DB) error {
		return db.Order("business, version").Find(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]Guideline{}
	for _, r := range rows {
		g, err := r.guideline()
		if err != nil {
			return nil, err
		}
		out[r.Business] = append(out[r.Business], g)
	}
	return out, nil
}

func (r versionRow) guideline() (Guideline, error) {
	d, err := calendar.ParseDate(r.EffectiveFrom)
	if err != nil {
		return Guideline{}, fmt.Errorf("guidelines: %s v%d: %w", r.Business, r.Version, err)
	}
	g := Guideline{Business: r.Business, Version: r.Version, EffectiveFrom: d, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
	if err := json.Unmarshal([]byte(r.Content), &g.Content); err != nil {
		return Guideline{}, fmt.Errorf("guidelines: %s v%d content: %w", r.Business, r.Version, err)
	}
	g.Content = g.Content.withLists()
	return g, nil
}

// invalidate drops the snapshot after a committed publication, and sends
// the next loads to the primary until the replica holds it.
func (s *Service) invalidate() {
	s.published.Mark()
	s.cache.Invalidate()
}

func (s *Service) all(ctx context.Context) (map[string][]Guideline, error) {
	m, err := s.cache.Get(ctx)
	if err != nil {
		return nil, apperr.Internal("guidelines: load: %w", err)
	}
	return m, nil
}

// Keep reloads the snapshot from the database at half its TTL until ctx
// ends, so reads are served from memory before the first one and while the
// database cannot be reached; failed is told of each reload that fails.
func (s *Service) Keep(ctx context.Context, failed func(error)) {
	s.cache.Keep(ctx, s.cache.TTL()/2, failed)
}

// inForce is the newest version effective on day, if any.
func inForce(versions []Guideline, day calendar.Date) (Guideline, bool) {
	for i := len(versions) - 1; i >= 0; i-- {
		if !day.Before(versions[i].EffectiveFrom) {
			return versions[i], true
		}
	}
	return Guideline{}, false
}

// Current is the guideline of a business type in force on day.
func (s *Service) Current(ctx context.Context, code string, day calendar.Date) (Guideline, error) {
	if !business.Valid(code) {
		return Guideline{}, errUnknownBusiness
	}
	m, err := s.all(ctx)
	if err != nil {
		return Guideline{}, err
	}
	g, ok := inForce(m[code], day)
	if !ok {
		return Guideline{}, errNoGuideline
	}
	return g, nil
}

// List is every guideline in force on day, in the business catalogue order.
func (s *Service) List(ctx context.Context, day calendar.Date) ([]Guideline, error) {
	m, err := s.all(ctx)
	if err != nil {
		return nil, err
	}
	out := []Guideline{}
	for _, b := range business.All() {
		if g, ok := inForce(m[b.Code], day); ok {
			out = append(out, g)
		}
	}
	return out, nil
}

// Versions pages through a guideline's history, newest first.
func (s *Service) Versions(ctx context.Context, code string, page paging.Request) (paging.Page[Guideline], error) {
	if !business.Valid(code) {
		return paging.Page[Guideline]{}, errUnknownBusiness
	}
	m, err := s.all(ctx)
	if err != nil {
		return paging.Page[Guideline]{}, err
	}
	after := -1
	if page.After != "" {
		if after, err = strconv.Atoi(page.After); err != nil {
			return paging.Page[Guideline]{}, paging.ErrBadCursor
		}
	}
	vs := m[code]
	var rows []Guideline
	for i := len(vs) - 1; i >= 0 && len(rows) <= page.Limit; i-- {
		if after < 0 || vs[i].Version < after {
			rows = append(rows, vs[i])
		}
	}
	return paging.Build(rows, page.Limit, func(g Guideline) string { return strconv.Itoa(g.Version) }), nil
}

// Version is one version of a guideline, in force or not.
func (s *Service) Version(ctx context.Context, code string, version int) (Guideline, error) {
	if !business.Valid(code) {
		return Guideline{}, errUnknownBusiness
	}
	m, err := s.all(ctx)
	if err != nil {
		return Guideline{}, err
	}
	vs := m[code]
	i := sort.Search(len(vs), func(i int) bool { return vs[i].Version >= version })
	if i == len(vs) || vs[i].Version != version {
		return Guideline{}, errNoVersion
	}
	return vs[i], nil
}

// insertVersion appends the next version of a business type's guideline.
func insertVersion(tx *gorm.DB, now time.Time, code string, from calendar.Date, c Content, by string) (versionRow, error) {
	var last versionRow
	err := tx.Where("business = ?", code).Order("version DESC").Limit(1).Take(&last).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return last, err
	}
	if err == nil && from.Before(mustDate(last.EffectiveFrom)) {
		return last, apperr.Invalid("effective_before_latest", "effective_from",
			i18n.T("effective_from cannot be earlier than the latest version's.", "生效日期不能早于最新版本的生效日期。"))
	}
	body, err := json.Marshal(c.withLists())
	if err != nil {
		return last, err
	}
	row := versionRow{ID: uuid.Must(uuid.NewV7()).String(), Business: code, Version: last.Version + 1,
		EffectiveFrom: from.String(), Content: string(body), CreatedAt: now, CreatedBy: by}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return row, errRace
		}
		return row, err
	}
	return row, nil
}

func mustDate(s string) calendar.Date {
	d, _ := calendar.ParseDate(s)
	return d
}
