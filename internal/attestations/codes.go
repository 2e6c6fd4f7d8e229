package attestations

import (
	"github.com/fprlink/fprlink/internal/humancode"
)

// codeAlphabet leaves out 0/O, 1/I/L and U so a code read aloud or typed
// from paper cannot be mistyped into another valid code.
const codeAlphabet = humancode.Alphabet

// CodeLength is the number of significant characters of a verification
// code: 16 of 30 symbols, about 78 bits, far beyond guessing within any
// rate limit.
const CodeLength = 16

// newCode returns a fresh verification code as printed.
func newCode() (string, error) {
	s, err := humancode.Random(CodeLength)
	if err != nil {
		return "", err
	}
	return humancode.Group(s), nil
}

// newDocumentNumber returns a document number such as FP-7K3M-Q9XZ-2HTR:
// random, so numbers reveal nothing about how many were issued, and short,
// because every character costs QR space.
func newDocumentNumber() (string, error) {
	s, err := humancode.Random(12)
	if err != nil {
		return "", err
	}
	return "FP-" + humancode.Group(s), nil
}

// normalizeCode accepts a code as typed: any case, with or without hyphens
// or spaces. It reports false unless 16 alphabet symbols remain.
func normalizeCode(s string) (string, bool) { return humancode.Normalize(s, CodeLength) }

// hashCode is SHA-256 over the row's salt and the normalized code. The salt
// makes equal codes hash differently, so a leaked table cannot be matched
// against a precomputed list.
func hashCode(salt []byte, normalized string) []byte { return humancode.Hash(salt, normalized) }

func newSalt() ([]byte, error) { return humancode.NewSalt() }

// codeMatches compares in constant time.
func codeMatches(salt, hash []byte, normalized string) bool {
	return humancode.Matches(salt, hash, normalized)
}
