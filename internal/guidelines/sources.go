package guidelines

import (
	"fmt"
	"net/url"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// A fee or a time limit an applicant relies on must say where it comes
// from, so every one carries a public source and the day it was read; a
// figure no source gives is left out and the guideline says it is unknown.

func sourceValid(s Source) bool {
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s.URL) > 500 {
		return false
	}
	_, err = calendar.ParseDate(s.Seen)
	return err == nil
}

func appendSourceError(errs []apperr.FieldError, field string, s Source) []apperr.FieldError {
	if sourceValid(s) {
		return errs
	}
	return append(errs, apperr.FieldError{Field: field, Code: "missing_source", Message: i18n.T(
		field+" needs the url of a public page that states it and the day it was seen (YYYY-MM-DD).",
		"此项须注明载明该事项的公开网页地址及查阅日期（YYYY-MM-DD）。")})
}

func (c Content) checkSourcesAndUnknown() []apperr.FieldError {
	var errs []apperr.FieldError
	if len(c.Sources) > maxItems {
		errs = append(errs, apperr.FieldError{Field: "sources", Code: "invalid_count",
			Message: i18n.T("List at most 50 sources.", "来源最多 50 项。")})
	}
	for i, s := range c.Sources {
		errs = appendSourceError(errs, fmt.Sprintf("sources[%d]", i), s)
	}
	for i, u := range c.Unknown {
		if u != UnknownFees || (len(c.Fees) > 0) || i > 0 {
			errs = append(errs, apperr.FieldError{Field: fmt.Sprintf("unknown[%d]", i), Code: "invalid_unknown",
				Message: i18n.T("unknown may only list fees, once, and only when no fee is given.",
					"未知事项只能列出收费一项，且仅在未列收费项目时使用。")})
		}
	}
	return errs
}
