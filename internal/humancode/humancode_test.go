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

func TestNormalize(t *testing.T) {
	t.Parallel()
	if got, ok := Normalize("abcd-efgh jkmn", 12); !ok || got != "ABCDEFGHJKMN" {
		t.Fatalf("typed code: %q %v", got, ok)
	}
	for _, bad := range []string{"ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKM0", "ABCD_EFGH_JKMN", strings.Repeat("A", 65)} {
		if _, ok := Normalize(bad, 12); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	salt, err := NewSalt()
	if err != nil || len(salt) != 16 {
		t.Fatalf("salt %x %v", salt, err)
	}
	h := Hash(salt, "ABCD")
	if !Matches(salt, h, "ABCD") || Matches(salt, h, "ABCE") {
		t.Fatal("Matches does not tell the code from another")
	}
	other, _ := NewSalt()
	if Matches(other, h, "ABCD") {
		t.Fatal("the same code under another salt matched")
	}
}
