// Package humancode makes the codes people read off a page or a message and
// type back in: enrolment codes, e-document verification codes and
// document numbers. They share one alphabet without look-alikes (no 0/O,
// 1/I/L, U/V), one unbiased generator and one way of printing.
package humancode

import (
	"crypto/rand"
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
