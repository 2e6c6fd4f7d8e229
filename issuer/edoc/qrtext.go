package edoc

import (
	"strings"
)

// QRPrefix starts every fprlink QR text. It is written as a QR byte segment;
// the digits after it as a numeric segment.
const QRPrefix = "fprl:/"

// qrOffset is subtracted from every JWS character: base64url and '.' span
// '-' (45) to 'z' (122), so each fits in two decimal digits 00..77. This is
// the SMART Health Cards trick; numeric mode packs 3 digits in 10 bits, about
// 17% denser than byte mode for the same JWS.
const (
	qrOffset  = '-'
	qrMaxPair = 'z' - qrOffset
)

// EncodeQRText writes a compact JWS as QR text: QRPrefix followed by two
// digits ord(c)-45 for every character c.
func EncodeQRText(jws string) (string, error) {
	var b strings.Builder
	b.Grow(len(QRPrefix) + 2*len(jws))
	b.WriteString(QRPrefix)
	for i := 0; i < len(jws); i++ {
		c := jws[i]
		if c < qrOffset || c > 'z' {
			return "", ErrQRCharacter
		}
		v := c - qrOffset
		b.WriteByte('0' + v/10)
		b.WriteByte('0' + v%10)
	}
	return b.String(), nil
}

// DecodeQRText turns QR text back into the compact JWS. It rejects anything
// but QRPrefix followed by an even number of digits whose pairs are ≤ 77;
// the caller bounds the input length before calling.
func DecodeQRText(text string) (string, error) {
	digits, ok := strings.CutPrefix(text, QRPrefix)
	if !ok {
		return "", ErrQRPrefix
	}
	if len(digits)%2 != 0 {
		// Report a stray non-digit before the length so the error names the
		// more specific fault.
		if !allDigits(digits) {
			return "", ErrQRNonDigit
		}
		return "", ErrQROddLength
	}
	out := make([]byte, len(digits)/2)
	for i := range out {
		hi, lo := digits[2*i], digits[2*i+1]
		if hi < '0' || hi > '9' || lo < '0' || lo > '9' {
			return "", ErrQRNonDigit
		}
		v := (hi-'0')*10 + (lo - '0')
		if v > qrMaxPair {
			return "", ErrQRPairRange
		}
		out[i] = v + qrOffset
	}
	return string(out), nil
}

// IsQRText reports whether s looks like QR text rather than a bare JWS.
func IsQRText(s string) bool { return strings.HasPrefix(s, QRPrefix) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
