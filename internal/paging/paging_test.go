package paging

import (
	"testing"

	"github.com/fprlink/fprlink/internal/apperr"
)

func TestParse(t *testing.T) {
	r, err := Parse("", "")
	if err != nil || r.Limit != DefaultLimit || r.After != "" {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	r, err = Parse("5", Cursor("k-42"))
	if err != nil || r.Limit != 5 || r.After != "k-42" {
		t.Fatalf("round trip: %+v %v", r, err)
	}
	for _, bad := range []struct{ name, limit, cursor, field string }{
		{"zero limit", "0", "", "limit"},
		{"too large", "101", "", "limit"},
		{"not a number", "ten", "", "limit"},
		{"bad cursor", "", "!!!", "cursor"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			_, err := Parse(bad.limit, bad.cursor)
			e, ok := apperr.As(err)
			if !ok || e.Field != bad.field || e.Kind != apperr.KindMalformed {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	p := Build([]int{1, 2, 3}, 2, func(i int) string { return string(rune('a' + i)) })
	if len(p.Items) != 2 || p.NextCursor != Cursor("c") {
		t.Fatalf("got %+v", p)
	}
	p = Build([]int{1, 2}, 2, func(int) string { return "x" })
	if p.NextCursor != "" {
		t.Fatal("last page must have no cursor")
	}
	if Build[int](nil, 2, nil).Items == nil {
		t.Fatal("items must be [] not null")
	}
}

func TestMapKeepsOrderAndCursor(t *testing.T) {
	p := Build([]int{3, 1, 2}, 2, func(n int) string { return string(rune('a' + n)) })
	out := Map(p, func(n int) string { return string(rune('0' + n)) })
	if len(out.Items) != 2 || out.Items[0] != "3" || out.Items[1] != "1" || out.NextCursor != p.NextCursor || out.NextCursor == "" {
		t.Fatalf("mapped page: %+v from %+v", out, p)
	}
	if empty := Map(Build[int](nil, 5, nil), func(n int) int { return n }); empty.Items == nil || len(empty.Items) != 0 || empty.NextCursor != "" {
		t.Fatalf("empty page: %+v", empty)
	}
}
