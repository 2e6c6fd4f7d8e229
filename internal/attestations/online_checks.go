package attestations

import (
	"context"
	"fmt"

	"github.com/fprlink/fprlink/internal/i18n"
	"github.com/fprlink/fprlink/internal/relyingparties"
	"github.com/fprlink/fprlink/verifier"
)

const (
	pass = string(verifier.Pass)
	fail = string(verifier.Fail)
	skip = string(verifier.Skip)
)

// verifyToken runs the offline checks and, once the signature proved the
// document is ours, the online ones.
func (s *Service) verifyToken(ctx context.Context, sector relyingparties.Sector, method, input string) evaluation {
	ev := evaluation{method: method}
	v, ok := s.verifiers[sector]
	if !ok {
		// A party of no known sector matches no audience: the sector-less
		// verifier skips the check, so no purpose-bound document is valid.
		v = s.verifiers[""]
	}
	res, _ := v.Verify(ctx, input) // the error repeats what res says
	for _, c := range res.Checks {
		ev.checks = append(ev.checks, Check{Code: string(c.Code), Result: string(c.Result), Detail: c.Detail,
			Message: verifierMessage(c)})
	}
	// A genuine document is looked up even when an offline check failed,
	// so the answer and the holder's log name it; only a fully verified
	// one may be shown to the relying party.
	signed, ok := res.SignedClaims()
	if !ok {
		ev.checks = append(ev.checks, skipped(notAuthenticated, CheckDocument, CheckRegistryPassport, CheckRegistryCard)...)
		return ev
	}
	ev.number = signed.ID
	if c, ok := res.VerifiedClaims(); ok {
		ev.verified = &c
	}
	ev.checks = append(ev.checks, s.onlineChecks(ctx, &ev)...)
	return ev
}

// skipReason is why checks did not run: a detail and its message.
type skipReason struct {
	detail string
	msg    i18n.Text
}

var (
	notAuthenticated    = skipReason{"not run: the document could not be authenticated", msgNotAuthenticated}
	recordsUnavailable  = skipReason{"not run: records unavailable", msgRecordsUnavailable}
	registryUnavailable = skipReason{"not run: registry unavailable", msgRegistryUnavailable}
	codeDidNotMatch     = skipReason{"not run: the code did not match", msgCodeDidNotMatch}
	noRecord            = skipReason{"not run: no record of this document", msgNoRecord}
)

func skipped(why skipReason, codes ...string) []Check {
	out := make([]Check, len(codes))
	for i, c := range codes {
		out[i] = Check{Code: c, Result: skip, Detail: why.detail, Message: why.msg}
	}
	return out
}

// onlineChecks asks our records and the registry about an authentic
// document: is it still in force, and are its passport and card still the
// holder's current, valid documents?
func (s *Service) onlineChecks(ctx context.Context, ev *evaluation) []Check {
	got, err := s.lookup.get(ctx, ev.number)
	switch {
	case err != nil:
		return skipped(recordsUnavailable, CheckDocument, CheckRegistryPassport, CheckRegistryCard)
	case got.row == nil:
		return append([]Check{{Code: CheckDocument, Result: fail, Detail: "no record of this document number",
			Message: i18n.T("There is no record of this document number.", "无此文件编号的记录。")}},
			skipped(noRecord, CheckRegistryPassport, CheckRegistryCard)...)
	}
	row := got.row
	ev.row = row
	doc := Check{Code: CheckDocument, Result: pass, Detail: "document " + row.DocumentNumber + " is in force",
		Message: i18n.T("The document is in force.", "文件有效。")}
	switch {
	case row.State == stateRevoked && row.InvalidationCause != "":
		why := CauseLabel(row.InvalidationCause)
		doc = Check{Code: CheckDocument, Result: fail,
			Detail:  "document " + row.DocumentNumber + " was invalidated: " + row.InvalidationCause,
			Message: i18n.T("The document is no longer valid: "+why.En+".", "文件已失效："+why.Zh+"。")}
	case row.State == stateRevoked:
		doc = Check{Code: CheckDocument, Result: fail, Detail: "document " + row.DocumentNumber + " was revoked",
			Message: i18n.T("The document has been revoked.", "文件已被撤销。")}
	case row.SuspendedAt != nil:
		doc = Check{Code: CheckDocument, Result: fail, Detail: "document " + row.DocumentNumber + " is suspended",
			Message: i18n.T("The administration has suspended the document.", "该文件已被主管机关暂停使用。")}
	}
	if got.stateErr != nil {
		return append([]Check{doc}, skipped(registryUnavailable, CheckRegistryPassport, CheckRegistryCard)...)
	}
	st := got.state
	return []Check{doc,
		registryCheck(CheckRegistryPassport, passportWords, st.PassportFound, st.PassportStatus, st.PassportCurrent),
		registryCheck(CheckRegistryCard, cardWords, st.CardFound, st.CardStatus, st.CardCurrent)}
}

func registryCheck(code string, w *docWords, found bool, status DocStatus, current bool) Check {
	switch {
	case !found:
		return Check{Code: code, Result: fail, Detail: w.what + " is no longer in the registry", Message: w.notFound}
	case status != DocValid:
		return Check{Code: code, Result: fail, Detail: fmt.Sprintf("%s reported %s since issue", w.what, status),
			Message: w.reportedAs(status)}
	case !current:
		return Check{Code: code, Result: fail, Detail: w.what + " was superseded by a newer one", Message: w.replaced}
	}
	return Check{Code: code, Result: pass, Detail: w.what + " is current and valid", Message: w.valid}
}

func (s *Service) byNumber(ctx context.Context, number string) (*Row, error) {
	var rows []Row
	err := s.db.Gorm.WithContext(ctx).Where("document_number = ?", number).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return &rows[0], nil
}

// verifyCode checks a document number and code typed by hand. An unknown
// number and a wrong code give the same answer, so the API cannot be used
// to learn which document numbers exist.
func (s *Service) verifyCode(ctx context.Context, sector relyingparties.Sector, number, code string) evaluation {
	ev := evaluation{method: methodCode, number: number}
	norm, _ := normalizeCode(code)
	row, err := s.byNumber(ctx, number)
	if err != nil {
		ev.checks = append([]Check{{Code: CheckVerificationCode, Result: skip, Detail: "records unavailable",
			Message: msgRecordsUnavailable}}, skipAll(recordsUnavailable)...)
		return ev
	}
	ok := false
	if row == nil {
		// Same hashing work as a wrong code, so timing tells nothing either.
		var zero [16]byte
		codeMatches(zero[:], zero[:], norm)
	} else {
		ok = codeMatches(row.CodeSalt, row.CodeHash, norm)
		ev.row = row // the holder sees failed attempts; the caller does not learn of it
	}
	if !ok {
		ev.checks = append([]Check{{Code: CheckVerificationCode, Result: fail,
			Detail:  "document number and verification code do not match a document",
			Message: i18n.T("The document number and verification code do not match a document.", "文件编号与核验码不匹配。")}},
			skipAll(codeDidNotMatch)...)
		return ev
	}
	inner := s.verifyToken(ctx, sector, methodCode, row.Token)
	inner.checks = append([]Check{{Code: CheckVerificationCode, Result: pass, Detail: "code matches",
		Message: i18n.T("The verification code matches.", "核验码正确。")}}, inner.checks...)
	return inner
}

// skipAll is every later check, skipped, in the order a token verification
// reports them.
func skipAll(why skipReason) []Check {
	var codes []string
	for _, c := range verifier.CheckOrder() {
		codes = append(codes, string(c))
	}
	return skipped(why, append(codes, CheckDocument, CheckRegistryPassport, CheckRegistryCard)...)
}
