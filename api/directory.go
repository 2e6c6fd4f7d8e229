package api

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/directory"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// CenterFinder is what the public directory routes read.
type CenterFinder interface {
	Search(ctx context.Context, q directory.Query, now time.Time) (paging.Page[directory.Match], error)
	Detail(ctx context.Context, id string, now time.Time) (directory.Match, error)
	CalendarDays(ctx context.Context, year int) ([]directory.CalendarDay, error)
}

// CenterEditor is what officers change about a centre.
type CenterEditor interface {
	CreateCenter(ctx context.Context, by audit.Actor, in directory.Particulars) (directory.Center, error)
	UpdateCenter(ctx context.Context, by audit.Actor, id string, in directory.Particulars) (directory.Center, error)
	DeleteCenter(ctx context.Context, by audit.Actor, id string) error
	SetHours(ctx context.Context, by audit.Actor, id string, periods []directory.OpeningPeriod) (directory.Center, error)
}

// ScheduleEditor is what officers change about closures and the calendar.
type ScheduleEditor interface {
	AddClosure(ctx context.Context, by audit.Actor, id string, cl directory.Closure) (directory.Center, error)
	RemoveClosure(ctx context.Context, by audit.Actor, id string, d calendar.Date) error
	PutCalendarDay(ctx context.Context, by audit.Actor, d directory.CalendarDay) (bool, error)
	DeleteCalendarDay(ctx context.Context, by audit.Actor, d calendar.Date) error
}

var (
	_ CenterFinder   = (*directory.Service)(nil)
	_ CenterEditor   = (*directory.Service)(nil)
	_ ScheduleEditor = (*directory.Service)(nil)
)

// Directory are the services behind the directory routes; one
// *directory.Service satisfies every field. A nil field makes the routes
// that call it answer 503.
type Directory struct {
	Centers  CenterFinder
	Editor   CenterEditor
	Schedule ScheduleEditor
}

// directoryHandler serves the directory routes and the business types. The
// clock says which centres are open now and which closures are still
// coming.
type directoryHandler struct {
	responder
	Directory
	clock clock.Clock
}

var errDirectoryOff = capabilityOff("directory_unavailable",
	i18n.T("The service-centre directory is not available.", "服务中心名录暂不可用。"))

func (h directoryHandler) handleBusinessTypes(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	var views []businessTypeView
	for i, t := range business.All() {
		if key := catalogueIndex(i); page.After == "" || key > page.After {
			v := businessTypeViewOf(t, lang)
			v.key = key
			views = append(views, v)
		}
	}
	h.renderCacheable(c, memPage(views, page.Limit, func(v businessTypeView) string { return v.key }))
}

// memPage cuts an in-memory list already past the cursor into a page.
func memPage[T any](items []T, limit int, key func(T) string) paging.Page[T] {
	if len(items) > limit+1 {
		items = items[:limit+1]
	}
	return paging.Build(items, limit, key)
}

func catalogueIndex(i int) string { return strconv.Itoa(1000 + i) }

func (h directoryHandler) handleListCenters(c *gin.Context) {
	q, err := directory.ParseQuery(directory.RawQuery{
		Province: c.Query("province"), City: c.Query("city"), Business: c.Query("business"),
		OpenAt: c.Query("open_at"), Near: c.Query("near"), RadiusKM: c.Query("radius_km"),
		Limit: c.Query("limit"), Cursor: c.Query("cursor"),
	})
	if h.failIf(c, err) {
		return
	}
	now := h.clock.Now()
	page, err := h.Centers.Search(c.Request.Context(), q, now)
	if h.failIf(c, err) {
		return
	}
	lang, today := langOf(c), calendar.LocalDate(now)
	h.renderCacheable(c, paging.Map(page, func(m directory.Match) dirCenterView { return dirCenterViewOf(m, lang, today) }))
}

func (h directoryHandler) handleGetCenter(c *gin.Context) {
	now := h.clock.Now()
	m, err := h.Centers.Detail(c.Request.Context(), c.Param("id"), now)
	if h.failIf(c, err) {
		return
	}
	h.renderCacheable(c, dirCenterViewOf(m, langOf(c), calendar.LocalDate(now)))
}

var errDirBadYear = apperr.Malformed("invalid_year", "year",
	i18n.T("year must be a year from 2000 to 2100.", "年份必须在 2000 至 2100 之间。"))

func (h directoryHandler) handleCalendarDays(c *gin.Context) {
	year := 0
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			h.fail(c, errDirBadYear)
			return
		}
		year = n
	}
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	days, err := h.Centers.CalendarDays(c.Request.Context(), year)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	var views []calendarDayView
	for _, d := range days {
		if page.After == "" || d.Date.String() > page.After {
			views = append(views, calendarDayViewOf(d, lang))
		}
	}
	h.renderCacheable(c, memPage(views, page.Limit, func(v calendarDayView) string { return v.Date }))
}
