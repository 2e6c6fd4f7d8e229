package directory

import (
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
)

// assertErr checks that err is a typed error with the given code, naming
// field (checked only when field is not empty).
func assertErr(t testing.TB, err error, code, field string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("got %v, want typed error %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code %s, want %s (%v)", e.Code, code, err)
	}
	if field != "" && e.Field != field {
		t.Fatalf("field %q, want %q", e.Field, field)
	}
}
