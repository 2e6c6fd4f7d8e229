package verifier

import (
	"fmt"
	"image"
	"io"

	// Registers PNG and JPEG decoders for image.Decode.
	_ "image/jpeg"
	_ "image/png"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// maxImagePixels bounds decoded images (a 16-megapixel photo) so a crafted
// file cannot make the decoder allocate without limit.
const maxImagePixels = 16 << 20

// DecodeQRImage reads the fprlink QR text from an image (PNG or JPEG), e.g.
// a scan or photo of the PDF. Pass the result to Verify.
func DecodeQRImage(r io.Reader) (string, error) {
	cfgR, body := teeHeader(r)
	cfg, _, err := image.DecodeConfig(cfgR)
	if err != nil || cfg.Width*cfg.Height > maxImagePixels {
		return "", fmt.Errorf("%w: unreadable or oversize image", ErrQRImage)
	}
	img, _, err := image.Decode(body())
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrQRImage, err)
	}
	return DecodeQR(img)
}

// DecodeQR reads the fprlink QR text from a decoded image.
func DecodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrQRImage, err)
	}
	reader := qrcode.NewQRCodeReader()
	// An image holding nothing but the symbol (the PNG the service serves,
	// a screenshot of it) is read module by module, with no pattern
	// detection to go wrong; a photo or a scanned page falls back to
	// detection. Detection alone misses a few percent of clean symbols.
	res, err := reader.Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		res, err = reader.Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	}
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrQRImage, err)
	}
	text := res.GetText()
	if !edoc.IsQRText(text) {
		return "", fmt.Errorf("%w: QR code is not an fprlink e-document", ErrQRImage)
	}
	return text, nil
}
