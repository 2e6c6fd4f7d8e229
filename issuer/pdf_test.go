package issuer

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

func TestPDFDeterministic(t *testing.T) {
	fx := newFixture(t)
	doc, err := fx.issuer.Issue(context.Background(), longInput())
	if err != nil {
		t.Fatal(err)
	}
	a, err := RenderPDF(doc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RenderPDF(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("rendering the same document twice gave different bytes")
	}
	// A Document that did not come from Issue (stored, then rebuilt) has no
	// symbol made while signing; it must render the same bytes, and so must
	// one whose QR text was changed after signing render its own.
	rebuilt := Document{Claims: doc.Claims, KID: doc.KID, JWS: doc.JWS, QRText: doc.QRText, PrintedName: doc.PrintedName}
	if c, err := RenderPDF(rebuilt); err != nil || !bytes.Equal(a, c) {
		t.Fatalf("a rebuilt document rendered differently: %v", err)
	}
	if sym, err := doc.qr(); err != nil || sym != doc.symbol {
		t.Fatalf("the symbol made while signing was not reused: %v", err)
	}
	changed := doc
	changed.QRText = "fprl:/1234"
	if sym, err := changed.qr(); err != nil || sym == doc.symbol {
		t.Fatalf("a changed QR text reused the old symbol: %v", err)
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || len(a) > 200<<10 {
		t.Fatalf("unexpected PDF: %d bytes", len(a))
	}
	if out := os.Getenv("FPRLINK_PDF_OUT"); out != "" {
		_ = os.WriteFile(out, a, 0o644)
	}
}

// TestLabelsCoveredByFont fails when a Chinese label uses a character the
// embedded subset lacks; fonts/README.md says how to regenerate the subset.
func TestLabelsCoveredByFont(t *testing.T) {
	glyphs, err := os.ReadFile("fonts/glyphs.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range allLabels {
		for _, r := range l.zh {
			if r <= 0x7e {
				t.Errorf("Chinese label %q has ASCII %q: the CJK subset has no Latin glyphs", l.zh, r)
			}
			if r > 0x7e && !strings.ContainsRune(string(glyphs), r) {
				t.Errorf("label %q: %q missing from the embedded font subset", l.zh, r)
			}
		}
		for _, r := range l.en {
			if r > 0x7e {
				t.Errorf("English label %q has non-ASCII %q the core font cannot show", l.en, r)
			}
		}
	}
}
