package issuer

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"compress/flate"

	"github.com/fprlink/fprlink/issuer/edoc"
)

// qrPayload decodes a document's QR text as anyone with a scanner can: no
// key, no verification, just base64url and raw DEFLATE.
func qrPayload(t *testing.T, qrText string) (string, map[string]any) {
	t.Helper()
	jws, err := edoc.DecodeQRText(qrText)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jws, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(plain, &m); err != nil {
		t.Fatal(err)
	}
	return string(plain), m
}

// TestTelecomQRHoldsNoBankFields: the QR of a telecom document, decoded
// without any key, shows none of the passport number, birth date, sex or
// passport expiry.
func TestTelecomQRHoldsNoBankFields(t *testing.T) {
	fx := newFixture(t)
	in := longInput()
	in.Purpose = edoc.PurposeTelecom
	doc, err := fx.issuer.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	plain, m := qrPayload(t, doc.QRText)
	for _, secret := range []string{in.Passport.Number, "1985-04-12", "2031-06-30", in.Passport.PreviousNumber, in.Card.PreviousNumber} {
		if strings.Contains(plain, secret) {
			t.Errorf("telecom payload contains %q: %s", secret, plain)
		}
	}
	pass := m["passport"].(map[string]any)
	for _, k := range []string{"number", "birth_date", "sex", "expiry_date", "issuing_state", "previous_number"} {
		if _, ok := pass[k]; ok {
			t.Errorf("telecom payload has passport.%s", k)
		}
	}
	if m["aud"] != edoc.PurposeTelecom || m["type"] != edoc.DocumentTypePurpose {
		t.Errorf("aud %v type %v", m["aud"], m["type"])
	}
	card := m["fpr_card"].(map[string]any)
	if card["number"] != in.Card.Number || card["expiry_date"] != "2034-01-14" || len(card) != 2 {
		t.Errorf("telecom card members: %v", card)
	}
	if m["chinese_name"] != in.ChineseName {
		t.Errorf("chinese_name %v", m["chinese_name"])
	}
}

// TestEveryPurposeSignsOnlyItsFields issues one document per purpose and
// compares the signed members with edoc.PurposeFields.
func TestEveryPurposeSignsOnlyItsFields(t *testing.T) {
	fx := newFixture(t)
	for _, purpose := range edoc.Purposes() {
		t.Run(purpose, func(t *testing.T) {
			in := longInput()
			in.Purpose = purpose
			doc, err := fx.issuer.Issue(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			_, m := qrPayload(t, doc.QRText)
			pf, cf, _ := edoc.PurposeFields(purpose)
			for part, want := range map[string][]string{"passport": pf, "fpr_card": cf} {
				got := m[part].(map[string]any)
				for _, k := range want {
					if _, ok := got[k]; !ok {
						t.Errorf("%s.%s missing", part, k)
					}
				}
				if len(got) != len(want) {
					t.Errorf("%s has %d members, purpose allows %d: %v", part, len(got), len(want), got)
				}
			}
			if _, err := RenderPDF(doc); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestSchemaPurposeRules keeps the schema's per-purpose rules and
// edoc.PurposeFields in step.
func TestSchemaPurposeRules(t *testing.T) {
	raw, err := os.ReadFile("../docs/schema/attestation-claims.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		AllOf []struct {
			If struct {
				Properties struct {
					Aud struct {
						Const string `json:"const"`
					} `json:"aud"`
				} `json:"properties"`
			} `json:"if"`
			Then struct {
				Properties map[string]struct {
					Required []string `json:"required"`
				} `json:"properties"`
			} `json:"then"`
		} `json:"allOf"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rule := range schema.AllOf {
		aud := rule.If.Properties.Aud.Const
		if aud == "" {
			continue
		}
		seen[aud] = true
		pf, cf, ok := edoc.PurposeFields(aud)
		if !ok {
			t.Errorf("schema rule for unknown purpose %q", aud)
			continue
		}
		pf = without(pf, edoc.FieldPreviousNumber)
		cf = without(cf, edoc.FieldPreviousNumber)
		if got := rule.Then.Properties["passport"].Required; !reflect.DeepEqual(got, pf) {
			t.Errorf("%s passport: schema %v, Go %v", aud, got, pf)
		}
		if got := rule.Then.Properties["fpr_card"].Required; !reflect.DeepEqual(got, cf) {
			t.Errorf("%s fpr_card: schema %v, Go %v", aud, got, cf)
		}
	}
	for _, p := range edoc.Purposes() {
		if !seen[p] {
			t.Errorf("schema has no rule for purpose %s", p)
		}
	}
}

func without(s []string, drop string) []string {
	var out []string
	for _, v := range s {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

// TestChineseNamesPrintable: the embedded font covers the characters of
// transcribed foreign names, and a name it cannot draw is replaced, not
// printed as empty boxes.
func TestChineseNamesPrintable(t *testing.T) {
	if !printableZh(longInput().ChineseName) {
		t.Fatal("the sample transcribed name is not covered by the embedded font")
	}
	if printableZh("𠮷野") {
		t.Fatal("a character outside GB 2312 reported printable")
	}
	fx := newFixture(t)
	in := sampleInput()
	in.ChineseName = "𠮷野"
	doc, err := fx.issuer.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RenderPDF(doc); err != nil {
		t.Fatal(err)
	}
}
