package attestations

import (
	"context"
	"fmt"

	"github.com/fprlink/fprlink/verifier"
)

const (
	pass = string(verifier.Pass)
	fail = string(verifier.Fail)
	skip = string(verifier.Skip)
)

// verifyToken runs the offline checks and, once the signature proved the
// document is ours, the online ones.
func (s *Service) verifyToken(ctx context.Context, method, input string) evaluation {
	ev := evaluation{method: method}
	res, _ := s.verifier.Verify(ctx, input) // the error repeats what res says
	for _, c := range res.Checks {
		ev.checks = append(ev.checks, Check{Code: string(c.Code), Result: string(c.Result), Detail: c.Detail})
	}
	if res.Check(verifier.CheckSignature).Result != verifier.Pass || res.Claims == nil {
		ev.checks = append(ev.checks, skipped(CheckDocument, CheckRegistryPassport, CheckRegistryCard)...)
		return ev
	}
	ev.claims, ev.number = res.Claims, res.Claims.ID
	ev.checks = append(ev.checks, s.onlineChecks(ctx, &ev)...)
	return ev
}

func skipped(codes ...string) []Check {
	out := make([]Check, len(codes))
	for i, c := range codes {
		out[i] = Check{Code: c, Result: skip, Detail: "not run: the document could not be authenticated"}
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
		return append([]Check{{Code: CheckDocument, Result: skip, Detail: "records unavailable"}},
			skipped(CheckRegistryPassport, CheckRegistryCard)...)
	case got.row == nil:
		return append([]Check{{Code: CheckDocument, Result: fail, Detail: "no record of this document number"}},
			skipped(CheckRegistryPassport, CheckRegistryCard)...)
	}
	row := got.row
	ev.row = row
	doc := Check{Code: CheckDocument, Result: pass, Detail: "document " + row.DocumentNumber + " is in force"}
	if row.State == stateRevoked {
		doc = Check{Code: CheckDocument, Result: fail, Detail: "document " + row.DocumentNumber + " was revoked"}
	}
	if got.stateErr != nil {
		return []Check{doc,
			{Code: CheckRegistryPassport, Result: skip, Detail: "registry unavailable"},
			{Code: CheckRegistryCard, Result: skip, Detail: "registry unavailable"}}
	}
	st := got.state
	return []Check{doc,
		registryCheck(CheckRegistryPassport, "passport", st.PassportFound, st.PassportStatus, st.PassportCurrent),
		registryCheck(CheckRegistryCard, "FPR card", st.CardFound, st.CardStatus, st.CardCurrent)}
}

func registryCheck(code, what string, found bool, status DocStatus, current bool) Check {
	switch {
	case !found:
		return Check{Code: code, Result: fail, Detail: what + " is no longer in the registry"}
	case status != DocValid:
		return Check{Code: code, Result: fail, Detail: fmt.Sprintf("%s reported %s since issue", what, status)}
	case !current:
		return Check{Code: code, Result: fail, Detail: what + " was superseded by a newer one"}
	}
	return Check{Code: code, Result: pass, Detail: what + " is current and valid"}
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
func (s *Service) verifyCode(ctx context.Context, number, code string) evaluation {
	ev := evaluation{method: "code", number: number}
	norm, _ := normalizeCode(code)
	row, err := s.byNumber(ctx, number)
	if err != nil {
		ev.checks = append([]Check{{Code: CheckVerificationCode, Result: skip, Detail: "records unavailable"}},
			skipAll("not run: records unavailable")...)
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
			Detail: "document number and verification code do not match a document"}},
			skipAll("not run: the code did not match")...)
		return ev
	}
	inner := s.verifyToken(ctx, "code", row.Token)
	inner.checks = append([]Check{{Code: CheckVerificationCode, Result: pass, Detail: "code matches"}}, inner.checks...)
	return inner
}

// skipAll is every later check, skipped, in the order a token verification
// reports them.
func skipAll(why string) []Check {
	codes := []verifier.CheckCode{verifier.CheckFormat, verifier.CheckAlgorithm, verifier.CheckKey,
		verifier.CheckSignature, verifier.CheckTime, verifier.CheckStatus, verifier.CheckFields}
	out := make([]Check, 0, len(codes)+3)
	for _, c := range codes {
		out = append(out, Check{Code: string(c), Result: skip, Detail: why})
	}
	for _, c := range []string{CheckDocument, CheckRegistryPassport, CheckRegistryCard} {
		out = append(out, Check{Code: c, Result: skip, Detail: why})
	}
	return out
}
