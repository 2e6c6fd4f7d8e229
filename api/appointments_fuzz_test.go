package api

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
)

// FuzzBookRequest: whatever the body, decoding and validating either
// rejects it with a typed error naming a field or yields a usable time.
func FuzzBookRequest(f *testing.F) {
	for _, s := range []string{
		`{"business":"visa_extension","center_id":"c1","slot_start":"2026-12-01T09:00:00+08:00"}`,
		`{"business":"","center_id":"","slot_start":""}`, `{"slot_start":"2026-12-01T09:00:00Z"}`,
		`{"slot_start":"2026-02-30T09:00:00+08:00"}`, `{"slot_start":"9999-12-31T23:59:60Z"}`, `{}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r bookRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if dec.Decode(&r) != nil {
			return
		}
		err := r.Validate()
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Field == "" || e.Kind != apperr.KindInvalid {
				t.Fatalf("untyped or unnamed error %v", err)
			}
			return
		}
		if r.start.IsZero() || r.start.Location().String() != "UTC" || r.Business == "" || r.CenterID == "" {
			t.Fatalf("accepted %q as %+v", body, r)
		}
	})
}

// FuzzIdempotencyKey: the header is either refused with a typed error or
// kept exactly as sent.
func FuzzIdempotencyKey(f *testing.F) {
	for _, s := range []string{"", "0192f0e4-7c1a-7b3e-9d2a-5f6e7a8b9c0d", "short", "key with spaces", "k\r\nInjected: yes", string(make([]byte, 200))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		k, err := parseIdempotencyKey(h)
		if err != nil {
			if !apperr.Is(err, "invalid_idempotency_key") {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if k != h || len(k) > 128 || bytes.ContainsAny([]byte(k), " \r\n\t") {
			t.Fatalf("accepted %q as %q", h, k)
		}
	})
}
