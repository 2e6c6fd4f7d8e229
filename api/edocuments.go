package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/attestations"
	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/paging"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/internal/statuslists"
)

// EDocumentDeps wires the e-document capability: resident attestations,
// the verify API, relying parties, status lists and the JWKS. A nil field
// makes its routes answer 503 rather than disappear, so the API surface
// (and the OpenAPI coverage test) does not depend on configuration.
type EDocumentDeps struct {
	Documents      EDocuments
	Files          EDocumentFiles
	Officers       EDocumentOfficers
	Verifier       DocumentVerifier
	RelyingParties RelyingPartyAdmin
	APIKeys        APIKeyAuthenticator
	Limiter        VerifyLimiter
	StatusLists    StatusListTokens
	JWKS           JWKSPublisher
	TrustBundles   TrustBundles
	// JWKSMaxAge is the Cache-Control max-age of the JWKS (5 minutes when 0).
	JWKSMaxAge time.Duration
}

// EDocuments is a resident's attestations.
type EDocuments interface {
	Issue(ctx context.Context, req attestations.IssueRequest) (attestations.Issued, error)
	List(ctx context.Context, personID string, page paging.Request) (paging.Page[attestations.Attestation], error)
	Get(ctx context.Context, personID, id string) (attestations.Attestation, error)
	Revoke(ctx context.Context, personID, id, requestID string) (attestations.Attestation, error)
}

// EDocumentFiles serves an attestation's renderings and verification log.
type EDocumentFiles interface {
	File(ctx context.Context, personID, id, kind string) (attestations.File, error)
	Verifications(ctx context.Context, personID, id string, page paging.Request) (paging.Page[attestations.LogEntry], error)
}

// StatusListTokens serves signed status lists.
type StatusListTokens interface {
	Current(ctx context.Context, listID string) (statuslists.Snapshot, error)
	TTL() time.Duration
}

// JWKSPublisher returns the public key set.
type JWKSPublisher interface {
	JWKS(ctx context.Context) ([]byte, error)
}

var _ EDocuments = (*attestations.Service)(nil)
var _ EDocumentFiles = (*attestations.Service)(nil)
var _ StatusListTokens = (*statuslists.Tokens)(nil)

var errEDocsOff = apperr.New(apperr.KindUnavailable, "edocuments_unavailable",
	i18n.T("E-documents are not available on this server.", "本服务器未提供电子证明服务。"))

// issueRequest is the body of POST /api/v1/me/attestations.
type issueRequest struct {
	// Purpose is the sector of the relying party the document is for;
	// the attestations service checks it is one.
	Purpose string `json:"purpose"`
}

func (r issueRequest) Validate() error { return requireFields(required("purpose", r.Purpose)) }

func (s *server) handleIssueAttestation(c *gin.Context) {
	var req issueRequest
	if s.failIf(c, decode(c, &req)) {
		return
	}
	doc, err := s.edocs.Documents.Issue(c.Request.Context(), attestations.IssueRequest{PersonID: principalOf(c).PersonID,
		Purpose: relyingparties.Sector(req.Purpose), RequestID: requestIDOf(c)})
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Location", "/api/v1/me/attestations/"+doc.ID)
	c.JSON(http.StatusCreated, doc)
}

func (s *server) handleListAttestations(c *gin.Context) {
	page, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	out, err := s.edocs.Documents.List(c.Request.Context(), principalOf(c).PersonID, page)
	if s.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, func(a attestations.Attestation) attestationJSON { return attestationJSONOf(a, lang) }))
}

func (s *server) handleGetAttestation(c *gin.Context) {
	a, err := s.edocs.Documents.Get(c.Request.Context(), principalOf(c).PersonID, c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, attestationJSONOf(a, langOf(c)))
}

func (s *server) handleRevokeAttestation(c *gin.Context) {
	a, err := s.edocs.Documents.Revoke(c.Request.Context(), principalOf(c).PersonID, c.Param("id"), requestIDOf(c))
	if s.failIf(c, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, attestationJSONOf(a, langOf(c)))
}

// attestationJSON is an attestation with its state named in the caller's
// language.
type attestationJSON struct {
	attestations.Attestation
	StateLabel string `json:"state_label"`
}

func attestationJSONOf(a attestations.Attestation, lang i18n.Lang) attestationJSON {
	return attestationJSON{Attestation: a, StateLabel: a.Label().In(lang)}
}

// logEntryJSON is one verification of a resident's document, its codes
// named in the resident's language.
type logEntryJSON struct {
	attestations.LogEntry
	SectorLabel      string `json:"sector_label"`
	MethodLabel      string `json:"method_label"`
	ResultLabel      string `json:"result_label"`
	FailedCheckLabel string `json:"failed_check_label,omitempty"`
}

func logEntryJSONOf(e attestations.LogEntry, lang i18n.Lang) logEntryJSON {
	out := logEntryJSON{LogEntry: e, SectorLabel: relyingparties.Sector(e.Sector).Label().In(lang),
		MethodLabel: attestations.MethodLabel(e.Method).In(lang), ResultLabel: attestations.ResultLabel(e.Result).In(lang)}
	if e.FailedCheck != "" {
		out.FailedCheckLabel = attestations.CheckLabel(e.FailedCheck).In(lang)
	}
	return out
}

// handleAttestationFile serves the PDF (as a download) or a QR image.
func (s *server) handleAttestationFile(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := s.edocs.Files.File(c.Request.Context(), principalOf(c).PersonID, c.Param("id"), kind)
		if s.failIf(c, err) {
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

func (s *server) handleAttestationVerifications(c *gin.Context) {
	page, err := pageOf(c)
	if s.failIf(c, err) {
		return
	}
	out, err := s.edocs.Files.Verifications(c.Request.Context(), principalOf(c).PersonID, c.Param("id"), page)
	if s.failIf(c, err) {
		return
	}
	lang := langOf(c)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, paging.Map(out, func(e attestations.LogEntry) logEntryJSON { return logEntryJSONOf(e, lang) }))
}

// handleStatusList serves a status list token. Relying parties cache it
// for its ttl, which is also what Cache-Control says, so shared caches and
// verifiers agree on how stale a list may be.
func (s *server) handleStatusList(c *gin.Context) {
	snap, err := s.edocs.StatusLists.Current(c.Request.Context(), c.Param("id"))
	if s.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(s.edocs.StatusLists.TTL().Seconds())))
	c.Data(http.StatusOK, "application/statuslist+jwt", []byte(snap.Token))
}

func (s *server) handleJWKS(c *gin.Context) {
	b, err := s.edocs.JWKS.JWKS(c.Request.Context())
	if s.failIf(c, err) {
		return
	}
	c.Header("Access-Control-Allow-Origin", "*")
	c.Header("Cache-Control", "public, max-age="+strconv.Itoa(int(s.edocs.JWKSMaxAge.Seconds())))
	c.Data(http.StatusOK, "application/jwk-set+json", b)
}
