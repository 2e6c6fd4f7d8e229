package attestations

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// codeAlphabet leaves out 0/O, 1/I/L and U so a code read aloud or typed
// from paper cannot be mistyped into another valid code.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is the number of significant characters of a verification
// code: 16 of 30 symbols, about 78 bits, far beyond guessing within any
// rate limit.
const CodeLength = 16

// randomSymbols returns n characters of codeAlphabet without modulo bias.
func randomSymbols(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			// 240 is the largest multiple of 30 ≤ 256.
			if b < 240 && len(out) < n {
				out = append(out, codeAlphabet[int(b)%len(codeAlphabet)])
			}
		}
	}
	return string(out), nil
}

// group writes s in blocks of four separated by hyphens, as printed.
func group(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// newCode returns a fresh verification code as printed.
func newCode() (string, error) {
	s, err := randomSymbols(CodeLength)
	if err != nil {
		return "", err
	}
	return group(s), nil
}

// newDocumentNumber returns a document number such as FP-7K3M-Q9XZ-2HTR:
// random, so numbers reveal nothing about how many were issued, and short,
// because every character costs QR space.
func newDocumentNumber() (string, error) {
	s, err := randomSymbols(12)
	if err != nil {
		return "", err
	}
	return "FP-" + group(s), nil
}

// normalizeCode accepts a code as typed: any case, with or without hyphens
// or spaces. It reports false unless 16 alphabet symbols remain.
func normalizeCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
		case r < 128 && strings.IndexByte(codeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != CodeLength {
		return "", false
	}
	return b.String(), true
}

// hashCode is SHA-256 over the row's salt and the normalized code. The salt
// makes equal codes hash differently, so a leaked table cannot be matched
// against a precomputed list.
func hashCode(salt []byte, normalized string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(normalized))
	return h.Sum(nil)
}

func newSalt() ([]byte, error) {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	return b, err
}

// codeMatches compares in constant time.
func codeMatches(salt, hash []byte, normalized string) bool {
	return subtle.ConstantTimeCompare(hashCode(salt, normalized), hash) == 1
}
