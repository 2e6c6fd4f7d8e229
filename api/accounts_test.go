package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fprlink/fprlink/internal/storage"
	"github.com/fprlink/fprlink/internal/storage/dbtest"
)

// TestAccountThrottlesCountAnIPv6Slash64AsOneClient: registration, code
// requests, sign-in
// and both ways of changing a password throttle an IPv6 /64 as one client,
// as the inquiry limit does, so rotating addresses within it gains nothing;
// another /64 has its own allowance.
func TestAccountThrottlesCountAnIPv6Slash64AsOneClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newRegEnv(t, db)
		in := func(prefix string, i int) string { return fmt.Sprintf("[%s::%x]:4321", prefix, i+1) }
		const mine, next = "2001:db8:1:2", "2001:db8:1:3"

		wrong := registration("2222-2222-2222-2222", "someone")
		for i := 0; i < 5; i++ {
			wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", wrong, "RemoteAddr", in(mine, i)),
				http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")
			wantStatus(t, e.do(http.MethodPost, "/api/v1/auth/enrolment-codes", "", codeRequestBody, "RemoteAddr", in(mine, i)),
				http.StatusAccepted)
		}
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", wrong, "RemoteAddr", in(mine+":ffff", 0)),
			http.StatusTooManyRequests, "rate_limited", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/enrolment-codes", "", codeRequestBody, "RemoteAddr", in(mine+":ffff", 0)),
			http.StatusTooManyRequests, "rate_limited", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/register", "", wrong, "RemoteAddr", in(next, 0)),
			http.StatusUnprocessableEntity, "enrolment_code_invalid", "code")

		login := func(addr string, i int) *httptest.ResponseRecorder {
			return e.do(http.MethodPost, "/api/v1/auth/login", "", fmt.Sprintf(`{"username":"nobody%d","password":"not a password"}`, i),
				"RemoteAddr", addr)
		}
		for i := 0; i < 20; i++ {
			wantProblem(t, login(in(mine, i), i), http.StatusUnauthorized, "invalid_credentials", "")
		}
		wantProblem(t, login(in(mine, 99), 99), http.StatusTooManyRequests, "rate_limited", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/auth/password", "",
			`{"username":"resident","current_password":"`+regPassword+`","new_password":"a new long password"}`,
			"RemoteAddr", in(mine, 100)), http.StatusTooManyRequests, "rate_limited", "")
		wantProblem(t, e.do(http.MethodPost, "/api/v1/me/password", e.tokens["officer"],
			`{"current_password":"`+regPassword+`","new_password":"a new long password"}`,
			"RemoteAddr", in(mine, 101)), http.StatusTooManyRequests, "rate_limited", "")
		wantProblem(t, login(in(next, 0), 0), http.StatusUnauthorized, "invalid_credentials", "")
	})
}
