package directory

import (
	"fmt"
	"net/url"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/i18n"
)

// The directory shows facts the administration did not author: a visitor
// who is about to cross a city on the strength of an address is owed the
// page it came from, the day it was read and, for a fact nobody published,
// the plain statement that it is unknown rather than an empty field that
// reads as "none".

// Facts of a centre a source may give, and that may be unknown.
const (
	FactName       = "name"
	FactAddress    = "address"
	FactPhones     = "phones"
	FactHours      = "hours"
	FactBusinesses = "businesses"
	FactLocation   = "location"
)

var factNames = []string{FactName, FactAddress, FactPhones, FactHours, FactBusinesses, FactLocation}

// Source is a public page that states some of a centre's facts, as an
// officer or the data file gives it (Validate checks it).
type Source struct {
	URL   string   `json:"url"`
	Seen  string   `json:"seen"`  // YYYY-MM-DD, the day it was read
	Facts []string `json:"facts"` // Fact* names
	Note  string   `json:"note,omitempty"`
}

// Unknown lists the facts of the centre no one has given, in a fixed order:
// a centre always has a name, so that is never among them.
func (c *Center) Unknown() []string {
	var out []string
	if c.Address.En == "" {
		out = append(out, FactAddress)
	}
	if len(c.Phones) == 0 {
		out = append(out, FactPhones)
	}
	if !c.HasHours() {
		out = append(out, FactHours)
	}
	if len(c.Businesses) == 0 {
		out = append(out, FactBusinesses)
	}
	if !c.Located() {
		out = append(out, FactLocation)
	}
	return out
}

// HasHours reports whether any opening period is known. A centre without
// any is not "always closed": its hours are unknown.
func (c *Center) HasHours() bool {
	for d := 1; d <= 7; d++ {
		if len(c.Hours[d]) > 0 {
			return true
		}
	}
	return false
}

const (
	maxSources    = 20
	maxSourceURL  = 500
	maxTranslated = 4
)

func sourceErrors(sources []Source) []apperr.FieldError {
	var errs []apperr.FieldError
	add := func(field, code, en, zh string) {
		errs = append(errs, apperr.FieldError{Field: field, Code: code, Message: i18n.T(en, zh)})
	}
	if len(sources) > maxSources {
		add("sources", "invalid_sources", "List at most 20 sources.", "来源最多 20 项。")
	}
	for i, s := range sources {
		field := fmt.Sprintf("sources[%d]", i)
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s.URL) > maxSourceURL {
			add(field+".url", "invalid_source_url", field+".url must be the http or https address of a public page.", "来源网址须为以 http:// 或 https:// 开头的公开网页地址。")
		}
		if _, err := calendar.ParseDate(s.Seen); err != nil {
			add(field+".seen", "invalid_source_seen", field+".seen must be the day the page was read, as YYYY-MM-DD.", "查阅日期须为查阅该网页的日期，格式为 YYYY-MM-DD。")
		}
		if !validFacts(s.Facts) {
			add(field+".facts", "invalid_source_facts", field+".facts lists, each once, the facts the page gives: name, address, phones, hours, businesses or location.", "来源载明事项须列出该网页载明的事项（名称、地址、电话、开放时间、办理业务或位置），至少一项且不重复。")
		}
	}
	return errs
}

func validFacts(facts []string) bool {
	seen := map[string]bool{}
	for _, f := range facts {
		if seen[f] || !isFact(f) {
			return false
		}
		seen[f] = true
	}
	return len(facts) > 0
}

func isFact(f string) bool {
	for _, n := range factNames {
		if n == f {
			return true
		}
	}
	return false
}

// translatedErrors checks the texts said to be renderings from another
// language: the name or address, in en or zh-CN, each once.
func translatedErrors(in Particulars) []apperr.FieldError {
	seen := map[string]bool{}
	bad := len(in.Translated) > maxTranslated
	for _, tr := range in.Translated {
		switch tr {
		case "name.en", "name.zh-CN":
		case "address.en", "address.zh-CN":
			bad = bad || in.Address.En == ""
		default:
			bad = true
		}
		bad = bad || seen[tr]
		seen[tr] = true
	}
	if !bad {
		return nil
	}
	return []apperr.FieldError{{Field: "translated", Code: "invalid_translated", Message: i18n.T(
		"translated lists, each once, the texts rendered from another language: name.en, name.zh-CN, and, when an address is given, address.en or address.zh-CN.",
		"译文清单须列出由另一种语言译出的文本，每项一次：名称的英文或中文，以及在已提供地址时地址的英文或中文。")}}
}
