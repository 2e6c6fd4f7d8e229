package api

import (
	"net/http"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestRegistryAnswersNameTheCountry: a person's nationality and a
// passport's issuer carry their names in the reader's language.
func TestRegistryAnswersNameTheCountry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		off := e.tokens["officer"]
		id := seedKazakh(t, e)
		for _, tt := range []struct{ lang, want string }{{"en", "Kazakhstan"}, {"zh-CN", "哈萨克斯坦"}} {
			rec := decodeJSON[personRecordJSON](t, e.do("GET", "/api/v1/admin/persons/"+id+"?lang="+tt.lang, off, ""))
			if rec.Nationality != "KAZ" || rec.NationalityName != tt.want {
				t.Fatalf("%s: nationality %q %q, want KAZ %q", tt.lang, rec.Nationality, rec.NationalityName, tt.want)
			}
			if len(rec.Passports) == 0 || rec.Passports[0].IssuingStateName == "" || rec.Passports[0].IssuingStateName == rec.Passports[0].IssuingState {
				t.Fatalf("%s: passports %+v", tt.lang, rec.Passports)
			}
		}
	})
}

// TestVerifyAnswerNamesTheNationality: the verify API's document gives the
// nationality's name beside its code, in the caller's language.
func TestVerifyAnswerNamesTheNationality(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEdocEnv(t, db, nil)
		doc := e.issue(t, "alice")
		bank := e.party(t, "bank")
		for _, tt := range []struct{ path, want string }{{"/api/v1/verify", "France"}, {"/api/v1/verify?lang=zh-CN", "法国"}} {
			v := wantJSON[verificationJSON](t, e.call(t, "POST", tt.path, bank.APIKey, map[string]string{"token": doc.Token}), http.StatusOK)
			if v.Document == nil || v.Document.Passport["nationality"] != "FRA" || v.Document.Passport["nationality_name"] != tt.want ||
				v.Document.Passport["issuing_state_name"] != tt.want {
				t.Fatalf("%s: document %+v", tt.path, v.Document)
			}
		}
	})
}
