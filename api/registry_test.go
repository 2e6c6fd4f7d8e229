package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

func TestLoginLocksAfterWrongPasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		for i := 0; i < 5; i++ {
			wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"resident","password":"not the password"}`),
				http.StatusUnauthorized, "invalid_credentials", "")
		}
		w := e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"resident","password":"`+regPassword+`"}`)
		wantProblem(t, w, http.StatusTooManyRequests, "account_locked", "")
		if w.Header().Get("Retry-After") != "60" {
			t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
		}
	})
}

func TestRegistryRequestRejects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		off := e.tokens["officer"]
		rows := []struct {
			name, method, path, body string
			status                   int
			code, field              string
		}{
			{"register unknown field", "POST", "/api/v1/auth/register", `{"username":"x","is_admin":true}`, 400, "unknown_field", "is_admin"},
			{"register with document data alone", "POST", "/api/v1/auth/register", documentDataRegistration, 400, "unknown_field", "passport_number"},
			{"register missing code", "POST", "/api/v1/auth/register", `{"username":"someone","password":"steppe wind 1990"}`, 422, "required", "code"},
			{"register missing password", "POST", "/api/v1/auth/register", `{"code":"2222-2222-2222-2222","username":"someone"}`, 422, "required", "password"},
			{"register malformed code", "POST", "/api/v1/auth/register", `{"code":"12345","username":"someone","password":"steppe wind 1990"}`, 422, "invalid_enrolment_code", "code"},
			{"register weak password", "POST", "/api/v1/auth/register", `{"code":"2222-2222-2222-2222","username":"someone","password":"short"}`, 422, "weak_password", "password"},
			{"register wrong code", "POST", "/api/v1/auth/register", `{"code":"2222-2222-2222-2222","username":"someone","password":"steppe wind 1990"}`, 422, "enrolment_code_invalid", "code"},
			{"code request missing birth date", "POST", "/api/v1/auth/enrolment-codes", `{"passport_number":"N1234567","nationality":"KAZ"}`, 422, "required", "birth_date"},
			{"code request bad card number", "POST", "/api/v1/auth/enrolment-codes", strings.Replace(codeRequestBody, "KAZ110090123105", "KAZ110090123106", 1), 422, "fpr_check", "fpr_card_number"},
			{"code request unknown field", "POST", "/api/v1/auth/enrolment-codes", `{"passport_number":"N1234567","username":"x"}`, 400, "unknown_field", "username"},
			{"counter code unknown person", "POST", "/api/v1/admin/persons/nobody/enrolment-code", "", 404, "person_not_found", ""},
			{"login empty body", "POST", "/api/v1/auth/login", "", 400, "empty_body", ""},
			{"login missing username", "POST", "/api/v1/auth/login", `{"password":"x"}`, 422, "required", "username"},
			{"person bad birth date", "POST", "/api/v1/admin/persons", `{"surname":"X","sex":"M","birth_date":"1990-13-01","nationality":"FRA"}`, 422, "invalid_date", "birth_date"},
			{"person unknown nationality", "POST", "/api/v1/admin/persons", `{"surname":"X","sex":"M","birth_date":"1990-01-01","nationality":"ATL"}`, 422, "invalid_nationality", "nationality"},
			{"person bad mobile", "POST", "/api/v1/admin/persons", `{"surname":"X","sex":"M","birth_date":"1990-01-01","nationality":"FRA","mobile":"06 12 34 56 78"}`, 422, "invalid_mobile", "mobile"},
			{"patch bad email", "PATCH", "/api/v1/admin/persons/" + e.a.ID, `{"email":"x@localhost"}`, 422, "invalid_email", "email"},
			{"patch nothing", "PATCH", "/api/v1/admin/persons/" + e.a.ID, `{}`, 422, "empty_patch", ""},
			{"patch unknown person", "PATCH", "/api/v1/admin/persons/nobody", `{"surname":"X"}`, 404, "person_not_found", ""},
			{"get unknown person", "GET", "/api/v1/admin/persons/nobody", "", 404, "person_not_found", ""},
			{"card copied from another person", "POST", "/api/v1/admin/persons/" + e.a.ID + "/fpr-cards", `{"number":"` + e.b.Card + `","issue_date":"2025-01-01","expiry_date":"2035-01-01"}`, 422, "fpr_nationality_mismatch", "number"},
			{"passport already on record", "POST", "/api/v1/admin/persons/" + e.a.ID + "/passports", `{"number":"` + e.a.Passport + `","issuing_state":"SAU","issue_date":"2025-01-01","expiry_date":"2035-01-01"}`, 409, "passport_exists", ""},
			{"mark passport cancelled", "POST", "/api/v1/admin/passports/x/status", `{"status":"cancelled"}`, 422, "invalid_status", "status"},
			{"mark unknown card", "POST", "/api/v1/admin/fpr-cards/x/status", `{"status":"lost"}`, 404, "fpr_card_not_found", ""},
			{"list bad limit", "GET", "/api/v1/admin/persons?limit=1000", "", 400, "invalid_limit", "limit"},
			{"import empty", "POST", "/api/v1/admin/imports", "", 400, "empty_body", ""},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				before := countRows(t, db)
				wantProblem(t, e.do(r.method, r.path, off, r.body), r.status, r.code, r.field)
				if after := countRows(t, db); after != before {
					t.Fatalf("rows changed: %v → %v", before, after)
				}
			})
		}
	})
}

func countRows(t *testing.T, db *storage.DB) [5]int64 {
	var out [5]int64
	for i, table := range []string{"persons", "passports", "fpr_cards", "accounts", "audit_events"} {
		if err := db.Gorm.Table(table).Count(&out[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestAdminKeepsRegistry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		off := e.tokens["officer"]
		id := seedKazakh(t, e)
		w := e.do("PATCH", "/api/v1/admin/persons/"+id, off, `{"given_names":"Aigerim Nurlanqyzy","mobile":"+7 701 234 56 78","email":"aigerim@example.kz"}`)
		if p := decodeJSON[personJSON](t, w); w.Code != http.StatusOK || p.Mobile != "+77012345678" || p.Email != "aigerim@example.kz" {
			t.Fatalf("patched %d %+v", w.Code, p)
		}
		number := docnum.MakeFPR2023("11", "KAZ", calendar.Date{Year: 1990, Month: 12, Day: 31}, 1)
		w = e.do("POST", "/api/v1/admin/persons/"+id+"/fpr-cards", off, `{"number":"`+number+`","issue_date":"2025-05-01","expiry_date":"2035-04-30"}`)
		wantStatus(t, w, http.StatusCreated)
		card := decodeJSON[fprCardJSON](t, w)
		rec := decodeJSON[personRecordJSON](t, e.do("GET", "/api/v1/admin/persons/"+id, off, ""))
		if rec.GivenNames != "AIGERIM NURLANQYZY" || len(rec.FPRCards) != 2 || rec.FPRCards[1].Status != "replaced" {
			t.Fatalf("record %+v", rec)
		}
		w = e.do("POST", "/api/v1/admin/fpr-cards/"+card.ID+"/status", off, `{"status":"lost"}`)
		if c := decodeJSON[fprCardJSON](t, w); c.Status != "lost" {
			t.Fatalf("marked %+v", c)
		}
		page := decodeJSON[struct {
			Items      []personJSON `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}](t, e.do("GET", "/api/v1/admin/persons?limit=2", off, ""))
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("page %+v", page)
		}
	})
}

func TestImportOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		good := `{"surname":"DUPONT","given_names":"MARIE","sex":"F","birth_date":"1975-04-02","nationality":"FRA",` +
			`"passport":{"number":"19AB12345","issuing_state":"FRA","issue_date":"2019-06-01","expiry_date":"2029-05-31"}}`
		bad := strings.Replace(good, "19AB12345", "19AB99999", 1)
		bad = strings.Replace(bad, `"FRA",`, `"ZZZ",`, 1)
		before := countRows(t, db)
		w := e.do("POST", "/api/v1/admin/imports", e.tokens["officer"], good+"\n"+bad+"\n")
		p := wantProblem(t, w, http.StatusUnprocessableEntity, "import_invalid", "line 2: nationality")
		if len(p.Errors) != 1 || !strings.Contains(p.Detail, "line 2") {
			t.Fatalf("problem %+v", p)
		}
		if countRows(t, db) != before {
			t.Fatal("a bad file changed rows")
		}
		w = e.do("POST", "/api/v1/admin/imports", e.tokens["officer"], good+"\n")
		wantStatus(t, w, http.StatusOK)
		var res map[string]int
		_ = json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(&res)
		if res["created"] != 1 {
			t.Fatalf("result %v", res)
		}
		w = e.do("POST", "/api/v1/admin/imports", e.tokens["officer"], good+"\n")
		_ = json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(&res)
		if res["unchanged"] != 1 || res["created"] != 0 {
			t.Fatalf("re-import %v", res)
		}
	})
}

// TestImportMayExceedTheBodyLimit: an import file is larger than any
// request (here 1.2 MB against the 1 MiB default), and only the import
// route accepts it.
func TestImportMayExceedTheBodyLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		var file strings.Builder
		lines := 0
		for file.Len() <= DefaultBodyLimit+DefaultBodyLimit/8 {
			fmt.Fprintf(&file, `{"surname":"DUPONT","given_names":"MARIE","sex":"F","birth_date":"1975-04-02","nationality":"FRA",`+
				`"passport":{"number":"19AB%05d","issuing_state":"FRA","issue_date":"2019-06-01","expiry_date":"2029-05-31"}}`+"\n", lines)
			lines++
		}
		w := e.do("POST", "/api/v1/admin/imports", e.tokens["officer"], file.String())
		wantStatus(t, w, http.StatusOK)
		var res map[string]int
		_ = json.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode(&res)
		if res["created"] != lines {
			t.Fatalf("result %v for %d lines", res, lines)
		}
		w = e.do("POST", "/api/v1/admin/persons", e.tokens["officer"], file.String())
		wantProblem(t, w, http.StatusRequestEntityTooLarge, "body_too_large", "")
	})
}

// TestChangeOwnPassword: an officer changes their password over HTTP, stays
// signed in, and their other session ends; a refusal names its field in
// the caller's language and changes nothing.
func TestChangeOwnPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		here, other := e.tokens["officer"], e.login("officer1")
		p := wantProblem(t, e.do(http.MethodPost, "/api/v1/me/password", here,
			`{"current_password":"`+regPassword+`","new_password":"short"}`, "Accept-Language", "zh-CN"),
			http.StatusUnprocessableEntity, "weak_password", "new_password")
		if !strings.Contains(p.Detail, "密码") {
			t.Fatalf("refusal not in Chinese: %+v", p)
		}
		wantProblem(t, e.do(http.MethodPost, "/api/v1/me/password", here,
			`{"current_password":"not it at all","new_password":"a new long password"}`),
			http.StatusUnprocessableEntity, "current_password_wrong", "current_password")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/me/password", here, `{"new_password":"a new long password"}`),
			http.StatusUnprocessableEntity, "required", "current_password")
		wantStatus(t, e.do(http.MethodGet, "/api/v1/me", other, ""), http.StatusOK)

		wantStatus(t, e.do(http.MethodPost, "/api/v1/me/password", here,
			`{"current_password":"`+regPassword+`","new_password":"a new long password"}`), http.StatusNoContent)
		wantStatus(t, e.do(http.MethodGet, "/api/v1/me", here, ""), http.StatusOK)
		wantProblem(t, e.do(http.MethodGet, "/api/v1/me", other, ""), http.StatusUnauthorized, "invalid_token", "")
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"officer1","password":"a new long password"}`), http.StatusOK)
		wantProblem(t, e.do(http.MethodPost, "/api/v1/me/password", "", `{"current_password":"x","new_password":"y"}`),
			http.StatusUnauthorized, "unauthenticated", "")
	})
}

// TestAdminDisablesAnAccount: an admin lists the officers, disables one
// (whose session ends at once and who cannot sign in), and enables them
// again; nobody else may, and an admin cannot disable themself.
func TestAdminDisablesAnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		w := e.do(http.MethodGet, "/api/v1/admin/accounts?role=officer", e.tokens["admin"], "")
		wantStatus(t, w, http.StatusOK)
		page := decodeJSON[struct{ Items []accountJSON }](t, w)
		if len(page.Items) != 1 || page.Items[0].Username != "officer1" || page.Items[0].DisabledAt != nil {
			t.Fatalf("officers: %s", w.Body)
		}
		id := page.Items[0].ID
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts/"+id+"/disable", e.tokens["officer"], ""),
			http.StatusForbidden, "forbidden", "")

		w = e.do(http.MethodPost, "/api/v1/admin/accounts/"+id+"/disable", e.tokens["admin"], "")
		if acc := decodeJSON[accountJSON](t, w); w.Code != http.StatusOK || acc.DisabledAt == nil {
			t.Fatalf("disable: %d %s", w.Code, w.Body)
		}
		wantProblem(t, e.do(http.MethodGet, "/api/v1/me", e.tokens["officer"], ""), http.StatusUnauthorized, "invalid_token", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"officer1","password":"`+regPassword+`"}`),
			http.StatusForbidden, "account_disabled", "")

		wantStatus(t, e.do(http.MethodPost, "/api/v1/admin/accounts/"+id+"/enable", e.tokens["admin"], ""), http.StatusOK)
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"officer1","password":"`+regPassword+`"}`), http.StatusOK)

		me := decodeJSON[meResponse](t, e.do(http.MethodGet, "/api/v1/me", e.tokens["admin"], ""))
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts/"+me.AccountID+"/disable", e.tokens["admin"], ""),
			http.StatusConflict, "cannot_disable_self", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts/no-such-account/disable", e.tokens["admin"], ""),
			http.StatusNotFound, "account_not_found", "")
		wantProblem(t, e.do(http.MethodGet, "/api/v1/admin/accounts?role=root", e.tokens["admin"], ""),
			http.StatusBadRequest, "invalid_role", "role")
	})
}

// TestForgottenPasswordJourney: an officer gives a resident a temporary
// password; it opens no session, the resident replaces it without one and
// signs in with their own. Officers cannot reset staff, residents nobody.
func TestForgottenPasswordJourney(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		resident, err := e.acc.ByUsername(context.Background(), "resident")
		if err != nil {
			t.Fatal(err)
		}
		w := e.do(http.MethodPost, "/api/v1/admin/accounts/"+resident.ID+"/reset-password", e.tokens["officer"], "")
		wantStatus(t, w, http.StatusOK)
		reset := decodeJSON[resetJSON](t, w)
		if reset.TemporaryPassword == "" || !reset.Account.PasswordChangeRequired || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("reset: %s", w.Body)
		}
		wantProblem(t, e.do(http.MethodGet, "/api/v1/me", e.tokens["resident"], ""), http.StatusUnauthorized, "invalid_token", "")
		login := func(pw string) *httptest.ResponseRecorder {
			return e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"resident","password":"`+pw+`"}`)
		}
		wantProblem(t, login(reset.TemporaryPassword), http.StatusForbidden, "password_change_required", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/password", "",
			`{"username":"resident","current_password":"`+reset.TemporaryPassword+`","new_password":"short"}`),
			http.StatusUnprocessableEntity, "weak_password", "new_password")
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/password", "",
			`{"username":"resident","current_password":"`+reset.TemporaryPassword+`","new_password":"my own new password"}`),
			http.StatusNoContent)
		wantStatus(t, login("my own new password"), http.StatusOK)

		admin, _ := e.acc.ByUsername(context.Background(), "admin1")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts/"+admin.ID+"/reset-password", e.tokens["officer"], ""),
			http.StatusForbidden, "staff_reset_admin_only", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/accounts/"+resident.ID+"/reset-password", e.tokens["resident_b"], ""),
			http.StatusForbidden, "forbidden", "")
	})
}

// TestRegistryDatesWithSpacesStoredAsDates: dates with surrounding spaces
// are read as the dates they are, as names and codes are, and stored and
// answered in YYYY-MM-DD form; a padded expiry date neither reads as no
// date nor makes the new passport expired.
func TestRegistryDatesWithSpacesStoredAsDates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		off := e.tokens["officer"]
		w := e.do(http.MethodPost, "/api/v1/admin/persons/"+e.a.ID+"/passports", off,
			`{"number":"K7654321","issuing_state":"SAU","issue_date":" 2026-01-05","expiry_date":"2031-04-30 "}`)
		wantStatus(t, w, http.StatusCreated)
		if p := decodeJSON[passportJSON](t, w); p.IssueDate != "2026-01-05" || p.ExpiryDate != "2031-04-30" || p.Status != "valid" {
			t.Fatalf("passport %+v", p)
		}
		number := docnum.MakeFPR2023("32", "SAU", calendar.Date{Year: 1985, Month: 1, Day: 1}, 5)
		w = e.do(http.MethodPost, "/api/v1/admin/persons/"+e.a.ID+"/fpr-cards", off,
			`{"number":"`+number+`","issue_date":"2025-01-01\t","expiry_date":" 2035-01-01 "}`)
		wantStatus(t, w, http.StatusCreated)
		if c := decodeJSON[fprCardJSON](t, w); c.IssueDate != "2025-01-01" || c.ExpiryDate != "2035-01-01" {
			t.Fatalf("card %+v", c)
		}
		w = e.do(http.MethodPost, "/api/v1/admin/persons", off,
			`{"surname":"DOE","sex":"F","birth_date":" 1980-01-01 ","nationality":"USA"}`)
		wantStatus(t, w, http.StatusCreated)
		id := decodeJSON[personJSON](t, w).ID
		w = e.do(http.MethodPatch, "/api/v1/admin/persons/"+id, off, `{"birth_date":"1980-01-02 "}`)
		if p := decodeJSON[personJSON](t, w); w.Code != http.StatusOK || p.BirthDate != "1980-01-02" {
			t.Fatalf("patch: %d %s", w.Code, w.Body)
		}

		rec := decodeJSON[personRecordJSON](t, e.do(http.MethodGet, "/api/v1/admin/persons/"+e.a.ID, off, ""))
		if len(rec.Passports) != 2 || rec.Passports[0].Status != "valid" || rec.Passports[0].ExpiryDate != "2031-04-30" ||
			rec.Passports[1].Status != "replaced" || rec.FPRCards[0].ExpiryDate != "2035-01-01" {
			t.Fatalf("record %+v", rec)
		}
		for table, cols := range map[string][]string{"passports": {"issue_date", "expiry_date"},
			"fpr_cards": {"issue_date", "expiry_date"}, "persons": {"birth_date"}} {
			for _, col := range cols {
				var n int64
				if err := db.Gorm.Table(table).Where("length(" + col + ") <> 10").Count(&n).Error; err != nil || n != 0 {
					t.Fatalf("%s.%s: %d padded, %v", table, col, n, err)
				}
			}
		}
	})
}

// TestImportRefusesWhatPatchRefuses: an import line changing the birth
// date that the person's valid FPR card number encodes is refused as the
// edit route refuses it, naming the line, and the file changes nothing.
func TestImportRefusesWhatPatchRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		off := e.tokens["officer"]
		id := seedKazakh(t, e)
		wantProblem(t, e.do(http.MethodPatch, "/api/v1/admin/persons/"+id, off, `{"birth_date":"1990-12-30"}`),
			http.StatusConflict, "fpr_card_disagrees", "")
		fresh := `{"surname":"DUPONT","given_names":"MARIE","sex":"F","birth_date":"1975-04-02","nationality":"FRA",` +
			`"passport":{"number":"19AB12345","issuing_state":"FRA","issue_date":"2019-06-01","expiry_date":"2029-05-31"}}`
		changed := `{"surname":"NURLANOVA","given_names":"AIGERIM","chinese_name":"努尔兰诺娃","sex":"F","birth_date":"1990-12-30",` +
			`"nationality":"KAZ","passport":{"number":"N1234567","issuing_state":"KAZ","issue_date":"2022-02-02","expiry_date":"2032-02-01"}}`
		before := countRows(t, db)
		p := wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/imports", off, fresh+"\n"+changed+"\n"),
			http.StatusUnprocessableEntity, "import_invalid", "line 2: birth_date")
		if len(p.Errors) != 1 || p.Errors[0].Code != "fpr_card_disagrees" || !strings.Contains(p.Detail, "line 2") {
			t.Fatalf("problem %+v", p)
		}
		if countRows(t, db) != before {
			t.Fatal("a refused import changed rows")
		}
		rec := decodeJSON[personRecordJSON](t, e.do(http.MethodGet, "/api/v1/admin/persons/"+id, off, ""))
		if rec.BirthDate != "1990-12-31" {
			t.Fatalf("birth date %s", rec.BirthDate)
		}
	})
}
