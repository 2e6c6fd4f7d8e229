package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/internal/calendar"
	"github.com/fprlink/fprlink/internal/docnum"
	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// A fictional resident identity number with a valid check character.
var helperResidentID = docnum.MakeResidentID("110105", calendar.Date{Year: 1958, Month: 3, Day: 14}, 27)

const helperMobile = "+8613900139000"

func recordHelperBody(residentID string) string {
	return fmt.Sprintf(`{"name":"赵测试","resident_id":%q,"mobile":%q}`, residentID, helperMobile)
}

// TestChineseHelperEnrolsAndHoldsAGrant: an officer records a Chinese
// helper from the card, the helper asks for a code by number and name,
// registers with it, signs in, reads /me and their notifications, and can
// be given a grant like a resident helper.
func TestChineseHelperEnrolsAndHoldsAGrant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		w := e.do(http.MethodPost, "/api/v1/admin/helpers", e.tokens["officer"], recordHelperBody(helperResidentID))
		h := wantJSON[helperJSON](t, w, http.StatusCreated)
		if h.Name != "赵测试" || h.ResidentIDLast4 != helperResidentID[14:] || strings.Contains(w.Body.String(), helperResidentID) {
			t.Fatalf("recorded %s", w.Body)
		}
		w = e.do(http.MethodPost, "/api/v1/auth/helper-enrolment-codes", "",
			fmt.Sprintf(`{"resident_id":%q,"name":"赵测试"}`, helperResidentID), "Accept-Language", "zh-CN")
		if sent := wantJSON[codeSentJSON](t, w, http.StatusAccepted); !strings.Contains(sent.Message, "协办人") {
			t.Fatalf("answer %+v", sent)
		}
		code := lastCodeSent(t, db, helperMobile)
		w = e.do(http.MethodPost, "/api/v1/auth/register", "",
			fmt.Sprintf(`{"code":%q,"username":"zhao-helper","password":"a long helper password","resident_id":%q}`, code, helperResidentID))
		if acc := wantJSON[accountJSON](t, w, http.StatusCreated); acc.Role != RoleHelper || acc.PersonID != "" {
			t.Fatalf("account %+v", acc)
		}
		w = e.do(http.MethodPost, "/api/v1/auth/login", "", `{"username":"zhao-helper","password":"a long helper password"}`)
		tok := wantJSON[loginResponse](t, w, http.StatusOK).Token
		wantStatus(t, e.do(http.MethodGet, "/api/v1/me", tok, ""), http.StatusOK)
		wantStatus(t, e.do(http.MethodGet, "/api/v1/me/notifications", tok, ""), http.StatusOK)
		w = e.do(http.MethodPost, "/api/v1/me/helpers", e.tokens["resident"],
			`{"username":"zhao-helper","scopes":["appointments:read"]}`)
		wantStatus(t, w, http.StatusCreated)
		w = e.do(http.MethodGet, "/api/v1/admin/helpers/lookup", e.tokens["officer"], "")
		if w.Code != http.StatusNotFound && w.Code != http.StatusMethodNotAllowed {
			t.Fatalf("GET lookup answered %d", w.Code)
		}
		w = e.do(http.MethodPost, "/api/v1/admin/helpers/lookup", e.tokens["officer"], fmt.Sprintf(`{"resident_id":%q}`, helperResidentID))
		if found := wantJSON[helperJSON](t, w, http.StatusOK); found.ID != h.ID || found.AccountID == "" {
			t.Fatalf("found %+v", found)
		}
	})
}

// TestResidentHelperCanHoldAGrant: a foreign helper simply uses their
// resident account.
func TestResidentHelperCanHoldAGrant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		w := e.do(http.MethodPost, "/api/v1/me/helpers", e.tokens["resident"], `{"username":"resident-b","scopes":["appointments:read"]}`)
		wantStatus(t, w, http.StatusCreated)
	})
}

func TestHelperRoutesRefusals(t *testing.T) {
	future := docnum.MakeResidentID("110105", calendar.Date{Year: 2031, Month: 1, Day: 1}, 1)
	minor := docnum.MakeResidentID("110105", calendar.Date{Year: 2016, Month: 1, Day: 1}, 1)
	bad := helperResidentID[:17] + map[bool]string{true: "0", false: "1"}[helperResidentID[17] != '0']
	for _, tc := range []struct {
		name, token, method, path, body string
		status                          int
		code, field                     string
	}{
		{"record-as-resident", "resident", http.MethodPost, "/api/v1/admin/helpers", recordHelperBody(helperResidentID), http.StatusForbidden, "forbidden", ""},
		{"record-anonymous", "", http.MethodPost, "/api/v1/admin/helpers", recordHelperBody(helperResidentID), http.StatusUnauthorized, "unauthenticated", ""},
		{"lookup-as-resident", "resident", http.MethodPost, "/api/v1/admin/helpers/lookup", `{"resident_id":"x"}`, http.StatusForbidden, "forbidden", ""},
		{"counter-code-as-resident", "resident", http.MethodPost, "/api/v1/admin/helpers/x/enrolment-code", "", http.StatusForbidden, "forbidden", ""},
		{"bad-check-digit", "officer", http.MethodPost, "/api/v1/admin/helpers", recordHelperBody(bad), http.StatusUnprocessableEntity, "resident_id_check", "resident_id"},
		{"future-birth-date", "officer", http.MethodPost, "/api/v1/admin/helpers", recordHelperBody(future), http.StatusUnprocessableEntity, "resident_id_birth_future", "resident_id"},
		{"minor", "officer", http.MethodPost, "/api/v1/admin/helpers", recordHelperBody(minor), http.StatusUnprocessableEntity, "helper_minor", "resident_id"},
		{"unknown-field", "officer", http.MethodPost, "/api/v1/admin/helpers", `{"name":"赵测试","resident_id":"1","birth_date":"x"}`, http.StatusBadRequest, "unknown_field", "birth_date"},
		{"lookup-unknown", "officer", http.MethodPost, "/api/v1/admin/helpers/lookup", fmt.Sprintf(`{"resident_id":%q}`, helperResidentID), http.StatusNotFound, "helper_not_found", ""},
		{"counter-code-unknown", "officer", http.MethodPost, "/api/v1/admin/helpers/nobody/enrolment-code", "", http.StatusNotFound, "helper_not_found", ""},
		{"code-request-minor", "", http.MethodPost, "/api/v1/auth/helper-enrolment-codes", fmt.Sprintf(`{"resident_id":%q,"name":"赵测试"}`, minor), http.StatusUnprocessableEntity, "helper_minor", "resident_id"},
		{"code-request-no-name", "", http.MethodPost, "/api/v1/auth/helper-enrolment-codes", fmt.Sprintf(`{"resident_id":%q}`, helperResidentID), http.StatusUnprocessableEntity, "required", "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *storage.DB) {
				e := newRegEnv(t, db)
				wantProblem(t, e.do(tc.method, tc.path, e.tokens[tc.token], tc.body), tc.status, tc.code, tc.field)
			})
		})
	}
}

// TestHelperCodeForAnotherHelperIsRefused: a code handed to one helper
// does not open an account with another's number.
func TestHelperCodeForAnotherHelperIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		other := docnum.MakeResidentID("310101", calendar.Date{Year: 1970, Month: 1, Day: 2}, 33)
		h := wantJSON[helperJSON](t, e.do(http.MethodPost, "/api/v1/admin/helpers", e.tokens["officer"], recordHelperBody(helperResidentID)), http.StatusCreated)
		wantStatus(t, e.do(http.MethodPost, "/api/v1/admin/helpers", e.tokens["officer"],
			fmt.Sprintf(`{"name":"钱测试","resident_id":%q,"email":"qian@example.cn"}`, other)), http.StatusCreated)
		c := wantJSON[helperCounterCodeJSON](t, e.do(http.MethodPost, "/api/v1/admin/helpers/"+h.ID+"/enrolment-code", e.tokens["officer"], ""), http.StatusCreated)
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "",
			fmt.Sprintf(`{"code":%q,"username":"qian-helper","password":"a long helper password","resident_id":%q}`, c.Code, other)),
			http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "",
			fmt.Sprintf(`{"code":%q,"username":"resident","password":"a long helper password","resident_id":%q}`, c.Code, helperResidentID)),
			http.StatusConflict, "username_taken", "")
	})
}
