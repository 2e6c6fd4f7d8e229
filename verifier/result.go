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
	CheckStatus    CheckCode = "status"
	CheckFields    CheckCode = "fields"
)

var checkOrder = [...]CheckCode{CheckFormat, CheckAlgorithm, CheckKey, CheckSignature, CheckTime, CheckStatus, CheckFields}

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
type Result struct {
	Valid  bool    `json:"valid"`
	Status Status  `json:"status"`
	Checks []Check `json:"checks"`
	// Claims is set once the payload decoded; trust it only if Valid (or
	// at least if the signature check passed).
	Claims *edoc.Claims `json:"claims,omitempty"`
	KID    string       `json:"kid,omitempty"`
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
}

func (r *Result) add(c CheckCode, o Outcome, detail string, err error) {
	r.Checks = append(r.Checks, Check{Code: c, Result: o, Detail: detail, Err: err})
}
