package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/audit"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
)

// ResidentEDocuments is a resident's attestations.
type ResidentEDocuments interface {
	Issue(ctx context.Context, req attestations.IssueRequest) (attestations.Issued, error)
	List(ctx context.Context, personID string, page paging.Request) (paging.Page[attestations.Attestation], error)
	Get(ctx context.Context, personID, id string) (attestations.Attestation, error)
	Revoke(ctx context.Context, by audit.Actor, personID, id string) (attestations.Attestation, error)
}

// EDocumentFiles serves an attestation's renderings and verification log.
type EDocumentFiles interface {
	File(ctx context.Context, personID, id, kind string) (attestations.File, error)
	Verifications(ctx context.Context, personID, id string, page paging.Request) (paging.Page[attestations.LogEntry], error)
}

var (
	_ ResidentEDocuments = (*attestations.Service)(nil)
	_ EDocumentFiles     = (*attestations.Service)(nil)
)

// EDocuments are the services behind the e-document routes of residents
// and officers; one *attestations.Service satisfies every field. A nil
// field makes the routes that call it answer 503.
type EDocuments struct {
	Documents ResidentEDocuments
	Files     EDocumentFiles
	Officers  EDocumentOfficers
	// Keys revokes signing keys (signingkeys.go).
	Keys SigningKeyAdmin
}

// edocumentsHandler serves the e-document routes of residents and
// officers.
type edocumentsHandler struct {
	responder
	EDocuments
}

// errEDocumentsOff answers for the whole e-document capability: the
// resident's and officers' routes, the verify API, relying parties and
// what is published for offline verification.
var errEDocumentsOff = capabilityOff("edocuments_unavailable",
	i18n.T("E-documents are not available on this server.", "本服务器未提供电子证明服务。"))

// issueRequest is the body of POST /api/v1/me/attestations.
type issueRequest struct {
	// Purpose is the sector of the relying party the document is for;
	// the attestations service checks it is one.
	Purpose string `json:"purpose"`
}

func (r issueRequest) Validate() error { return requireFields(required("purpose", r.Purpose)) }

func (h edocumentsHandler) handleIssueAttestation(c *gin.Context) {
	var req issueRequest
	if h.failIf(c, decode(c, &req)) {
		return
	}
	doc, err := h.Documents.Issue(c.Request.Context(), attestations.IssueRequest{PersonID: principalOf(c).PersonID,
		Purpose: relyingparties.Sector(req.Purpose), RequestID: requestIDOf(c), By: onBehalfActor(c)})
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/me/attestations/"+doc.ID)
	c.JSON(http.StatusCreated, issuedJSONOf(doc))
}

func (h edocumentsHandler) handleListAttestations(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	out, err := h.Documents.List(c.Request.Context(), principalOf(c).PersonID, page)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, func(a attestations.Attestation) attestationJSON { return attestationJSONOf(a, lang) }))
}

func (h edocumentsHandler) handleGetAttestation(c *gin.Context) {
	a, err := h.Documents.Get(c.Request.Context(), principalOf(c).PersonID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, attestationJSONOf(a, langOf(c)))
}

func (h edocumentsHandler) handleRevokeAttestation(c *gin.Context) {
	a, err := h.Documents.Revoke(c.Request.Context(), actorOf(c), principalOf(c).PersonID, c.Param("id"))
	if h.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, attestationJSONOf(a, langOf(c)))
}

// handleAttestationFile serves the PDF (as a download) or a QR image.
func (h edocumentsHandler) handleAttestationFile(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := h.Files.File(c.Request.Context(), principalOf(c).PersonID, c.Param("id"), kind)
		if h.failIf(c, err) {
			return
		}
		// The files carry personal data: never cache them on the way.
		c.Header("Cache-Control", "private, no-store")
		c.Header("X-Content-Type-Options", "nosniff")
		if kind == attestations.KindPDF {
			c.Header("Content-Disposition", `attachment; filename="`+f.DocumentNumber+`.pdf"`)
		}
		c.Data(http.StatusOK, f.ContentType(), f.Content)
	}
}

func (h edocumentsHandler) handleAttestationVerifications(c *gin.Context) {
	page, err := pageOf(c)
	if h.failIf(c, err) {
		return
	}
	out, err := h.Files.Verifications(c.Request.Context(), principalOf(c).PersonID, c.Param("id"), page)
	if h.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, func(e attestations.LogEntry) logEntryJSON { return logEntryJSONOf(e, lang) }))
}
