package web

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/i18n"
)

// tr is a text of the pages in both languages.
func tr(en, zh string) i18n.Text { return i18n.T(en, zh) }

// page is what every template is given.
type page struct {
	Title   i18n.Text
	Message i18n.Text
	// Problem is the API's refusal, in the page's language.
	Problem *problem
	// Notice is a confirmation shown at the top ("Signed out.").
	Notice i18n.Text
	Data   any

	Lang    i18n.Lang
	CSRF    string
	Path    string
	User    *me
	Acting  *acting
	Nav     string
	Scripts []string // page scripts under /static/
	// Bare leaves out the navigation and footer: the share view shows only
	// the QR and what the counter must read.
	Bare bool
}

// T picks the page's language of a text given in both.
func (p page) T(en, zh string) string { return i18n.T(en, zh).In(p.Lang) }

// L is a text in the page's language.
func (p page) L(t i18n.Text) string { return t.In(p.Lang) }

// Weekday names an ISO weekday (1 Monday … 7 Sunday) of the API.
func (p page) Weekday(v any) string {
	n, _ := v.(float64)
	names := []i18n.Text{tr("Monday", "星期一"), tr("Tuesday", "星期二"), tr("Wednesday", "星期三"),
		tr("Thursday", "星期四"), tr("Friday", "星期五"), tr("Saturday", "星期六"), tr("Sunday", "星期日")}
	if n < 1 || n > 7 {
		return ""
	}
	return names[int(n)-1].In(p.Lang)
}

// Purpose names an e-document's purpose in the page's language.
func (p page) Purpose(v any) string {
	t := purposeText(v)
	if p.Lang == i18n.ZH {
		return t[1]
	}
	return t[0]
}

// Zh says whether the page is in Chinese.
func (p page) Zh() bool { return p.Lang == i18n.ZH }

// shanghai is where every centre is; times are shown there.
var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

var funcs = template.FuncMap{
	"datetime":      func(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04") },
	"date":          func(t time.Time) string { return t.In(shanghai).Format("2006-01-02") },
	"clock":         func(t time.Time) string { return t.In(shanghai).Format("15:04") },
	"rfc3339":       func(t time.Time) string { return t.Format(time.RFC3339) },
	"at":            at,
	"codes":         codes,
	"verifierTexts": func() map[string]i18n.Text { return verifierTexts },
	"clockOf": func(v any) string {
		sv, _ := v.(string)
		if t, err := time.Parse(time.RFC3339, sv); err == nil {
			return t.In(shanghai).Format("15:04")
		}
		return sv
	},
	"km": func(v any) string { f, _ := v.(float64); return strconv.FormatFloat(f, 'f', 1, 64) + " km" },
	// dict passes several values to a shared template.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			m[k] = kv[i+1]
		}
		return m
	},
}

// parsePages parses each page template with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		out[name] = t
	}
	return out, nil
}

// render writes a page. Pages are never cached: most show a person's own
// data, and the rest change with the language switch.
func (s *Site) render(c *gin.Context, status int, name string, p page) {
	p.Lang = langOf(c)
	if v, ok := c.Get(ctxCSRF); ok {
		p.CSRF = v.(string)
	}
	p.Path = c.Request.URL.Path
	if p.User == nil {
		if u, ok := c.Get(ctxMe); ok {
			p.User = u.(*me)
		}
	}
	if p.Acting == nil {
		p.Acting = actingOf(c)
	}
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("web: no template", "name", name)
		c.Status(http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("web: rendering", "page", name, "error", err.Error())
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fail shows the API's refusal on the page it came from.
func (s *Site) failPage(c *gin.Context, status int, name string, p page, r *apiReply) {
	pr := r.problem()
	if pr.Detail == "" {
		pr.Detail = msgUnexpected.In(langOf(c))
	}
	p.Problem = &pr
	if status == 0 {
		status = r.status
	}
	// A rate limit's wait is passed on, as the API gives it.
	if v := r.header.Get("Retry-After"); v != "" {
		c.Header("Retry-After", v)
	}
	s.render(c, status, name, p)
}

var msgUnexpected = tr("Something went wrong on our side. Please try again in a moment.", "系统出现问题，请稍后再试。")

// internalError is a page for an error of the site itself; its cause is
// logged, never shown.
func (s *Site) internalError(c *gin.Context, err error) {
	s.log.Error("web: internal error", "path", c.FullPath(), "error", err.Error(),
		"request_id", c.Writer.Header().Get("X-Request-Id"))
	s.render(c, http.StatusInternalServerError, "message", page{Title: tr("Service error", "服务错误"), Message: msgUnexpected})
}

// codeLike is a code inside a sentence of the API: a confirmation code, a
// document or application number (capitals and digits, six or more).
var codeLike = regexp.MustCompile(`\b[A-Z0-9][A-Z0-9-]{5,}\b`)

// codes writes a text with each code in it marked translate="no", so a
// browser's translation (and a screen reader's language switch) leaves
// it as it is.
func codes(v any) template.HTML {
	s, _ := v.(string)
	var b strings.Builder
	last := 0
	for _, m := range codeLike.FindAllStringIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		b.WriteString(`<span translate="no">` + template.HTMLEscapeString(s[m[0]:m[1]]) + `</span>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return template.HTML(b.String())
}
