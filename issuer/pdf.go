package issuer

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-pdf/fpdf"
)

// cjkFont is a subset of Droid Sans Fallback with the labels' Chinese
// characters (see fonts/README.md). fpdf needs TrueType outlines, which
// rules out the CFF-based Noto CJK fonts.
//
//go:embed fonts/droid-sans-fallback-subset.ttf
var cjkFont []byte

const (
	fontCJK    = "cjk"
	fontLatin  = "Helvetica"
	pageMargin = 18.0 // mm
	labelWidth = 50.0 // mm, label column of the data rows
	qrSide     = 68.0 // mm, about 0.6 mm per module at version 22
	rowHeight  = 7.5  // mm
)

// RenderPDF renders doc as the A4 e-document. The creation date is the
// document's iat and the catalogue is sorted, so the same Document always
// renders to the same bytes.
func RenderPDF(doc Document) ([]byte, error) {
	qr, err := doc.qr()
	if err != nil {
		return nil, err
	}
	issued := time.Unix(doc.Claims.IssuedAt, 0).UTC()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(issued)
	f.SetModificationDate(issued)
	f.SetTitle("FPR card and passport attestation "+doc.Claims.ID, true)
	f.SetAuthor(doc.Claims.Issuer, true)
	// fpdf's subsetter writes into the font bytes it is given (an append
	// on a sub-slice while reading hmtx), which made renders differ and
	// would race between goroutines: each render gets its own copy.
	f.AddUTF8FontFromBytes(fontCJK, "", bytes.Clone(cjkFont))
	f.SetMargins(pageMargin, pageMargin, pageMargin)
	f.SetAutoPageBreak(false, pageMargin)
	f.AddPage()

	qrX := 210 - pageMargin - qrSide
	p := pdfPage{f: f, valueMax: qrX - pageMargin - labelWidth - 3}
	p.title()
	p.qr(qr, qrX, 42)
	y := p.holder(doc.Claims)
	p.valueMax = 210 - 2*pageMargin - labelWidth
	p.document(max(y, 42+qrSide)+4, doc)
	p.howTo()
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("issuer: render PDF: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("issuer: render PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// pdfPage draws the e-document top to bottom.
type pdfPage struct {
	f *fpdf.Fpdf
	// valueMax is the width left for a value; long MRZ names are set
	// smaller rather than run into the QR code.
	valueMax float64
}

func (p pdfPage) title() {
	f := p.f
	f.SetY(pageMargin)
	f.SetFont(fontCJK, "", 15)
	f.CellFormat(0, 8, labelTitle.zh, "", 1, "L", false, 0, "")
	f.SetFont(fontLatin, "", 10)
	f.SetTextColor(80, 80, 80)
	f.CellFormat(0, 6, labelTitle.en, "", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetDrawColor(150, 30, 30)
	f.SetLineWidth(0.6)
	f.Line(pageMargin, 36, 210-pageMargin, 36)
}

// section writes a heading, then the rows with label column and value.
func (p pdfPage) section(y float64, head label, rows []pdfRow) float64 {
	f := p.f
	f.SetXY(pageMargin, y)
	f.SetFont(fontCJK, "", 11)
	f.SetTextColor(150, 30, 30)
	f.CellFormat(f.GetStringWidth(head.zh)+2, 7, head.zh, "", 0, "L", false, 0, "")
	f.SetFont(fontLatin, "B", 10)
	f.CellFormat(0, 7, head.en, "", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	y += 8
	for _, r := range rows {
		p.row(y, r)
		y += rowHeight
	}
	return y + 3
}

type pdfRow struct {
	label label
	value string
}

func (p pdfPage) row(y float64, r pdfRow) {
	f := p.f
	f.SetXY(pageMargin, y)
	f.SetFont(fontCJK, "", 8)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(f.GetStringWidth(r.label.zh)+1.5, 5, r.label.zh, "", 0, "L", false, 0, "")
	f.SetFont(fontLatin, "", 7)
	f.CellFormat(labelWidth, 5, r.label.en, "", 0, "L", false, 0, "")
	f.SetXY(pageMargin+labelWidth, y)
	size := 10.5
	f.SetFont(fontLatin, "B", size)
	for size > 6 && f.GetStringWidth(r.value) > p.valueMax {
		size -= 0.5
		f.SetFont(fontLatin, "B", size)
	}
	f.SetTextColor(0, 0, 0)
	f.CellFormat(0, 5, r.value, "", 0, "L", false, 0, "")
}

func (p pdfPage) holder(c edoc.Claims) float64 {
	y := p.section(42, labelHolder, []pdfRow{
		{labelSurname, c.Passport.Surname},
		{labelGiven, c.Passport.GivenNames},
		{labelSex, c.Passport.Sex},
		{labelBirth, c.Passport.BirthDate},
		{labelNation, c.Passport.Nationality},
	})
	y = p.section(y, labelPassport, []pdfRow{
		{labelPassNo, c.Passport.Number},
		{labelState, c.Passport.IssuingState},
		{labelExpiry, c.Passport.ExpiryDate},
	})
	return p.section(y, labelCard, []pdfRow{
		{labelCardNo, c.Card.Number},
		{labelVersion, c.Card.Version},
		{labelIssueDate, c.Card.IssueDate},
		{labelExpiry, c.Card.ExpiryDate},
	})
}

func (p pdfPage) document(y float64, d Document) {
	p.section(y, labelDocument, []pdfRow{
		{labelDocNo, d.Claims.ID},
		{labelCode, d.VerificationCode},
		{labelFrom, formatInstant(d.Claims.NotBefore)},
		{labelUntil, formatInstant(d.Claims.Expiry)},
		{labelIssuer, d.Claims.Issuer},
	})
}

func (p pdfPage) howTo() {
	f := p.f
	y := f.GetY() + 8
	f.SetDrawColor(200, 200, 200)
	f.SetLineWidth(0.2)
	f.Line(pageMargin, y, 210-pageMargin, y)
	f.SetXY(pageMargin, y+2)
	f.SetFont(fontCJK, "", 10)
	f.CellFormat(f.GetStringWidth(labelHowTo.zh)+2, 6, labelHowTo.zh, "", 0, "L", false, 0, "")
	f.SetFont(fontLatin, "B", 9)
	f.CellFormat(0, 6, labelHowTo.en, "", 1, "L", false, 0, "")
	f.SetFont(fontCJK, "", 8.5)
	f.MultiCell(0, 4.5, labelNote.zh, "", "L", false)
	f.Ln(1)
	f.SetFont(fontLatin, "", 8.5)
	f.MultiCell(0, 4.2, labelNote.en, "", "L", false)
}

// qr draws the symbol as filled rectangles, one per horizontal run of dark
// modules: vector output stays sharp at any print resolution.
func (p pdfPage) qr(q *QR, x, y float64) {
	f := p.f
	n := q.Size() + 2*quietZone
	m := qrSide / float64(n)
	f.SetFillColor(0, 0, 0)
	q.darkRuns(func(row, col, n int) {
		f.Rect(x+float64(col+quietZone)*m, y+float64(row+quietZone)*m, float64(n)*m, m, "F")
	})
}

// formatInstant writes a claim time in China Standard Time, where holders
// and most relying parties read it.
func formatInstant(sec int64) string {
	return time.Unix(sec, 0).In(chinaTime).Format("2006-01-02 15:04 (UTC+8)")
}
