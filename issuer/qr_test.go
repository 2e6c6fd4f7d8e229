package issuer

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"testing"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// decodePNG reads a PNG with an independent QR reader (ZXing port).
func decodePNG(t *testing.T, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_PURE_BARCODE: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if ecl := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; ecl != "M" {
		t.Fatalf("ECC level %v, want M", ecl)
	}
	return res.GetText()
}

func TestQRLongNamesRoundTrip(t *testing.T) {
	fx := newFixture(t)
	doc, err := fx.issuer.Issue(context.Background(), longInput())
	if err != nil {
		t.Fatal(err)
	}
	qr, err := EncodeQR(doc.QRText)
	if err != nil {
		t.Fatal(err)
	}
	if v := qr.Version(); v > MaxQRVersion {
		t.Fatalf("version %d > %d", v, MaxQRVersion)
	}
	t.Logf("long-name document: %d JWS chars, QR version %d", len(doc.JWS), qr.Version())
	pngBytes, err := qr.PNG(4)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodePNG(t, pngBytes); got != doc.QRText {
		t.Fatalf("decoded QR differs from the fprl:/ text")
	}
	jws, err := edoc.DecodeQRText(doc.QRText)
	if err != nil || jws != doc.JWS {
		t.Fatalf("QR text does not decode to the JWS: %v", err)
	}
	svg := string(qr.SVG())
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `<path fill="#000" d="M`) {
		t.Fatal("SVG malformed")
	}
}

func TestQRVersionCapIsEnforced(t *testing.T) {
	// Version 22 at ECC M has 1,152 data codewords: about 2,740 digits after
	// the byte segment, i.e. a JWS of about 1,370 characters. 3,200 cannot fit.
	text := edoc.QRPrefix + strings.Repeat("12", 1600)
	if _, err := EncodeQR(text); !errors.Is(err, ErrQRTooLarge) {
		t.Fatalf("got %v", err)
	}
	for _, bad := range []string{"fprl:/12a4", "http://x", "fprl:/"} {
		if _, err := EncodeQR(bad); !errors.Is(err, ErrQRText) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestQRDeterministic(t *testing.T) {
	fx := newFixture(t)
	doc, _ := fx.issuer.Issue(context.Background(), sampleInput())
	a, _ := EncodeQR(doc.QRText)
	b, _ := EncodeQR(doc.QRText)
	pa, _ := a.PNG(3)
	pb, _ := b.PNG(3)
	if !bytes.Equal(pa, pb) || !bytes.Equal(a.SVG(), b.SVG()) {
		t.Fatal("QR rendering is not deterministic")
	}
}

// bitReader reads big-endian bit fields from QR data codewords.
type bitReader struct {
	b   []byte
	pos int
}

func (r *bitReader) left() int { return len(r.b)*8 - r.pos }

func (r *bitReader) read(n int) int {
	v := 0
	for range n {
		v = v<<1 | int(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

// TestQRSegmentsAreByteThenNumeric holds the encoder to the fixed format:
// the data codewords of the symbol, read back by an independent decoder,
// hold exactly a byte segment "fprl:/", one numeric segment with every
// digit, and the terminator. A change of encoder or of its segmenting
// (all bytes, say, which would need about 2.4 times the modules) fails here.
func TestQRSegmentsAreByteThenNumeric(t *testing.T) {
	fx := newFixture(t)
	for name, in := range map[string]Input{"sample": sampleInput(), "long names": longInput()} {
		doc, err := fx.issuer.Issue(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		qr, err := EncodeQR(doc.QRText)
		if err != nil {
			t.Fatal(err)
		}
		modules := make([][]bool, qr.Size())
		for y := range modules {
			modules[y] = make([]bool, qr.Size())
			for x := range modules[y] {
				modules[y][x] = qr.Dark(x, y)
			}
		}
		res, err := decoder.NewDecoder().DecodeBoolMapWithoutHint(modules)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.GetText() != doc.QRText || res.GetECLevel() != "M" {
			t.Fatalf("%s: decoded %d chars at ECC %s", name, len(res.GetText()), res.GetECLevel())
		}
		// Character count widths (ISO/IEC 18004 table 3) for versions
		// 10–26; versions 1–9 are too small for an e-document.
		if qr.Version() < 10 {
			t.Fatalf("%s: version %d", name, qr.Version())
		}
		r := &bitReader{b: res.GetRawBytes()}
		digits := strings.TrimPrefix(doc.QRText, edoc.QRPrefix)
		if mode := r.read(4); mode != 0b0100 {
			t.Fatalf("%s: first segment mode %04b, want byte (0100)", name, mode)
		}
		if n := r.read(16); n != len(edoc.QRPrefix) {
			t.Fatalf("%s: byte segment of %d chars, want %d", name, n, len(edoc.QRPrefix))
		}
		prefix := make([]byte, len(edoc.QRPrefix))
		for i := range prefix {
			prefix[i] = byte(r.read(8))
		}
		if string(prefix) != edoc.QRPrefix {
			t.Fatalf("%s: byte segment %q", name, prefix)
		}
		if mode := r.read(4); mode != 0b0001 {
			t.Fatalf("%s: second segment mode %04b, want numeric (0001)", name, mode)
		}
		if n := r.read(12); n != len(digits) {
			t.Fatalf("%s: numeric segment of %d digits, want all %d", name, n, len(digits))
		}
		r.pos += 10*(len(digits)/3) + [3]int{0, 4, 7}[len(digits)%3]
		if r.left() >= 4 {
			if mode := r.read(4); mode != 0 {
				t.Fatalf("%s: a third segment (mode %04b) after the digits", name, mode)
			}
		}
	}
}
