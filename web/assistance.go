package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/i18n"
)

// Acting for someone: a helper picks one of their principals, and until
// they stop, the pages send that person's ID in On-Behalf-Of on the routes
// the API allows it on. The choice is an HttpOnly cookie holding the
// person's ID (never a name, never the URL); the grant is checked again on
// every page, by the API on every call.
const (
	cookieActing = "fprl_acting"
	ctxActing    = "fprlink.web.acting"
	headerOBO    = "On-Behalf-Of"
)

// acting is the principal a helper acts for.
type acting struct {
	PersonID string
	Name     string
	Scopes   []string
}

// onBehalfPaths are the API paths a helper may call for a principal (the
// API's own table, api/onbehalf.go, decides; it refuses the header
// elsewhere, so the pages send it only here).
var onBehalfPaths = []string{"/api/v1/appointments", "/api/v1/applications", "/api/v1/inquiries",
	"/api/v1/me/passport", "/api/v1/me/fpr-card", "/api/v1/me/attestations"}

func onBehalfPath(p string) bool {
	p, _, _ = strings.Cut(p, "?")
	for _, base := range onBehalfPaths {
		if p == base || strings.HasPrefix(p, base+"/") {
			return true
		}
	}
	return false
}

func actingOf(c *gin.Context) *acting {
	if a, ok := c.Get(ctxActing); ok {
		return a.(*acting)
	}
	return nil
}

// grant is an assistance grant as the API gives it.
type grant struct {
	ID                string   `json:"id"`
	Kind              string   `json:"kind"`
	State             string   `json:"state"`
	StateLabel        string   `json:"state_label"`
	PrincipalPersonID string   `json:"principal_person_id"`
	PrincipalName     string   `json:"principal_name"`
	HelperUsername    string   `json:"helper_username"`
	Scopes            []string `json:"scopes"`
	RelationshipLabel string   `json:"relationship_label"`
	ExpiresAt         *string  `json:"expires_at"`
	LapsesOn          string   `json:"lapses_on"`
	ConfirmedAt       *string  `json:"confirmed_at"`
	AcceptedAt        *string  `json:"accepted_at"`
	RefusalReason     string   `json:"refusal_reason"`
}

// loadActing reads the acting cookie of a signed-in visitor and keeps it
// only while the helper still holds an active grant for that person.
func (s *Site) loadActing(c *gin.Context, m *me) {
	id, err := c.Cookie(cookieActing)
	if err != nil || id == "" {
		return
	}
	var list struct{ Items []grant }
	r, ok := s.getJSON(c, "/api/v1/me/principals?limit=100", m.token, &list)
	if ok && r.ok() {
		for _, g := range list.Items {
			if g.State == "active" && g.PrincipalPersonID == id {
				c.Set(ctxActing, &acting{PersonID: id, Name: g.PrincipalName, Scopes: g.Scopes})
				return
			}
		}
	}
	s.setCookie(c, cookieActing, "", -1, http.SameSiteLaxMode)
}

var scopeNames = map[string]i18n.Text{
	"appointments:read":  tr("See appointments", "查看预约"),
	"appointments:write": tr("Book, change and cancel appointments", "预约、改约和取消预约"),
	"applications:read":  tr("Follow applications", "查询申请"),
	"documents:read":     tr("See passport and card details", "查看护照和证件信息"),
	"edocuments:issue":   tr("Obtain and revoke e-documents", "申领和撤销电子证明"),
}

var scopeOrder = []string{"appointments:read", "appointments:write", "applications:read", "documents:read", "edocuments:issue"}

var relationshipNames = map[string]i18n.Text{
	"parent": tr("Parent", "父母"), "guardian": tr("Guardian", "监护人"), "child": tr("Child", "子女"),
	"spouse": tr("Spouse", "配偶"), "relative": tr("Relative", "亲属"), "friend": tr("Friend", "朋友"),
}

// Relationship names a helper's relationship to the principal.
func (p page) Relationship(v string) string {
	if t, ok := relationshipNames[v]; ok {
		return t.In(p.Lang)
	}
	return v
}

// ScopeName names a grant's scope in the page's language.
func (p page) ScopeName(v string) string {
	if t, ok := scopeNames[v]; ok {
		return t.In(p.Lang)
	}
	return v
}

var titleHelpers = tr("My helpers", "我的协办人")
var titlePrincipals = tr("People I help", "我协助的人")

func (s *Site) handleHelpers(c *gin.Context) {
	s.helpersPage(c, http.StatusOK, nil, i18n.Text{})
}

func (s *Site) helpersPage(c *gin.Context, status int, refusal *apiReply, notice i18n.Text) {
	m := meOf(c)
	var helpers struct{ Items []grant }
	r, ok := s.getJSON(c, "/api/v1/me/helpers?limit=100", m.token, &helpers)
	if !ok {
		return
	}
	p := page{Title: titleHelpers, Nav: "helpers", Notice: notice}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	var activity struct{ Items []obj }
	if _, ok := s.getJSON(c, "/api/v1/me/activity?limit=50", m.token, &activity); !ok {
		return
	}
	p.Data = obj{"Helpers": helpers.Items, "Activity": activity.Items, "Scopes": scopeOrder}
	if refusal != nil {
		s.failPage(c, status, "helpers", p, refusal)
		return
	}
	s.render(c, status, "helpers", p)
}

// expiry turns the date a person picks into the end of that day in
// Beijing, as the API takes it.
func expiry(date string) (string, bool) {
	if date == "" {
		return "", true
	}
	d, err := time.ParseInLocation("2006-01-02", date, shanghai)
	if err != nil {
		return "", false
	}
	return d.Add(24*time.Hour - time.Second).Format(time.RFC3339), true
}

func (s *Site) handleInvite(c *gin.Context) {
	m := meOf(c)
	body := map[string]any{"username": strings.TrimSpace(c.PostForm("username")), "scopes": c.PostFormArray("scopes")}
	if v, ok := expiry(c.PostForm("expires_on")); ok && v != "" {
		body["expires_at"] = v
	} else if !ok {
		body["expires_at"] = c.PostForm("expires_on") // the API names the field
	}
	r, err := s.call(c, http.MethodPost, "/api/v1/me/helpers", m.token, body)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.helpersPage(c, r.status, r, i18n.Text{})
		return
	}
	s.helpersPage(c, http.StatusOK, nil, tr("The invitation is sent. It takes effect once the helper accepts it.", "邀请已发出，协办人接受后生效。"))
}

// grantAction posts to one grant of the caller's and shows the list again.
func (s *Site) grantAction(method, prefix, suffix string, helpers bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		m := meOf(c)
		r, err := s.call(c, method, prefix+url.PathEscape(c.Param("id"))+suffix, m.token, nil)
		if err != nil {
			s.internalError(c, err)
			return
		}
		var refusal *apiReply
		if !r.ok() {
			refusal = r
		}
		if helpers {
			s.helpersPage(c, http.StatusOK, refusal, i18n.Text{})
			return
		}
		s.principalsPage(c, http.StatusOK, refusal, i18n.Text{})
	}
}

func (s *Site) handlePrincipals(c *gin.Context) {
	s.principalsPage(c, http.StatusOK, nil, i18n.Text{})
}

func (s *Site) principalsPage(c *gin.Context, status int, refusal *apiReply, notice i18n.Text) {
	m := meOf(c)
	var list struct{ Items []grant }
	r, ok := s.getJSON(c, "/api/v1/me/principals?limit=100", m.token, &list)
	if !ok {
		return
	}
	p := page{Title: titlePrincipals, Nav: "principals", Notice: notice}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	p.Data = obj{"Principals": list.Items, "Scopes": scopeOrder,
		"Relationships": []string{"parent", "guardian", "child", "spouse", "relative", "friend"}}
	if refusal != nil {
		s.failPage(c, status, "principals", p, refusal)
		return
	}
	s.render(c, status, "principals", p)
}

// handleDependantRequest asks an officer to let the helper act for a
// person without an account (a child, an elderly relative).
func (s *Site) handleDependantRequest(c *gin.Context) {
	m := meOf(c)
	body := map[string]any{
		"passport_number": strings.TrimSpace(c.PostForm("passport_number")),
		"nationality":     strings.ToUpper(strings.TrimSpace(c.PostForm("nationality"))),
		"birth_date":      strings.TrimSpace(c.PostForm("birth_date")),
		"relationship":    c.PostForm("relationship"),
		"evidence":        strings.TrimSpace(c.PostForm("evidence")),
		"scopes":          c.PostFormArray("scopes"),
	}
	if v := strings.TrimSpace(c.PostForm("fpr_card_number")); v != "" {
		body["fpr_card_number"] = v
	}
	r, err := s.call(c, http.MethodPost, "/api/v1/me/dependants/requests", m.token, body)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.principalsPage(c, r.status, r, i18n.Text{})
		return
	}
	s.principalsPage(c, http.StatusOK, nil, tr("Your request is recorded. An officer will check the evidence at a service centre.", "申请已登记，工作人员将在服务大厅核验证明材料。"))
}

// handleActFor starts acting for a principal of an active grant.
func (s *Site) handleActFor(c *gin.Context) {
	m := meOf(c)
	id := c.PostForm("person_id")
	var list struct{ Items []grant }
	r, ok := s.getJSON(c, "/api/v1/me/principals?limit=100", m.token, &list)
	if !ok {
		return
	}
	if r.ok() {
		for _, g := range list.Items {
			if g.State == "active" && g.PrincipalPersonID == id {
				s.setCookie(c, cookieActing, id, 0, http.SameSiteLaxMode)
				c.Redirect(http.StatusSeeOther, "/me")
				return
			}
		}
	}
	s.principalsPage(c, http.StatusForbidden, &apiReply{status: http.StatusForbidden,
		body: []byte(`{"status":403,"code":"assistance_no_grant","detail":"` + tr("You hold no grant in effect to act for this person.", "您没有代此人办理的有效授权。").In(langOf(c)) + `"}`)}, i18n.Text{})
}

func (s *Site) handleStopActing(c *gin.Context) {
	s.setCookie(c, cookieActing, "", -1, http.SameSiteLaxMode)
	c.Redirect(http.StatusSeeOther, "/principals")
}
