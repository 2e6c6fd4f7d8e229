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
