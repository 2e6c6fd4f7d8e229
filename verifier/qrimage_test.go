package verifier_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/fprlink/fprlink/issuer"
	"github.com/fprlink/fprlink/verifier"
)

// randomQRText is QR text of an e-document's length (about 1,100 digits,
// QR version 17) with random digits: what matters to the reader is the
// pattern of modules, not whether the digits are a signed token.
func randomQRText(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("fprl:/")
	for range 1100 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// TestDecodeQRImageReadsEveryServedSymbol decodes many symbols as the
// service serves them. Finder-pattern detection alone missed about one in
// thirty of them (wrong dimension, misplaced alignment pattern); a bank
// reading our PNG must never be told it holds no QR code.
func TestDecodeQRImageReadsEveryServedSymbol(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(20261127, 1))
	n := 120
	if testing.Short() {
		n = 30
	}
	for i := range n {
		text := randomQRText(r)
		qr, err := issuer.EncodeQR(text)
		if err != nil {
			t.Fatal(err)
		}
		img, _ := qr.PNG(4)
		got, err := verifier.DecodeQRImage(bytes.NewReader(img))
		if err != nil || got != text {
			t.Fatalf("symbol %d (version %d) not read back: %v", i, qr.Version(), err)
		}
	}
}

// TestDecodeQRImageFindsTheSymbolOnAPage: an image with more than the
// symbol on it (a scanned page, a photo) cannot be read module by module,
// so the reader falls back to finding the symbol's patterns.
func TestDecodeQRImageFindsTheSymbolOnAPage(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	text := randomQRText(r)
	qr, err := issuer.EncodeQR(text)
	if err != nil {
		t.Fatal(err)
	}
	sym := qr.Image(4)
	page := image.NewGray(image.Rect(0, 0, 900, 1200))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	// A heading and a signature line in ink, away from the symbol.
	draw.Draw(page, image.Rect(60, 60, 840, 110), image.NewUniform(color.Black), image.Point{}, draw.Src)
	draw.Draw(page, image.Rect(60, 1100, 500, 1106), image.NewUniform(color.Black), image.Point{}, draw.Src)
	at := image.Pt(300, 400)
	draw.Draw(page, sym.Bounds().Add(at), sym, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, page); err != nil {
		t.Fatal(err)
	}
	got, err := verifier.DecodeQRImage(&buf)
	if err != nil || got != text {
		t.Fatalf("symbol on a page not read: %v", err)
	}
}

// TestDecodeQRImageRefusesOtherImages: an image without a symbol, or with
// a QR code that is not an e-document, is ErrQRImage.
func TestDecodeQRImageRefusesOtherImages(t *testing.T) {
	t.Parallel()
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	draw.Draw(blank, blank.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	var buf bytes.Buffer
	_ = png.Encode(&buf, blank)
	if _, err := verifier.DecodeQRImage(&buf); !errors.Is(err, verifier.ErrQRImage) {
		t.Fatalf("blank image: %v", err)
	}
	img, err := qrcode.Encode("https://example.org/", qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	buf.Write(img)
	if text, err := verifier.DecodeQRImage(&buf); !errors.Is(err, verifier.ErrQRImage) || text != "" {
		t.Fatalf("a QR code of a web address: %q, %v", text, err)
	}
}
