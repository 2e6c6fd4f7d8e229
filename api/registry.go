package api

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/registry"
)

// PersonStore keeps registry persons; *registry.Service implements it.
type PersonStore interface {
	CreatePerson(ctx context.Context, by audit.Actor, in registry.PersonInput) (registry.Person, error)
	Record(ctx context.Context, id string) (registry.Record, error)
	Persons(ctx context.Context, p paging.Request) (paging.Page[registry.Person], error)
	UpdatePerson(ctx context.Context, by audit.Actor, id string, patch registry.PersonPatch) (registry.Person, error)
}

// DocumentStore adds and marks passports and FPR cards.
type DocumentStore interface {
	AddPassport(ctx context.Context, by audit.Actor, personID string, in registry.PassportInput) (registry.Passport, error)
	AddFPRCard(ctx context.Context, by audit.Actor, personID string, in registry.FPRCardInput) (registry.FPRCard, error)
	MarkPassport(ctx context.Context, by audit.Actor, id, status string) (registry.Passport, error)
	MarkFPRCard(ctx context.Context, by audit.Actor, id, status string) (registry.FPRCard, error)
}

// CardReissuer issues a person's next FPR card: on renewal, or replacing
// a lost, stolen or damaged one.
type CardReissuer interface {
	RenewFPRCard(ctx context.Context, by audit.Actor, cardID string, in registry.ReissueInput) (registry.FPRCard, error)
	ReplaceFPRCard(ctx context.Context, by audit.Actor, cardID string, in registry.ReissueInput) (registry.FPRCard, error)
}

// RegistryImporter runs NDJSON bulk imports.
type RegistryImporter interface {
	Import(ctx context.Context, by audit.Actor, r io.Reader) (registry.ImportResult, error)
}

var (
	_ PersonStore      = (*registry.Service)(nil)
	_ DocumentStore    = (*registry.Service)(nil)
	_ CardReissuer     = (*registry.Service)(nil)
	_ RegistryImporter = (*registry.Service)(nil)
)

// Registry are the services behind the registry routes: a resident's own
// records (me.go) and the officers' registry administration. One
// *registry.Service satisfies every field; a nil field makes the routes
// that call it answer 503.
type Registry struct {
	Mine      MyDocuments
	Persons   PersonStore
	Documents DocumentStore
	Reissues  CardReissuer
	Importer  RegistryImporter
}

// registryHandler serves the registry routes.
type registryHandler struct {
	responder
	Registry
}

type personRequest struct {
	Surname     string `json:"surname"`
	GivenNames  string `json:"given_names"`
	ChineseName string `json:"chinese_name"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date"`
	Nationality string `json:"nationality"`
	Mobile      string `json:"mobile"`
	Email       string `json:"email"`
}

func (r personRequest) Validate() error {
	return requireFields(required("surname", r.Surname), required("sex", r.Sex),
		required("birth_date", r.BirthDate), required("nationality", r.Nationality))
}

func (h registryHandler) handleCreatePerson(c *gin.Context) {
	var req personRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	p, err := h.Persons.CreatePerson(c.Request.Context(), actorOf(c), registry.PersonInput(req))
	if h.failIf(c, err) {
		return
	}
	c.Header("Location", "/api/v1/admin/persons/"+p.ID)
	c.JSON(http.StatusCreated, toPersonJSON(p, langOf(c)))
}

func (h registryHandler) handleListPersons(c *gin.Context) {
	req, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	page, err := h.Persons.Persons(c.Request.Context(), req)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, paging.Map(page, func(p registry.Person) personJSON { return toPersonJSON(p, langOf(c)) }))
}

func (h registryHandler) handleGetPerson(c *gin.Context) {
	rec, err := h.Persons.Record(c.Request.Context(), c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, toRecordJSON(rec, langOf(c)))
}

type personPatchRequest struct {
	Surname     *string `json:"surname"`
	GivenNames  *string `json:"given_names"`
	ChineseName *string `json:"chinese_name"`
	Sex         *string `json:"sex"`
	BirthDate   *string `json:"birth_date"`
	Nationality *string `json:"nationality"`
	Mobile      *string `json:"mobile"`
	Email       *string `json:"email"`
}

func (r personPatchRequest) Validate() error {
	if r == (personPatchRequest{}) {
		return apperr.Invalid("empty_patch", "", i18n.T("Name at least one field to change.", "请至少提供一个要修改的字段。"))
	}
	return nil
}

func (h registryHandler) handleUpdatePerson(c *gin.Context) {
	var req personPatchRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	p, err := h.Persons.UpdatePerson(c.Request.Context(), actorOf(c), c.Param("id"), registry.PersonPatch(req))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, toPersonJSON(p, langOf(c)))
}

type passportRequest struct {
	Number       string `json:"number"`
	IssuingState string `json:"issuing_state"`
	IssueDate    string `json:"issue_date"`
	ExpiryDate   string `json:"expiry_date"`
	MRZ          string `json:"mrz"`
	// NameMismatchReason records a passport whose MRZ name differs from the
	// registered name; the reason is audited.
	NameMismatchReason string `json:"name_mismatch_reason"`
}

func (r passportRequest) Validate() error {
	return requireFields(required("number", r.Number), required("issuing_state", r.IssuingState),
		required("issue_date", r.IssueDate), required("expiry_date", r.ExpiryDate))
}

func (h registryHandler) handleAddPassport(c *gin.Context) {
	var req passportRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	p, err := h.Documents.AddPassport(c.Request.Context(), actorOf(c), c.Param("id"), registry.PassportInput(req))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toPassportJSON(p, langOf(c)))
}

type fprCardRequest struct {
	Number      string `json:"number"`
	IssueDate   string `json:"issue_date"`
	ExpiryDate  string `json:"expiry_date"`
	PrintedName string `json:"printed_name"`
}

func (r fprCardRequest) Validate() error {
	return requireFields(required("number", r.Number), required("issue_date", r.IssueDate), required("expiry_date", r.ExpiryDate))
}

func (h registryHandler) handleAddFPRCard(c *gin.Context) {
	var req fprCardRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	card, err := h.Documents.AddFPRCard(c.Request.Context(), actorOf(c), c.Param("id"), registry.FPRCardInput(req))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toFPRCardJSON(card, langOf(c)))
}

// renewalRequest is the renewal of an FPR card on expiry; the number is
// needed only when a 2017 card is succeeded by a 2023 one.
type renewalRequest struct {
	Number      string `json:"number"`
	IssueDate   string `json:"issue_date"`
	ExpiryDate  string `json:"expiry_date"`
	PrintedName string `json:"printed_name"`
}

func (r renewalRequest) Validate() error {
	return requireFields(required("issue_date", r.IssueDate), required("expiry_date", r.ExpiryDate))
}

// replacementRequest is the replacement of a lost, stolen or damaged FPR
// card.
type replacementRequest struct {
	renewalRequest
	Cause string `json:"cause"`
}

func (r replacementRequest) Validate() error {
	return requireFields(required("issue_date", r.IssueDate), required("expiry_date", r.ExpiryDate), required("cause", r.Cause))
}

func (h registryHandler) handleRenewFPRCard(c *gin.Context) {
	var req renewalRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	card, err := h.Reissues.RenewFPRCard(c.Request.Context(), actorOf(c), c.Param("id"),
		registry.ReissueInput{Number: req.Number, IssueDate: req.IssueDate, ExpiryDate: req.ExpiryDate, PrintedName: req.PrintedName})
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toFPRCardJSON(card, langOf(c)))
}

func (h registryHandler) handleReplaceFPRCard(c *gin.Context) {
	var req replacementRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	card, err := h.Reissues.ReplaceFPRCard(c.Request.Context(), actorOf(c), c.Param("id"),
		registry.ReissueInput{Number: req.Number, IssueDate: req.IssueDate, ExpiryDate: req.ExpiryDate, Cause: req.Cause,
			PrintedName: req.PrintedName})
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusCreated, toFPRCardJSON(card, langOf(c)))
}

type statusRequest struct {
	Status string `json:"status"`
}

func (r statusRequest) Validate() error { return requireFields(required("status", r.Status)) }

func (h registryHandler) handleMarkPassport(c *gin.Context) {
	var req statusRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	p, err := h.Documents.MarkPassport(c.Request.Context(), actorOf(c), c.Param("id"), req.Status)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, toPassportJSON(p, langOf(c)))
}

func (h registryHandler) handleMarkFPRCard(c *gin.Context) {
	var req statusRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	card, err := h.Documents.MarkFPRCard(c.Request.Context(), actorOf(c), c.Param("id"), req.Status)
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, toFPRCardJSON(card, langOf(c)))
}

// handleImport takes an NDJSON body. It is read whole first so that a body
// over the limit is a 413 before any line is looked at; larger files need
// a larger -body-limit.
func (h registryHandler) handleImport(c *gin.Context) {
	body, err := readBody(c, i18n.T("Send the NDJSON lines to import.", "请提供要导入的 NDJSON 行。"))
	if h.failIf(c, err) {
		return
	}
	res, err := h.Importer.Import(c.Request.Context(), actorOf(c), bytes.NewReader(body))
	if h.failIf(c, err) {
		return
	}
	c.JSON(http.StatusOK, importResultJSON{Lines: res.Lines, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged})
}
