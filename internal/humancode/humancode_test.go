package humancode

import (
	"strings"
	"testing"
)

func TestRandomUsesOnlyTheAlphabet(t *testing.T) {
	t.Parallel()
	seen := map[rune]bool{}
	for i := 0; i < 200; i++ {
		s, err := Random(16)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 16 {
			t.Fatalf("%q: length %d", s, len(s))
		}
		for _, r := range s {
			if !strings.ContainsRune(Alphabet, r) {
				t.Fatalf("%q holds %q, not in the alphabet", s, r)
			}
			seen[r] = true
		}
	}
	// 3,200 draws from 30 symbols: every symbol turns up.
	if len(seen) != len(Alphabet) {
		t.Fatalf("only %d of %d symbols drawn", len(seen), len(Alphabet))
	}
}

func TestGroup(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "ABC": "ABC", "ABCD": "ABCD", "ABCDE": "ABCD-E",
		"ABCDEFGHJKMNPQRS": "ABCD-EFGH-JKMN-PQRS",
	} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}
