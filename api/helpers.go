package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
	"github.com/fprlink/fprlink/internal/audit"
)

// HelperEnrolment records Chinese helpers at a counter and enrols them;
// *accounts.Service implements it.
type HelperEnrolment interface {
	RecordHelper(ctx context.Context, by audit.Actor, in accounts.HelperRecord) (accounts.Helper, error)
	FindHelper(ctx context.Context, residentID string) (accounts.Helper, error)
	IssueHelperCounterCode(ctx context.Context, by audit.Actor, helperID string) (accounts.CounterCode, error)
	RequestHelperCode(ctx context.Context, r accounts.HelperCodeRequest, clientIP string) (accounts.CodeSent, error)
}

var _ HelperEnrolment = (*accounts.Service)(nil)

// helperJSON is a recorded helper as staff see it: never the whole
// resident identity number.
type helperJSON struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	ResidentIDLast4 string    `json:"resident_id_last4"`
	Mobile          string    `json:"mobile,omitempty"`
	Email           string    `json:"email,omitempty"`
	AccountID       string    `json:"account_id,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
}

func toHelperJSON(h accounts.Helper) helperJSON {
	return helperJSON{ID: h.ID, Name: h.Name, ResidentIDLast4: h.ResidentIDLast4, Mobile: h.Mobile, Email: h.Email,
		AccountID: h.AccountID, CreatedAt: h.CreatedAt}
}

type helperRecordRequest struct {
	Name       string `json:"name"`
	ResidentID string `json:"resident_id"`
	Mobile     string `json:"mobile"`
	Email      string `json:"email"`
}

func (r helperRecordRequest) Validate() error {
	return requireFields(required("name", r.Name), required("resident_id", r.ResidentID))
}

type helperLookupRequest struct {
	ResidentID string `json:"resident_id"`
}

func (r helperLookupRequest) Validate() error {
	return requireFields(required("resident_id", r.ResidentID))
}

type helperCodeRequest struct {
	ResidentID string `json:"resident_id"`
	Name       string `json:"name"`
}

func (r helperCodeRequest) Validate() error {
	return requireFields(required("resident_id", r.ResidentID), required("name", r.Name))
}

// helperCounterCodeJSON is a helper's code handed over at the counter.
type helperCounterCodeJSON struct {
	HelperID  string    `json:"helper_id"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// handleRecordHelper records a Chinese helper whose resident identity card
// the officer has checked.
func (h accountsHandler) handleRecordHelper(c *gin.Context) {
	var req helperRecordRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	out, err := h.Helpers.RecordHelper(c.Request.Context(), actorOf(c), accounts.HelperRecord{Name: req.Name,
		ResidentID: req.ResidentID, Mobile: req.Mobile, Email: req.Email})
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/admin/helpers/"+out.ID)
	c.JSON(http.StatusCreated, toHelperJSON(out))
}

// handleFindHelper looks a helper up by the number on their card; the
// number travels in the body, never in a URL that proxies log.
func (h accountsHandler) handleFindHelper(c *gin.Context) {
	var req helperLookupRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	out, err := h.Helpers.FindHelper(c.Request.Context(), req.ResidentID)
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, toHelperJSON(out))
}

// handleHelperCounterCode gives an officer a helper's enrolment code,
// shown only in this answer.
func (h accountsHandler) handleHelperCounterCode(c *gin.Context) {
	out, err := h.Helpers.IssueHelperCounterCode(c.Request.Context(), actorOf(c), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, helperCounterCodeJSON{HelperID: out.HelperID, Code: out.Code, ExpiresAt: out.ExpiresAt})
}

// handleRequestHelperCode answers 202 with the same body whether or not
// the details matched a recorded helper.
func (h accountsHandler) handleRequestHelperCode(c *gin.Context) {
	var req helperCodeRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	out, err := h.Helpers.RequestHelperCode(c.Request.Context(), accounts.HelperCodeRequest{ResidentID: req.ResidentID,
		Name: req.Name, RequestID: requestIDOf(c)}, addressKey(c.ClientIP()))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusAccepted, codeSentJSON{Message: accounts.HelperCodeSentNotice.In(langOf(c)),
		ValidForSeconds: int(out.ValidFor / time.Second)})
}
