package issuer

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSexIsWrittenInBothLanguages(t *testing.T) {
	t.Parallel()
	tests := []struct{ sex, zh, en string }{
		{"M", "男", "Male (M)"},
		{"F", "女", "Female (F)"},
		{"X", "未注明", "Unspecified (X)"},
		{"Q", "Q", ""},
	}
	for _, tt := range tests {
		if r := sexRow(tt.sex); r.value != tt.zh || r.en != tt.en {
			t.Errorf("%s: %q %q, want %q %q", tt.sex, r.value, r.en, tt.zh, tt.en)
		}
	}
}

func TestCountryIsNamedBesideItsCode(t *testing.T) {
	t.Parallel()
	names := func(code string) (string, string, bool) {
		switch code {
		case "SWE":
			return "Sweden", "瑞典", true
		case "ZZQ":
			return "Nowhere", "\U0001F600", true // a glyph the font lacks
		}
		return "", "", false
	}
	p := pdfPage{countries: names}
	if r := p.countryRow(labelNation, "SWE"); r.value != "瑞典" || !r.zh || r.en != "SWE  Sweden" {
		t.Errorf("SWE: %+v", r)
	}
	for _, code := range []string{"KAZ", "ZZQ", ""} {
		if r := p.countryRow(labelNation, code); r.value != code || r.zh || r.en != "" {
			t.Errorf("%q: %+v, want the code alone", code, r)
		}
	}
	if r := (pdfPage{}).countryRow(labelNation, "SWE"); r.value != "SWE" {
		t.Errorf("without names: %+v", r)
	}
}

// TestPrintedNameRow: the name as printed on the card is marked as not
// signed, in the font that can draw it, or replaced by a note.
func TestPrintedNameRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, value string
		zh              bool
	}{
		{"absent", "", "", false},
		{"ASCII in the Latin font", "AL-HARBI, Faisal", "AL-HARBI, Faisal  (not signed, for comparison only)", false},
		{"Chinese in the embedded font", "王小明", "王小明（未签名，仅供核对）", true},
		{"undrawable replaced by a note", "Zoë Ærø\U0001F600", "以登记记录为准", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := printedNameRow(tt.in); r.value != tt.value || r.zh != tt.zh || r.label != labelPrinted {
				t.Fatalf("printedNameRow(%q) = %+v", tt.in, r)
			}
		})
	}
}

// TestPrintedNameIsNotSigned: the printed name reaches the Document for
// the PDF but not the claims, so the QR of the largest document keeps its
// size.
func TestPrintedNameIsNotSigned(t *testing.T) {
	fx := newFixture(t)
	in := longInput()
	doc, err := fx.issuer.Issue(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if doc.PrintedName != in.Card.PrintedName || strings.Contains(doc.QRText, "printed") {
		t.Fatalf("printed name %q", doc.PrintedName)
	}
	_, m := qrPayload(t, doc.QRText)
	if _, ok := m["fpr_card"].(map[string]any)["printed_name"]; ok {
		t.Fatal("the printed name was signed")
	}
	if _, err := RenderPDF(doc); err != nil {
		t.Fatal(err)
	}
	in.Card.PrintedName = "A\tB"
	if _, err := fx.issuer.Issue(context.Background(), in); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("a printed name with a tab: %v", err)
	}
}
