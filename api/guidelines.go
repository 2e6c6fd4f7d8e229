package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/clock"
	"github.com/fprlink/fprlink/internal/guidelines"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
)

// GuidelineReader is what the public guideline routes read.
type GuidelineReader interface {
	List(ctx context.Context, day calendar.Date) ([]guidelines.Guideline, error)
	Current(ctx context.Context, code string, day calendar.Date) (guidelines.Guideline, error)
	Versions(ctx context.Context, code string, page paging.Request) (paging.Page[guidelines.Guideline], error)
	Version(ctx context.Context, code string, version int) (guidelines.Guideline, error)
}

// GuidelinePublisher adds guideline versions.
type GuidelinePublisher interface {
	Publish(ctx context.Context, by audit.Actor, code string, effectiveFrom calendar.Date, c guidelines.Content) (guidelines.Guideline, error)
}

var (
	_ GuidelineReader    = (*guidelines.Service)(nil)
	_ GuidelinePublisher = (*guidelines.Service)(nil)
)

// Guidelines are the services behind the guideline routes; one
// *guidelines.Service satisfies both. A nil field makes the routes that
// call it answer 503.
type Guidelines struct {
	Reader    GuidelineReader
	Publisher GuidelinePublisher
}

// guidelinesHandler serves the guideline routes. The clock says which
// version is in force today.
type guidelinesHandler struct {
	responder
	Guidelines
	clock clock.Clock
}

var errGuidelinesOff = capabilityOff("guidelines_unavailable",
	i18n.T("Application guidelines are not available.", "办事指南暂不可用。"))

func guidelineMethodName(code string) i18n.Text {
	switch code {
	case guidelines.MethodInPerson:
		return i18n.T("In person", "本人申请")
	case guidelines.MethodAssistant:
		return i18n.T("By an assistant (inviting organisation or relative)", "由邀请单位或亲属代为申请")
	case guidelines.MethodOnlineAppointment:
		return i18n.T("With an online appointment", "网上预约后办理")
	}
	return i18n.T(code, code)
}

// guidelineDay is the date the caller asks about (?on=YYYY-MM-DD), today in
// Asia/Shanghai by default.
func (h guidelinesHandler) guidelineDay(c *gin.Context) (calendar.Date, error) {
	if on := c.Query("on"); on != "" {
		return dirParseDate(on, "on")
	}
	return calendar.LocalDate(h.clock.Now()), nil
}

func (h guidelinesHandler) handleListGuidelines(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	day, err := h.guidelineDay(c)
	if h.failIf(c, err) {
		return
	}
	all, err := h.Reader.List(c.Request.Context(), day)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	var views []guidelineView
	for _, g := range all {
		v := guidelineViewOf(g, lang)
		if v.key = catalogueKey(g.Business); page.After == "" || v.key > page.After {
			views = append(views, v)
		}
	}
	h.renderCacheable(c, memPage(views, page.Limit, func(v guidelineView) string { return v.key }))
}

func catalogueKey(code string) string {
	for i, t := range business.All() {
		if t.Code == code {
			return catalogueIndex(i)
		}
	}
	return ""
}

func (h guidelinesHandler) handleGetGuideline(c *gin.Context) {
	day, err := h.guidelineDay(c)
	if h.failIf(c, err) {
		return
	}
	g, err := h.Reader.Current(c.Request.Context(), c.Param("business"), day)
	if h.failIf(c, err) {
		return
	}
	h.renderCacheable(c, guidelineViewOf(g, langOf(c)))
}

func (h guidelinesHandler) handleGuidelineVersions(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	p, err := h.Reader.Versions(c.Request.Context(), c.Param("business"), page)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	h.renderCacheable(c, paging.Map(p, func(g guidelines.Guideline) guidelineView { return guidelineViewOf(g, lang) }))
}

var errGuidelineBadVersion = apperr.Malformed("invalid_version", "version",
	i18n.T("version must be a positive whole number.", "版本号必须是正整数。"))

func (h guidelinesHandler) handleGuidelineVersion(c *gin.Context) {
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		h.fail(c, errGuidelineBadVersion)
		return
	}
	g, err := h.Reader.Version(c.Request.Context(), c.Param("business"), n)
	if h.failIf(c, err) {
		return
	}
	h.renderCacheable(c, guidelineViewOf(g, langOf(c)))
}

type guidelineRequest struct {
	EffectiveFrom string `json:"effective_from"`
	guidelines.Content
	from calendar.Date
}

// Validate parses the effective date. The content is checked by Publish,
// which knows the business type (its processing time is the law's), so every
// bad field is named in one answer.
func (r *guidelineRequest) Validate() error {
	d, err := dirParseDate(r.EffectiveFrom, "effective_from")
	if err != nil {
		return err
	}
	r.from = d
	return nil
}

func (h guidelinesHandler) handlePublishGuideline(c *gin.Context) {
	var req guidelineRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	g, err := h.Publisher.Publish(c.Request.Context(), actorOf(c), c.Param("business"), req.from, req.Content)
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/guidelines/"+g.Business+"/versions/"+strconv.Itoa(g.Version))
	c.JSON(http.StatusCreated, guidelineAdminView{Business: g.Business, Version: g.Version,
		EffectiveFrom: g.EffectiveFrom.String(), Content: g.Content,
		PublishedAt: g.CreatedAt.UTC().Format(time.RFC3339), PublishedBy: g.CreatedBy})
}
