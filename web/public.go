package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// obj is a JSON object of the API as a template reads it.
type obj = map[string]any

// getJSON calls a GET of the API and decodes its answer; a refusal is
// shown on the named page.
func (s *Site) getJSON(c *gin.Context, path, token string, out any) (*apiReply, bool) {
	r, err := s.call(c, http.MethodGet, path, token, nil)
	if err != nil {
		s.internalError(c, err)
		return nil, false
	}
	if r.ok() {
		if err := r.decode(out); err != nil {
			s.internalError(c, err)
			return nil, false
		}
	}
	return r, true
}

func (s *Site) handleHome(c *gin.Context) {
	if c.Request.URL.Path != "/" {
		c.Status(http.StatusNotFound)
		return
	}
	s.render(c, http.StatusOK, "home", page{Title: tr("Immigration services online", "出入境网上服务"), Nav: "home"})
}

// centreSearch is the directory search a visitor typed.
type centreSearch struct {
	Province, City, Business string
	OpenNow                  bool
	Near                     bool
}

func (s *Site) handleCentres(c *gin.Context) {
	q := centreSearch{Province: c.Query("province"), City: c.Query("city"), Business: c.Query("business"),
		OpenNow: c.Query("open_now") != ""}
	s.centres(c, q, "")
}

// handleNearCentres is the "near me" search: the position comes in a POST
// body, never in the URL, where a browser's history and any proxy's log
// would keep where someone stood.
func (s *Site) handleNearCentres(c *gin.Context) {
	lat, err1 := strconv.ParseFloat(c.PostForm("lat"), 64)
	lon, err2 := strconv.ParseFloat(c.PostForm("lon"), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		s.centres(c, centreSearch{}, "bad")
		return
	}
	s.centres(c, centreSearch{Near: true}, strconv.FormatFloat(lat, 'f', 3, 64)+","+strconv.FormatFloat(lon, 'f', 3, 64))
}

func (s *Site) centres(c *gin.Context, q centreSearch, near string) {
	p := page{Title: tr("Service centres", "服务大厅"), Nav: "centres", Scripts: []string{"centres.js"}}
	v := url.Values{"limit": {"50"}}
	for k, val := range map[string]string{"province": q.Province, "city": q.City, "business": q.Business} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.OpenNow {
		v.Set("open_at", s.clk.Now().Format(time.RFC3339))
	}
	if near == "bad" {
		p.Problem = &problem{Field: "near", Detail: tr("Your position could not be read.", "无法读取您的位置。").In(langOf(c))}
		near = ""
	}
	if near != "" {
		v.Set("near", near)
	}
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/service-centers?"+v.Encode(), "", &list)
	if !ok {
		return
	}
	var types struct{ Items []obj }
	if _, ok := s.getJSON(c, "/api/v1/business-types", "", &types); !ok {
		return
	}
	p.Data = obj{"Search": q, "Centres": list.Items, "Businesses": types.Items}
	if !r.ok() {
		s.failPage(c, 0, "centres", p, r)
		return
	}
	s.render(c, http.StatusOK, "centres", p)
}

func (s *Site) handleCentre(c *gin.Context) {
	var centre obj
	r, ok := s.getJSON(c, "/api/v1/service-centers/"+url.PathEscape(c.Param("id")), "", &centre)
	if !ok {
		return
	}
	p := page{Title: tr("Service centre", "服务大厅"), Nav: "centres"}
	if !r.ok() {
		s.failPage(c, 0, "message", p, r)
		return
	}
	p.Data = centre
	s.render(c, http.StatusOK, "centre", p)
}

func (s *Site) handleGuidelines(c *gin.Context) {
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/guidelines", "", &list)
	if !ok {
		return
	}
	p := page{Title: tr("Guidelines", "办事指南"), Nav: "guidelines", Data: list.Items}
	if !r.ok() {
		s.failPage(c, 0, "message", p, r)
		return
	}
	s.render(c, http.StatusOK, "guidelines", p)
}

func (s *Site) handleGuideline(c *gin.Context) {
	var g obj
	r, ok := s.getJSON(c, "/api/v1/guidelines/"+url.PathEscape(c.Param("business")), "", &g)
	if !ok {
		return
	}
	p := page{Title: tr("Guideline", "办事指南"), Nav: "guidelines", Data: g}
	if !r.ok() {
		s.failPage(c, 0, "message", p, r)
		return
	}
	s.render(c, http.StatusOK, "guideline", p)
}

func (s *Site) handleInquiryForm(c *gin.Context) {
	s.render(c, http.StatusOK, "inquiry", page{Title: tr("Application inquiry", "申请进度查询"), Nav: "inquiry"})
}

// handleInquiry looks an application up by what is printed on its
// receipt. The numbers come in the body and go back only in the page.
func (s *Site) handleInquiry(c *gin.Context) {
	form := map[string]string{
		"application_number": strings.TrimSpace(c.PostForm("application_number")),
		"passport_number":    strings.TrimSpace(c.PostForm("passport_number")),
		"birth_date":         strings.TrimSpace(c.PostForm("birth_date")),
	}
	p := page{Title: tr("Application inquiry", "申请进度查询"), Nav: "inquiry"}
	r, err := s.call(c, http.MethodPost, "/api/v1/inquiries", "", form)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		p.Data = obj{"Form": form}
		s.failPage(c, 0, "inquiry", p, r)
		return
	}
	var app obj
	if err := r.decode(&app); err != nil {
		s.internalError(c, err)
		return
	}
	p.Data = obj{"Form": form, "Application": app}
	s.render(c, http.StatusOK, "inquiry", p)
}

func (s *Site) handleEnrolForm(c *gin.Context) {
	s.render(c, http.StatusOK, "enrol", page{Title: tr("Open an account", "开通账户"), Nav: "account"})
}

// handleEnrolCode asks for the one-time code. The API answers the same
// whether or not the details matched anyone; so does the page.
func (s *Site) handleEnrolCode(c *gin.Context) {
	p := page{Title: tr("Open an account", "开通账户"), Nav: "account"}
	body := map[string]string{
		"passport_number": strings.TrimSpace(c.PostForm("passport_number")),
		"nationality":     strings.ToUpper(strings.TrimSpace(c.PostForm("nationality"))),
		"birth_date":      strings.TrimSpace(c.PostForm("birth_date")),
	}
	if v := strings.TrimSpace(c.PostForm("fpr_card_number")); v != "" {
		body["fpr_card_number"] = v
	}
	r, err := s.call(c, http.MethodPost, "/api/v1/auth/enrolment-codes", "", body)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		p.Data = obj{"Form": body}
		s.failPage(c, 0, "enrol", p, r)
		return
	}
	p.Notice = tr("If these details match a person in our records, a one-time code is on its way to the mobile number or e-mail address we hold. Enter it below within 15 minutes.",
		"如信息与登记记录相符，一次性验证码将发送至登记的手机号码或电子邮箱。请在15分钟内在下方输入。")
	s.render(c, http.StatusOK, "enrol", p)
}

func (s *Site) handleEnrol(c *gin.Context) {
	p := page{Title: tr("Open an account", "开通账户"), Nav: "account"}
	username := strings.TrimSpace(c.PostForm("username"))
	r, err := s.call(c, http.MethodPost, "/api/v1/auth/register", "",
		map[string]string{"code": c.PostForm("code"), "username": username, "password": c.PostForm("password")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		p.Data = obj{"Username": username}
		s.failPage(c, 0, "enrol", p, r)
		return
	}
	s.render(c, http.StatusCreated, "signin", page{Title: tr("Sign in", "登录"),
		Notice: tr("Your account is open. Sign in with your username and password.", "账户已开通，请使用用户名和密码登录。"),
		Data:   map[string]string{"Next": "/me", "Username": username}})
}
