package directory

import (
	"math"
	"net/url"
	"regexp"
	"strings"

	"github.com/fprlink/fprlink/internal/apperr"
	"github.com/fprlink/fprlink/internal/business"
	"github.com/fprlink/fprlink/internal/i18n"
)

var (
	codePattern  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)
	phonePattern = regexp.MustCompile(`^[0-9+][0-9 ()+-]{2,31}$`)
)

// Validate checks every field of the particulars an officer sends to
// create or replace a centre (hours and closures are edited separately) and
// reports all that are wrong at once, so an officer fixes a form in one go.
func (in Particulars) Validate() error {
	var errs []apperr.FieldError
	add := func(field, code, en, zh string) {
		errs = append(errs, apperr.FieldError{Field: field, Code: code, Message: i18n.T(en, zh)})
	}
	if !codePattern.MatchString(in.Code) {
		add("code", "invalid_code", "code is 2–40 lowercase letters, digits or hyphens.", "代码须为 2–40 个小写字母、数字或连字符。")
	}
	for field, t := range map[string]i18n.Text{"name": in.Name, "province": in.Province, "city": in.City} {
		if !bilingual(t, true) {
			add(field, "missing_text", field+" needs both en and zh-CN, each at most 200 characters.", "此项须同时有中文和英文文本，各不超过 200 个字符。")
		}
	}
	// An address, district or note no source gives is left empty (unknown),
	// in both languages at once.
	for field, t := range map[string]i18n.Text{"address": in.Address, "district": in.District, "note": in.Note} {
		if !bilingual(t, false) || (strings.TrimSpace(t.En) == "") != (strings.TrimSpace(t.Zh) == "") {
			add(field, "invalid_text", field+" is at most 200 characters in each language.", "此项每种语言不超过 200 个字符，且须同时有中文和英文文本或都不填。")
		}
	}
	errs = append(errs, contactErrors(in)...)
	errs = append(errs, sourceErrors(in.Sources)...)
	errs = append(errs, translatedErrors(in)...)
	// Coordinates no source gives are left out, both at once (NaN after
	// NewParticulars); the centre then has no position, stored as 0,0
	// (stored), which lies in the ocean.
	if math.IsNaN(in.Latitude) != math.IsNaN(in.Longitude) {
		field, code := "latitude", "invalid_latitude"
		if math.IsNaN(in.Longitude) {
			field, code = "longitude", "invalid_longitude"
		}
		add(field, code, "latitude and longitude are given together or not at all.", "纬度和经度须同时提供或同时不提供。")
	}
	if !math.IsNaN(in.Latitude) && !(in.Latitude >= -90 && in.Latitude <= 90) {
		add("latitude", "invalid_latitude", "latitude is from -90 to 90.", "纬度范围为 -90 到 90。")
	}
	if !math.IsNaN(in.Longitude) && !(in.Longitude >= -180 && in.Longitude <= 180) {
		add("longitude", "invalid_longitude", "longitude is from -180 to 180.", "经度范围为 -180 到 180。")
	}
	if !validBusinesses(in.Businesses) {
		add("businesses", "invalid_businesses", "businesses lists known business type codes, each once.", "办理业务须列出已知的业务类型，且不重复。")
	}
	return fieldErrors(errs)
}

func contactErrors(in Particulars) []apperr.FieldError {
	var errs []apperr.FieldError
	if len(in.Phones) > 10 {
		errs = append(errs, apperr.FieldError{Field: "phones", Code: "invalid_phones", Message: i18n.T("At most 10 phone numbers.", "电话号码最多 10 个。")})
	}
	for _, p := range in.Phones {
		if !phonePattern.MatchString(p) {
			errs = append(errs, apperr.FieldError{Field: "phones", Code: "invalid_phone", Message: i18n.T("A phone number holds digits, spaces, +, -, ( and ) only.", "电话号码只能包含数字、空格、+、-、( 和 )。")})
			break
		}
	}
	if in.Email != "" && (len(in.Email) > 254 || strings.Count(in.Email, "@") != 1 || strings.ContainsAny(in.Email, " <>")) {
		errs = append(errs, apperr.FieldError{Field: "email", Code: "invalid_email", Message: i18n.T("email is not an email address.", "电子邮箱地址无效。")})
	}
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.Website) > 300 {
			errs = append(errs, apperr.FieldError{Field: "website", Code: "invalid_website", Message: i18n.T("website must be an http or https URL.", "网站须为以 http:// 或 https:// 开头的网址。")})
		}
	}
	return errs
}

func bilingual(t i18n.Text, required bool) bool {
	if len(t.En) > 200 || len(t.Zh) > 600 { // a Chinese character is 3 bytes
		return false
	}
	return !required || (strings.TrimSpace(t.En) != "" && strings.TrimSpace(t.Zh) != "")
}

// validBusinesses accepts an empty list: the businesses are then unknown.
func validBusinesses(codes []string) bool {
	seen := map[string]bool{}
	for _, c := range codes {
		if !business.Valid(c) || seen[c] {
			return false
		}
		seen[c] = true
	}
	return true
}

// fieldErrors folds several field errors into one typed error whose first
// field is also the problem's "field".
func fieldErrors(errs []apperr.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	// Map iteration made the order random; sort so responses are stable.
	sortFieldErrors(errs)
	e := apperr.Invalid("invalid_service_center", errs[0].Field,
		i18n.T("Some fields of the service centre are not valid.", "服务中心的部分字段无效。"))
	e.Fields = errs
	return e
}

func sortFieldErrors(errs []apperr.FieldError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Field < errs[j-1].Field; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// stored are the particulars as kept: a position left out (NaN) becomes
// 0,0, which Located reads as unknown.
func (in Particulars) stored() Particulars {
	if math.IsNaN(in.Latitude) || math.IsNaN(in.Longitude) {
		in.Latitude, in.Longitude = 0, 0
	}
	return in
}
