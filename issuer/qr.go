package issuer

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/fprlink/fprlink/issuer/edoc"
	qrcode "github.com/skip2/go-qrcode"
)

// MaxQRVersion is the largest QR version fprlink emits. Version 22 at ECC M
// still scans reliably from a printed A4 page and a phone screen.
const MaxQRVersion = 22

// quietZone is the four-module margin the QR standard requires.
const quietZone = 4

// QR is an encoded QR symbol, made with go-qrcode at ECC level M.
//
// The format fixes the segments: "fprl:/" as one byte segment, then every
// digit in one numeric segment. go-qrcode chooses segments itself, by
// classifying the characters and merging neighbours only where that is
// shorter: the letters and ":/" merge into one byte segment, and merging
// several hundred digits into it never is, so the digits stay numeric.
// TestQRSegmentsAreByteThenNumeric reads the segment headers back from the
// symbol's data codewords to hold it to that. The encoder picks the smallest
// version that fits and the mask with the lowest penalty, deterministically,
// and never raises the ECC level; a symbol above version 22 is refused here.
type QR struct {
	modules [][]bool // [row][column], true for dark, without quiet zone
	version int
}

// EncodeQR encodes fprlink QR text. It returns ErrQRTooLarge when the text
// does not fit version 22 at ECC M.
func EncodeQR(text string) (*QR, error) {
	digits, ok := strings.CutPrefix(text, edoc.QRPrefix)
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return nil, ErrQRText
	}
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		// The encoder's only failure for such text is that it fits no
		// version at all.
		return nil, fmt.Errorf("%w (%d digits): %w", ErrQRTooLarge, len(digits), err)
	}
	if code.VersionNumber > MaxQRVersion {
		return nil, fmt.Errorf("%w (%d digits need version %d)", ErrQRTooLarge, len(digits), code.VersionNumber)
	}
	code.DisableBorder = true // the renderers below draw the quiet zone
	return &QR{modules: code.Bitmap(), version: code.VersionNumber}, nil
}

// Version returns the QR version (1–40); fprlink's are ≤ MaxQRVersion.
func (q *QR) Version() int { return q.version }

// Size returns the side length in modules, without quiet zone.
func (q *QR) Size() int { return len(q.modules) }

// Dark reports whether module (x, y) is dark.
func (q *QR) Dark(x, y int) bool { return q.modules[y][x] }

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
