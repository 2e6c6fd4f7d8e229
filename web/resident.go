package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
)

// refused shows the API's refusal of a resident page; staff accounts, to
// whom the resident routes answer 403, are told so in words.
func (s *Site) refused(c *gin.Context, p page, r *apiReply) {
	s.failPage(c, 0, "message", p, r)
}

func (s *Site) handleMe(c *gin.Context) {
	m := meOf(c)
	var passport, card obj
	r1, ok := s.getJSON(c, "/api/v1/me/passport", m.token, &passport)
	if !ok {
		return
	}
	r2, ok := s.getJSON(c, "/api/v1/me/fpr-card", m.token, &card)
	if !ok {
		return
	}
	p := page{Title: tr("My passport and card", "我的护照和证件"), Nav: "me"}
	if r1.status == http.StatusForbidden {
		s.refused(c, p, r1)
		return
	}
	data := obj{}
	if r1.ok() {
		data["Passport"] = passport
	}
	if r2.ok() {
		data["Card"] = card
	}
	p.Data = data
	s.render(c, http.StatusOK, "me", p)
}

var purposes = []string{"bank", "tax", "telecom", "social_security"}

func (s *Site) handleDocuments(c *gin.Context) {
	m := meOf(c)
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/me/attestations?limit=50", m.token, &list)
	if !ok {
		return
	}
	p := page{Title: tr("My e-documents", "我的电子证明"), Nav: "documents"}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	p.Data = obj{"Documents": list.Items, "Purposes": purposes}
	s.render(c, http.StatusOK, "documents", p)
}

func (s *Site) handleIssue(c *gin.Context) {
	m := meOf(c)
	r, err := s.call(c, http.MethodPost, "/api/v1/me/attestations", m.token, map[string]string{"purpose": c.PostForm("purpose")})
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		var list struct{ Items []obj }
		if _, ok := s.getJSON(c, "/api/v1/me/attestations?limit=50", m.token, &list); !ok {
			return
		}
		s.failPage(c, 0, "documents", page{Title: tr("My e-documents", "我的电子证明"), Nav: "documents",
			Data: obj{"Documents": list.Items, "Purposes": purposes}}, r)
		return
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := r.decode(&doc); err != nil {
		s.internalError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/documents/"+url.PathEscape(doc.ID))
}

// document reads one of the caller's documents and what was verified of
// it, for the document and the share page.
func (s *Site) document(c *gin.Context) (obj, []obj, bool) {
	m := meOf(c)
	id := url.PathEscape(c.Param("id"))
	var doc obj
	r, ok := s.getJSON(c, "/api/v1/me/attestations/"+id, m.token, &doc)
	if !ok {
		return nil, nil, false
	}
	if !r.ok() {
		s.refused(c, page{Title: tr("E-document", "电子证明"), Nav: "documents"}, r)
		return nil, nil, false
	}
	var checks struct{ Items []obj }
	if _, ok := s.getJSON(c, "/api/v1/me/attestations/"+id+"/verifications", m.token, &checks); !ok {
		return nil, nil, false
	}
	return doc, checks.Items, true
}

func (s *Site) handleDocument(c *gin.Context) {
	doc, checks, ok := s.document(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "document", page{Title: tr("E-document", "电子证明"), Nav: "documents",
		Data: obj{"Doc": doc, "Verifications": checks}})
}

// handleShare is the page a resident shows at a counter: the QR filling
// the screen, the purpose and expiry in both languages.
func (s *Site) handleShare(c *gin.Context) {
	doc, _, ok := s.document(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "share", page{Title: tr("Show at the counter", "柜台出示"), Nav: "documents",
		Scripts: []string{"share.js"}, Bare: true, Data: obj{"Doc": doc, "Purpose": purposeText(doc["purpose"])}})
}

// purposeText names a purpose in both languages at once, as the share
// page shows it to the counter whatever the resident's language.
func purposeText(v any) [2]string {
	switch v {
	case "bank":
		return [2]string{"For use by banks", "仅供银行使用"}
	case "tax":
		return [2]string{"For use by tax authorities", "仅供税务机关使用"}
	case "telecom":
		return [2]string{"For use by telecom operators", "仅供电信运营商使用"}
	case "social_security":
		return [2]string{"For use by social security", "仅供社会保障机构使用"}
	}
	return [2]string{"Not limited to one sector", "不限使用单位"}
}

// handleDocumentFile passes the QR image or the PDF through from the API.
func (s *Site) handleDocumentFile(file string) gin.HandlerFunc {
	return func(c *gin.Context) {
		m := meOf(c)
		r, err := s.call(c, http.MethodGet, "/api/v1/me/attestations/"+url.PathEscape(c.Param("id"))+"/"+file, m.token, nil)
		if err != nil {
			s.internalError(c, err)
			return
		}
		if !r.ok() {
			s.refused(c, page{Title: tr("E-document", "电子证明")}, r)
			return
		}
		for _, h := range []string{"Content-Type", "Content-Disposition", "ETag"} {
			if v := r.header.Get(h); v != "" {
				c.Header(h, v)
			}
		}
		c.Header("Cache-Control", "private, no-store")
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(r.body)
	}
}

func (s *Site) handleRevoke(c *gin.Context) {
	m := meOf(c)
	id := url.PathEscape(c.Param("id"))
	r, err := s.call(c, http.MethodPost, "/api/v1/me/attestations/"+id+"/revoke", m.token, nil)
	if err != nil {
		s.internalError(c, err)
		return
	}
	if !r.ok() {
		s.refused(c, page{Title: tr("E-document", "电子证明"), Nav: "documents"}, r)
		return
	}
	c.Redirect(http.StatusSeeOther, "/documents/"+id)
}

func (s *Site) handleApplications(c *gin.Context) {
	m := meOf(c)
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/applications?limit=50", m.token, &list)
	if !ok {
		return
	}
	p := page{Title: tr("My applications", "我的申请"), Nav: "applications"}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	// Each application's timeline is on its own answer.
	for _, a := range list.Items {
		n, _ := a["number"].(string)
		var full obj
		if rr, ok := s.getJSON(c, "/api/v1/applications/"+url.PathEscape(n), m.token, &full); !ok {
			return
		} else if rr.ok() {
			a["timeline"] = full["timeline"]
		}
	}
	p.Data = list.Items
	s.render(c, http.StatusOK, "applications", p)
}

func (s *Site) handleNotifications(c *gin.Context) {
	m := meOf(c)
	var list struct{ Items []obj }
	r, ok := s.getJSON(c, "/api/v1/me/notifications?limit=50", m.token, &list)
	if !ok {
		return
	}
	p := page{Title: tr("Notifications", "消息通知"), Nav: "notifications"}
	if !r.ok() {
		s.refused(c, p, r)
		return
	}
	p.Data = list.Items
	s.render(c, http.StatusOK, "notifications", p)
}

// at formats an RFC 3339 text of the API in Beijing time.
func at(v any) string {
	sv, _ := v.(string)
	t, err := time.Parse(time.RFC3339, sv)
	if err != nil {
		return sv
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}
