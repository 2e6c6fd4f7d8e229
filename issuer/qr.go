package issuer

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/fprlink/fprlink/issuer/edoc"
	goqr "github.com/piglig/go-qr"
)

// MaxQRVersion is the largest QR version fprlink emits. Version 22 at ECC M
// still scans reliably from a printed A4 page and a phone screen.
const MaxQRVersion = 22

// quietZone is the four-module margin the QR standard requires.
const quietZone = 4

// QR is an encoded QR symbol. The encoder is used with explicit segments
// because the format fixes them: "fprl:/" as a byte segment, the digits as a
// numeric segment, ECC level M without boosting, version capped at 22.
type QR struct {
	code *goqr.QrCode
}

// EncodeQR encodes fprlink QR text. It returns ErrQRTooLarge when the text
// does not fit version 22 at ECC M.
func EncodeQR(text string) (*QR, error) {
	digits, ok := strings.CutPrefix(text, edoc.QRPrefix)
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return nil, ErrQRText
	}
	prefix, err := goqr.MakeBytes([]byte(edoc.QRPrefix))
	if err != nil {
		return nil, err
	}
	numeric, err := goqr.MakeNumeric(digits)
	if err != nil {
		return nil, err
	}
	// Mask -1 lets the encoder pick the lowest-penalty mask; the choice is
	// deterministic, so the same text always yields the same symbol.
	code, err := goqr.EncodeSegments([]*goqr.QrSegment{prefix, numeric}, goqr.Medium, 1, MaxQRVersion, -1, false)
	if errors.Is(err, goqr.ErrDataTooLong) {
		return nil, fmt.Errorf("%w (%d digits)", ErrQRTooLarge, len(digits))
	}
	if err != nil {
		return nil, err
	}
	return &QR{code: code}, nil
}

// Version returns the QR version (1–40); fprlink's are ≤ MaxQRVersion.
func (q *QR) Version() int { return (q.code.Size() - 17) / 4 }

// Size returns the side length in modules, without quiet zone.
func (q *QR) Size() int { return q.code.Size() }

// Dark reports whether module (x, y) is dark.
func (q *QR) Dark(x, y int) bool { return q.code.Module(x, y) }

// Image returns the symbol with a quiet zone, scale pixels per module.
func (q *QR) Image(scale int) image.Image {
	if scale < 1 {
		scale = 1
	}
	side := (q.Size() + 2*quietZone) * scale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := range q.Size() {
		for x := range q.Size() {
			if !q.Dark(x, y) {
				continue
			}
			px, py := (x+quietZone)*scale, (y+quietZone)*scale
			for dy := range scale {
				row := img.Pix[(py+dy)*img.Stride:]
				for dx := range scale {
					row[px+dx] = 1
				}
			}
		}
	}
	return img
}

// PNG renders the symbol as a two-colour PNG, scale pixels per module.
func (q *QR) PNG(scale int) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, q.Image(scale)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// darkRuns calls fn for every horizontal run of n dark modules starting at
// (col, row), row by row: the shapes the vector renderings draw.
func (q *QR) darkRuns(fn func(row, col, n int)) {
	for row := range q.Size() {
		for col := 0; col < q.Size(); {
			if !q.Dark(col, row) {
				col++
				continue
			}
			end := col
			for end < q.Size() && q.Dark(end, row) {
				end++
			}
			fn(row, col, end-col)
			col = end
		}
	}
}

// qr returns the document's QR symbol: the one made while signing when the
// QR text is still the one it was made from, otherwise a new encoding.
func (d Document) qr() (*QR, error) {
	if d.symbol != nil && d.symbolText == d.QRText {
		return d.symbol, nil
	}
	return EncodeQR(d.QRText)
}

// SVG renders the symbol as a scalable SVG: one path of unit squares in a
// viewBox measured in modules, with the quiet zone.
func (q *QR) SVG() []byte {
	side := q.Size() + 2*quietZone
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, side, side)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, side, side)
	q.darkRuns(func(row, col, n int) {
		fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", col+quietZone, row+quietZone, n, n)
	})
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}
