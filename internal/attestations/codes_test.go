package attestations

import (
	"strings"
	"testing"

	"github.com/fprlink/fprlink/issuer"
)

func TestCodesAndNumbers(t *testing.T) {
	code, err := newCode()
	if err != nil {
		t.Fatal(err)
	}
	norm, ok := normalizeCode(code)
	if !ok || len(norm) != CodeLength || len(code) != 19 {
		t.Fatalf("code %q normalizes to %q %v", code, norm, ok)
	}
	if n2, ok := normalizeCode(strings.ToLower(strings.ReplaceAll(code, "-", " "))); !ok || n2 != norm {
		t.Fatalf("typed variant not accepted: %q", n2)
	}
	num, _ := newDocumentNumber()
	if !issuer.ValidDocumentNumber(num) || len(num) != 17 {
		t.Fatalf("document number %q", num)
	}
	salt, _ := newSalt()
	if !codeMatches(salt, hashCode(salt, norm), norm) || codeMatches(salt, hashCode(salt, norm), strings.Repeat("2", 16)) {
		t.Fatal("hash comparison wrong")
	}
}

func TestNormalizeCodeRejects(t *testing.T) {
	for name, s := range map[string]string{
		"fail-short":          "ABCD-EFGH-JKMN",
		"fail-long":           "ABCD-EFGH-JKMN-PQRS-T",
		"fail-ambiguous-zero": "0BCD-EFGH-JKMN-PQRS",
		"fail-ambiguous-one":  "1BCD-EFGH-JKMN-PQRS",
		"fail-letter-o":       "OBCD-EFGH-JKMN-PQRS",
		"fail-non-ascii":      "ÄBCD-EFGH-JKMN-PQRS",
		"fail-oversize":       strings.Repeat("-", 65),
		"fail-empty":          "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := normalizeCode(s); ok {
				t.Fatalf("%q accepted", s)
			}
		})
	}
}

func FuzzNormalizeCode(f *testing.F) {
	f.Add("ABCD-EFGH-JKMN-PQRS")
	f.Add("abcd efgh jkmn pqrs")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := normalizeCode(s)
		if !ok {
			return
		}
		if len(n) != CodeLength || strings.Trim(n, codeAlphabet) != "" {
			t.Fatalf("%q normalized to %q", s, n)
		}
	})
}

func FuzzVerifyRequestValidate(f *testing.F) {
	f.Add("fprl:/5655", "", "", "")
	f.Add("", "a.b.c", "", "")
	f.Add("", "", "FP-AAAA-BBBB-CCCC", "ABCD-EFGH-JKMN-PQRS")
	f.Fuzz(func(t *testing.T, qr, tok, num, code string) {
		r := VerifyRequest{QR: qr, Token: tok, DocumentNumber: num, VerificationCode: code}
		if r.Validate() != nil {
			return
		}
		if len(r.QR) > 4096 || len(r.Token) > 4096 {
			t.Fatal("oversize input accepted")
		}
		if r.QR == "" && r.Token == "" && !issuer.ValidDocumentNumber(r.DocumentNumber) {
			t.Fatalf("bad document number %q accepted", r.DocumentNumber)
		}
	})
}
