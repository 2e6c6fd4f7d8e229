// Package humancode makes the codes people read off a page or a message and
// type back in: enrolment codes, e-document verification codes and
// document numbers. They share one alphabet without look-alikes (no 0/O,
// 1/I/L, U/V), one unbiased generator and one way of printing.
package humancode

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Alphabet is the 30 symbols a code is made of.
const Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// Random returns n symbols of Alphabet from crypto/rand, without modulo
// bias: bytes of 240 and above (the largest multiple of 30 below 256) are
// drawn again.
func Random(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if b < 240 && len(out) < n {
				out = append(out, Alphabet[int(b)%len(Alphabet)])
			}
		}
	}
	return string(out), nil
}

// Group writes s in blocks of four separated by hyphens, as printed.
func Group(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// Normalize accepts a code as typed: any case, with or without hyphens or
// spaces. It reports false unless exactly n symbols of Alphabet remain.
func Normalize(s string, n int) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
		case r < 128 && strings.IndexByte(Alphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != n {
		return "", false
	}
	return b.String(), true
}

// NewSalt returns 16 random bytes to hash a stored code with.
func NewSalt() ([]byte, error) {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	return b, err
}

// Hash is SHA-256 over salt and a normalized code. The salt makes equal
// codes hash differently, so a leaked table cannot be matched against a
// precomputed list; a code is short-lived or bound to one document and
// attempt-limited, so no slow hash is needed.
func Hash(salt []byte, normalized string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(normalized))
	return h.Sum(nil)
}

// Matches reports whether normalized hashes to hash under salt, in
// constant time.
func Matches(salt, hash []byte, normalized string) bool {
	return subtle.ConstantTimeCompare(Hash(salt, normalized), hash) == 1
}
