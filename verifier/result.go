package verifier

import (
	"iter"
	"slices"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// CheckCode names a verification step. Every Result lists all of them, in
// this order.
type CheckCode string

// The checks, in the order they run.
const (
	CheckFormat    CheckCode = "format"
	CheckAlgorithm CheckCode = "algorithm"
	CheckKey       CheckCode = "key"
	CheckSignature CheckCode = "signature"
	CheckTime      CheckCode = "time"
	CheckAudience  CheckCode = "audience"
	CheckStatus    CheckCode = "status"
	CheckFields    CheckCode = "fields"
)

var checkOrder = [...]CheckCode{CheckFormat, CheckAlgorithm, CheckKey, CheckSignature, CheckTime, CheckAudience, CheckStatus, CheckFields}

// CheckOrder lists the checks in the order Verify runs and reports them,
// for callers that report further checks of their own after them.
func CheckOrder() []CheckCode { return slices.Clone(checkOrder[:]) }

// Verdict is the status of a set of check outcomes: valid only when every
// check passed, invalid when any failed, unknown otherwise (a skipped check
// never gives valid).
func Verdict(outcomes iter.Seq[Outcome]) (Status, bool) {
	status := StatusValid
	for o := range outcomes {
		switch o {
		case Fail:
			status = StatusInvalid
		case Skip:
			if status == StatusValid {
				status = StatusUnknown
			}
		}
	}
	return status, status == StatusValid
}

// Outcome is a check's result.
type Outcome string

// Check outcomes.
const (
	Pass Outcome = "pass"
	Fail Outcome = "fail"
	Skip Outcome = "skip"
)

// Status is the overall answer.
type Status string

// Overall statuses. Unknown means nothing failed but something could not be
// checked (typically the status list): treat it as not valid.
const (
	StatusValid   Status = "valid"
	StatusInvalid Status = "invalid"
	StatusUnknown Status = "unknown"
)

// Check is one verification step's outcome.
type Check struct {
	Code   CheckCode `json:"code"`
	Result Outcome   `json:"result"`
	Detail string    `json:"detail"`
	// Err is the failure or skip reason, one of the package's Err values.
	Err error `json:"-"`
}

// Result is the full answer for one input.
//
// The document's claims are not a field: they are reachable only through
// VerifiedClaims, which gives them only for a valid document, or through
// SignedClaims and UnverifiedClaims, whose names say what was not proved.
// Valid, Status and Checks are plain fields for reporting; changing them
// does not change what VerifiedClaims returns.
type Result struct {
	Valid  bool    `json:"valid"`
	Status Status  `json:"status"`
	Checks []Check `json:"checks"`
	KID    string  `json:"kid,omitempty"`

	claims   *edoc.Claims // decoded, trusted only as the flags below say
	signed   bool         // the signature check passed
	verified bool         // every check passed, status included
}

// VerifiedClaims returns the document's claims and true only when every
// check passed — signature, time, audience, status (actually looked up, not skipped)
// and fields. For any other result it returns the zero Claims and false, so
// a caller cannot act on a document that was not proved valid.
func (r *Result) VerifiedClaims() (edoc.Claims, bool) {
	if r == nil || !r.verified || r.claims == nil {
		return edoc.Claims{}, false
	}
	return *r.claims, true
}

// SignedClaims returns the claims and true when the signature verified
// under a trusted key, whatever the later checks said: the document is
// genuine but may be expired, revoked, suspended or carry bad fields. It
// serves an issuer that must find its own record of a document it is about
// to reject (to log or explain why); never accept a document on it.
func (r *Result) SignedClaims() (edoc.Claims, bool) {
	if r == nil || !r.signed || r.claims == nil {
		return edoc.Claims{}, false
	}
	return *r.claims, true
}

// UnverifiedClaims returns whatever the payload decoded to, and whether it
// decoded at all, before and regardless of any signature check. Anyone can
// write such a payload: it is for showing a person what a rejected
// document claims (FormatReport marks it UNVERIFIED), never for a decision.
func (r *Result) UnverifiedClaims() (edoc.Claims, bool) {
	if r == nil || r.claims == nil {
		return edoc.Claims{}, false
	}
	return *r.claims, true
}

// Check returns the check with code c.
func (r *Result) Check(c CheckCode) Check {
	for _, ch := range r.Checks {
		if ch.Code == c {
			return ch
		}
	}
	return Check{Code: c, Result: Skip}
}

// Err returns nil for a valid document, otherwise the first failure, or the
// first skip reason when nothing failed.
func (r *Result) Err() error {
	if r.Valid {
		return nil
	}
	for _, want := range []Outcome{Fail, Skip} {
		for _, ch := range r.Checks {
			if ch.Result == want && ch.Err != nil {
				return ch.Err
			}
		}
	}
	return ErrNotVerified
}

// finish fills every check not yet run as skipped and derives the verdict:
// valid only if all passed; invalid if any failed; unknown otherwise.
func (r *Result) finish() {
	for _, c := range checkOrder[len(r.Checks):] {
		r.Checks = append(r.Checks, Check{Code: c, Result: Skip, Detail: "not run: an earlier check did not pass", Err: ErrNotVerified})
	}
	r.Status, r.Valid = Verdict(func(yield func(Outcome) bool) {
		for _, ch := range r.Checks {
			if !yield(ch.Result) {
				return
			}
		}
	})
	r.verified = r.Valid && r.Check(CheckStatus).Result == Pass
}

func (r *Result) add(c CheckCode, o Outcome, detail string, err error) {
	r.Checks = append(r.Checks, Check{Code: c, Result: o, Detail: detail, Err: err})
}
