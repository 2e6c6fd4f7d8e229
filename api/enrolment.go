package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/accounts"
)

// codeRequest asks for an enrolment code with the data on a person's
// documents; the code goes to the contact on record, never to the caller.
type codeRequest struct {
	PassportNumber string `json:"passport_number"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	FPRCardNumber  string `json:"fpr_card_number"`
}

func (r codeRequest) Validate() error {
	return requireFields(required("passport_number", r.PassportNumber), required("nationality", r.Nationality),
		required("birth_date", r.BirthDate))
}

// handleRequestCode answers 202 with the same body whether or not the
// details matched anyone and whether or not a code was sent.
func (h accountsHandler) handleRequestCode(c *gin.Context) {
	var req codeRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	out, err := h.Enrolment.RequestCode(c.Request.Context(), accounts.CodeRequest{PassportNumber: req.PassportNumber,
		Nationality: req.Nationality, BirthDate: req.BirthDate, FPRCardNumber: req.FPRCardNumber, RequestID: requestIDOf(c)},
		addressKey(c.ClientIP()))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusAccepted, codeSentJSON{Message: accounts.CodeSentNotice.In(langOf(c)),
		ValidForSeconds: int(out.ValidFor / time.Second)})
}

// handleCounterCode gives an officer an enrolment code for the person at
// the counter, shown only in this answer.
func (h accountsHandler) handleCounterCode(c *gin.Context) {
	out, err := h.Enrolment.IssueCounterCode(c.Request.Context(), actorOf(c), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, counterCodeJSON{PersonID: out.PersonID, Code: out.Code, ExpiresAt: out.ExpiresAt})
}
