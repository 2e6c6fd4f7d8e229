package appointments

import (
	"crypto/rand"
	"fmt"
	"io"
)

// codeAlphabet leaves out 0/O, 1/I/L and U/V look-alikes so a code read out
// at a counter or over the phone is not misheard or mistyped.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// CodeLength is the length of a confirmation code: 29^8 ≈ 5·10^11 codes.
const CodeLength = 8

// newCode draws a confirmation code from r (crypto/rand in production),
// rejecting bytes that would bias the distribution.
func newCode(r io.Reader) (string, error) {
	n := len(codeAlphabet)
	limit := 256 - 256%n
	out := make([]byte, 0, CodeLength)
	buf := make([]byte, 16)
	for len(out) < CodeLength {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("appointments: confirmation code: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < CodeLength {
				out = append(out, codeAlphabet[int(b)%n])
			}
		}
	}
	return string(out), nil
}

func randomCode() (string, error) { return newCode(rand.Reader) }

// IsConfirmationCode reports whether s has the shape of a confirmation code.
func IsConfirmationCode(s string) bool {
	if len(s) != CodeLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !containsByte(codeAlphabet, s[i]) {
			return false
		}
	}
	return true
}

func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}
