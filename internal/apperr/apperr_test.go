package apperr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fprlink/fprlink/internal/i18n"
)

func TestAsThroughWrapping(t *testing.T) {
	t.Parallel()
	base := Invalid("bad_date", "birth_date", i18n.T("Bad date.", "日期无效。"))
	err := fmt.Errorf("registering: %w", base)
	got, ok := As(err)
	if !ok || got.Field != "birth_date" || got.Kind != KindInvalid {
		t.Fatalf("As() = %+v, %v", got, ok)
	}
	if !Is(err, "bad_date") || Is(err, "other") {
		t.Fatal("Is mismatched")
	}
}

func TestWrapKeepsCauseForLogsOnly(t *testing.T) {
	t.Parallel()
	cause := errors.New("pq: connection refused")
	e := Internal("loading: %w", cause)
	if !errors.Is(e, cause) {
		t.Fatal("cause lost")
	}
	w := NotFound("x", i18n.T("gone", "无")).Wrap(cause)
	if !errors.Is(w, cause) || w.Code != "x" {
		t.Fatal("Wrap lost code or cause")
	}
}

func TestAtField(t *testing.T) {
	t.Parallel()
	err := Invalid("weak_password", "password", i18n.T("too short", "太短"))
	e, _ := As(AtField(err, "new_password"))
	if e.Field != "new_password" || e.Code != "weak_password" || e.Message.Zh != "太短" {
		t.Fatalf("got %+v", e)
	}
	if err.Field != "password" {
		t.Fatal("AtField changed the original error")
	}
	plain := errors.New("plain")
	if AtField(plain, "x") != plain {
		t.Fatal("a plain error was not passed through")
	}
}
