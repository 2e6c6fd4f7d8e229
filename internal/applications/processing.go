package applications

import (
	"context"

	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/i18n"
)

// StandardProcessingTimes is the ProcessingTimes of the published rules:
// the business catalogue's figures (business.ProcessingDays), which the
// directory and the guidelines show, so a deadline never disagrees with
// what a resident was told.
type StandardProcessingTimes struct{}

var _ ProcessingTimes = StandardProcessingTimes{}

// WorkingDays returns the processing time of code.
func (StandardProcessingTimes) WorkingDays(_ context.Context, code string) (int, bool, error) {
	n := business.ProcessingDays(code)
	return n, n > 0, nil
}

// BusinessTypeName is the name of a business type as shown to people, the
// catalogue's; an unknown code is shown as it is.
func BusinessTypeName(code string) i18n.Text {
	if t, ok := business.Lookup(code); ok {
		return t.Name
	}
	return i18n.T(code, code)
}
