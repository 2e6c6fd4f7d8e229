// Package i18n holds the two languages fprlink speaks, English and
// Simplified Chinese, and the negotiation of which one a caller wants.
// Every user-facing text the service owns is an i18n.Text carrying both.
package i18n

import (
	"strconv"
	"strings"
)

// Lang is a supported language tag.
type Lang string

// The supported languages. English is the default.
const (
	EN Lang = "en"
	ZH Lang = "zh-CN"
)

// Text is one message in both languages.
type Text struct {
	En string `json:"en"`
	Zh string `json:"zh-CN"`
}

// T builds a Text.
func T(en, zh string) Text { return Text{En: en, Zh: zh} }

// In returns the text in lang, falling back to English when the Chinese
// text is missing.
func (t Text) In(lang Lang) string {
	if lang == ZH && t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// Label is the label of code in labels, or the code itself in both
// languages when it has none, so a code added without a label still reads
// as something rather than as nothing (each package's label test keeps that
// from shipping).
func Label[K ~string](labels map[K]Text, code K) Text {
	if l, ok := labels[code]; ok {
		return l
	}
	return T(string(code), string(code))
}

// Parse maps a single language tag to a supported language.
func Parse(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "en" || strings.HasPrefix(tag, "en-"):
		return EN, true
	case tag == "zh" || tag == "zh-cn" || tag == "zh-hans" || strings.HasPrefix(tag, "zh-hans-") || tag == "zh-sg":
		return ZH, true
	}
	return "", false
}

// Negotiate picks the language for a request: an explicit lang parameter
// wins, then the highest-weighted supported tag in Accept-Language (RFC
// 9110: q is case-insensitive, q=0 refuses a language, "*" stands for any
// language not named), then English.
func Negotiate(langParam, acceptLanguage string) Lang {
	if l, ok := Parse(langParam); ok {
		return l
	}
	best, bestQ := EN, 0.0
	refused := map[Lang]bool{}
	wildcardQ := 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			name, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(name), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		if strings.TrimSpace(tag) == "*" {
			wildcardQ = max(wildcardQ, q)
			continue
		}
		l, ok := Parse(tag)
		switch {
		case !ok:
		case q == 0:
			refused[l] = true
		case q > bestQ:
			best, bestQ = l, q
		}
	}
	if wildcardQ > bestQ {
		for _, l := range []Lang{EN, ZH} {
			if !refused[l] {
				return l
			}
		}
	}
	if bestQ == 0 && refused[EN] && !refused[ZH] {
		return ZH
	}
	return best
}
