package api

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// codeRequestBody names the Kazakh resident seedKazakh adds, with the data
// printed on her documents.
const codeRequestBody = `{"passport_number":"N1234567","nationality":"KAZ","birth_date":"1990-12-31","fpr_card_number":"KAZ110090123105"}`

// documentDataRegistration is how registration worked before codes: the
// document data and a username, which anyone holding a copy could send.
const documentDataRegistration = `{"username":"Nurlanova","password":"steppe wind 1990","passport_number":"N1234567",` +
	`"nationality":"KAZ","birth_date":"1990-12-31","fpr_card_number":"KAZ110090123105"}`

const kazakhMobile = "+77012345678"

func seedKazakh(t *testing.T, e *regEnv) string {
	w := e.do(http.MethodPost, "/api/v1/admin/persons", e.tokens["officer"],
		`{"surname":"Nurlanova","given_names":"Aigerim","chinese_name":"努尔兰诺娃","sex":"F","birth_date":"1990-12-31","nationality":"KAZ","mobile":"+7 701 234 56 78"}`)
	wantStatus(t, w, http.StatusCreated)
	id := decodeJSON[personJSON](t, w).ID
	wantStatus(t, e.do(http.MethodPost, "/api/v1/admin/persons/"+id+"/passports", e.tokens["officer"],
		`{"number":"N1234567","issuing_state":"KAZ","issue_date":"2022-02-02","expiry_date":"2032-02-01"}`), http.StatusCreated)
	wantStatus(t, e.do(http.MethodPost, "/api/v1/admin/persons/"+id+"/fpr-cards", e.tokens["officer"],
		`{"number":"KAZ110090123105","issue_date":"2018-05-01","expiry_date":"2028-04-30"}`), http.StatusCreated)
	return id
}

var sentCode = regexp.MustCompile(`[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}`)

// lastCodeSent reads the newest code sent to recipient from the outbox.
func lastCodeSent(t *testing.T, db *storage.DB, recipient string) string {
	t.Helper()
	var bodies []string
	if err := db.Gorm.Table("outbox").Where("recipient = ?", recipient).Order("created_at DESC, id DESC").Limit(1).
		Pluck("body", &bodies).Error; err != nil || len(bodies) == 0 {
		t.Fatalf("no message to %s: %v", recipient, err)
	}
	return sentCode.FindString(bodies[0])
}

func registration(code, username string) string {
	return fmt.Sprintf(`{"code":%q,"username":%q,"password":"steppe wind 1990"}`, code, username)
}

func TestEnrolWithACodeThenSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		id := seedKazakh(t, e)
		w := e.do(http.MethodPost, "/api/v1/auth/enrolment-codes", "", codeRequestBody)
		wantStatus(t, w, http.StatusAccepted)
		if sent := decodeJSON[codeSentJSON](t, w); sent.ValidForSeconds != 900 || !strings.Contains(sent.Message, "one-time enrolment code") {
			t.Fatalf("answer %+v", sent)
		}
		code := lastCodeSent(t, db, kazakhMobile)
		w = e.do(http.MethodPost, "/api/v1/auth/register", "", registration(code, "Nurlanova"))
		wantStatus(t, w, http.StatusCreated)
		if acc := decodeJSON[accountJSON](t, w); acc.PersonID != id || acc.Role != RoleResident || acc.Username != "nurlanova" {
			t.Fatalf("account %+v", acc)
		}
		w = e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"nurlanova","password":"steppe wind 1990"}`)
		wantStatus(t, w, http.StatusOK)
		login := decodeJSON[loginResponse](t, w)
		w = e.do(http.MethodGet, "/api/v1/me/passport", login.Token, "")
		if p := decodeJSON[passportJSON](t, w); p.Number != "N1234567" || p.PersonID != id {
			t.Fatalf("passport %+v", p)
		}
		w = e.do(http.MethodGet, "/api/v1/me", login.Token, "", "Accept-Language", "zh-CN")
		if me := decodeJSON[meResponse](t, w); me.Person == nil || me.Person.ChineseName != "努尔兰诺娃" || me.Person.Mobile != kazakhMobile {
			t.Fatalf("me %+v", me)
		}
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", registration(code, "someone-else")),
			http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")
	})
}

// TestDocumentDataAloneOpensNoAccount: the old registration body, all of
// it printed on a document, is refused and writes nothing.
func TestDocumentDataAloneOpensNoAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		seedKazakh(t, e)
		before := countRows(t, db)
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", documentDataRegistration),
			http.StatusBadRequest, "unknown_field", "passport_number")
		if countRows(t, db) != before {
			t.Fatal("rows changed")
		}
	})
}

// TestCodeRequestAnswerIsUniform compares whole bodies: apart from the
// request ID, nothing tells a known identity from an unknown one, in
// either language.
func TestCodeRequestAnswerIsUniform(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		seedKazakh(t, e)
		for _, lang := range []string{"en", "zh-CN"} {
			var first string
			for i, edit := range []struct{ from, to string }{
				{"", ""},
				{`"N1234567"`, `"N7654321"`},
				{`"1990-12-31"`, `"1990-12-30"`},
				{`"KAZ110090123105"`, `"` + e.a.Card + `"`},
				{`"KAZ","birth`, `"KGZ","birth`},
			} {
				body := codeRequestBody
				if edit.from != "" {
					body = strings.Replace(body, edit.from, edit.to, 1)
				}
				w := e.do(http.MethodPost, "/api/v1/auth/enrolment-codes", "", body, "X-Request-Id", "fixed-request-id",
					"Accept-Language", lang, "RemoteAddr", fmt.Sprintf("198.51.100.%d:1000", i+1))
				wantStatus(t, w, http.StatusAccepted)
				if i == 0 {
					first = w.Body.String()
				} else if w.Body.String() != first {
					t.Fatalf("%s answer %d differs:\n%s\n%s", lang, i, w.Body.String(), first)
				}
			}
		}
	})
}

// TestTakenUsernameNotRevealedBeforeTheCode: with a code that does not
// work, a taken and a free username get the same body and nothing is
// written; with the right code, the taken one is named.
func TestTakenUsernameNotRevealedBeforeTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		seedKazakh(t, e)
		var first string
		for i, name := range []string{"officer1", "nobody-yet"} {
			before := countRows(t, db)
			w := e.do(http.MethodPost, "/api/v1/auth/register", "", registration("2222-2222-2222-2222", name),
				"X-Request-Id", "fixed-request-id", "RemoteAddr", fmt.Sprintf("198.51.100.%d:1000", i+1))
			wantProblem(t, w, http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")
			if i == 0 {
				first = w.Body.String()
			} else if w.Body.String() != first {
				t.Fatalf("answers differ:\n%s\n%s", w.Body.String(), first)
			}
			if countRows(t, db) != before {
				t.Fatal("a refused registration changed rows")
			}
		}
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/enrolment-codes", "", codeRequestBody), http.StatusAccepted)
		code := lastCodeSent(t, db, kazakhMobile)
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", registration(code, "officer1")),
			http.StatusConflict, "username_taken", "")
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/register", "", registration(code, "aigerim")), http.StatusCreated)
	})
}

// TestOfficerCounterCodeWorksOnce: an officer hands out a code, shown
// once; it opens one account, and a second code for the same person is
// refused since she has an account.
func TestOfficerCounterCodeWorksOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		id := seedKazakh(t, e)
		w := e.do(http.MethodPost, "/api/v1/admin/persons/"+id+"/enrolment-code", e.tokens["officer"], "")
		wantStatus(t, w, http.StatusCreated)
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Fatal("the code may be cached")
		}
		c := decodeJSON[counterCodeJSON](t, w)
		if c.PersonID != id || !sentCode.MatchString(c.Code) {
			t.Fatalf("counter code %+v", c)
		}
		wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/register", "", registration(c.Code, "aigerim")), http.StatusCreated)
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", registration(c.Code, "aigerim2")),
			http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/admin/persons/"+id+"/enrolment-code", e.tokens["officer"], ""),
			http.StatusConflict, "person_has_account", "")
	})
}

// TestMinorGetsNoCounterCode: the officer route refuses a person under 18
// in the officer's language.
func TestMinorGetsNoCounterCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		w := e.do(http.MethodPost, "/api/v1/admin/persons", e.tokens["officer"],
			`{"surname":"ANDERSSON","given_names":"LINNEA","sex":"F","birth_date":"2018-06-01","nationality":"SWE","mobile":"+46701234568"}`)
		id := decodeJSON[personJSON](t, w).ID
		w = e.do(http.MethodPost, "/api/v1/admin/persons/"+id+"/enrolment-code", e.tokens["officer"], "", "Accept-Language", "zh-CN")
		if p := wantProblem(t, w, http.StatusConflict, "enrolment_minor", ""); !strings.Contains(p.Detail, "18") {
			t.Fatalf("detail %q", p.Detail)
		}
	})
}
