package issuer

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/fprlink/fprlink/issuer/edoc"
	"github.com/go-pdf/fpdf"
)

// cjkFont is a subset of Droid Sans Fallback with the labels' Chinese
// characters and those of GB 2312 for holders' names (see
// fonts/README.md). fpdf needs TrueType outlines, which rules out the
// CFF-based Noto CJK fonts; it embeds only the glyphs a page uses, so a
// PDF stays small.
//
//go:embed fonts/droid-sans-fallback-subset.ttf
var cjkFont []byte

// cjkGlyphs lists every character cjkFont has.
//
//go:embed fonts/glyphs.txt
var cjkGlyphs string

// printableZh reports whether the embedded font can draw every character
// of s.
func printableZh(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(cjkGlyphs, r) {
			return false
		}
	}
	return s != ""
}

const (
	fontCJK    = "cjk"
	fontLatin  = "Helvetica"
	pageMargin = 18.0 // mm
	labelWidth = 50.0 // mm, label column of the data rows
	qrSide     = 68.0 // mm, about 0.6 mm per module at version 22
	rowHeight  = 7.5  // mm
	contentTop = 46.0 // mm, below the title and the purpose line
)

// CountryNames gives the English and Chinese names of an ISO 3166-1 or
// ICAO Doc 9303 code; ok is false for a code it does not know.
type CountryNames func(code string) (en, zh string, ok bool)

// PDFOptions are what a render may draw on beyond the document itself.
type PDFOptions struct {
	// Countries names the nationality and issuing state beside their
	// codes, so a counter clerk need not know "KAZ"; nil prints codes only.
	Countries CountryNames
}

// RenderPDF renders doc as the A4 e-document with codes only; see
// RenderPDFWith.
func RenderPDF(doc Document) ([]byte, error) { return RenderPDFWith(doc, PDFOptions{}) }

// RenderPDFWith renders doc as the A4 e-document. The creation date is the
// document's iat and the catalogue is sorted, so the same Document and
// options always render to the same bytes.
func RenderPDFWith(doc Document, o PDFOptions) ([]byte, error) {
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
	p := pdfPage{f: f, valueMax: qrX - pageMargin - labelWidth - 3, countries: o.Countries,
		printedName: doc.PrintedName}
	p.title()
	p.purpose(doc.Claims.Audience)
	p.qr(qr, qrX, contentTop)
	y := p.holder(doc.Claims)
	p.valueMax = 210 - 2*pageMargin - labelWidth
	p.document(max(y, contentTop+qrSide)+4, doc)
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
	valueMax  float64
	countries CountryNames
	// printedName is Document.PrintedName, which the claims do not hold.
	printedName string
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

// purpose says, under the title, whom the document is for.
func (p pdfPage) purpose(aud string) {
	l, ok := purposeLabels[aud]
	if !ok {
		l = labelAnyPurpose
	}
	f := p.f
	f.SetXY(pageMargin, 38)
	f.SetFont(fontCJK, "", 11)
	f.SetTextColor(150, 30, 30)
	f.CellFormat(f.GetStringWidth(l.zh)+3, 6, l.zh, "", 0, "L", false, 0, "")
	f.SetFont(fontLatin, "B", 10)
	f.CellFormat(0, 6, l.en, "", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// section writes a heading, then the rows with label column and value. Rows
// without a value (fields the document's purpose leaves out) are not
// drawn, nor a section left with none.
func (p pdfPage) section(y float64, head label, all []pdfRow) float64 {
	var rows []pdfRow
	for _, r := range all {
		if r.value != "" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return y
	}
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
	zh    bool   // value in Chinese, set in the CJK font
	en    string // with zh: an English rendering after it, in the Latin font
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
	font, style := fontLatin, "B"
	if r.zh {
		font, style = fontCJK, ""
	}
	size := 10.5
	f.SetFont(font, style, size)
	for size > 6 && f.GetStringWidth(r.value) > p.valueMax {
		size -= 0.5
		f.SetFont(font, style, size)
	}
	f.SetTextColor(0, 0, 0)
	if r.en == "" {
		f.CellFormat(0, 5, r.value, "", 0, "L", false, 0, "")
		return
	}
	f.CellFormat(f.GetStringWidth(r.value)+2, 5, r.value, "", 0, "L", false, 0, "")
	f.SetFont(fontLatin, "", 8)
	f.CellFormat(0, 5, r.en, "", 0, "L", false, 0, "")
}

// holder prints the fields the document carries, which are those of its
// purpose: the PDF shows a reader no more than the QR holds.
func (p pdfPage) holder(c edoc.Claims) float64 {
	zh := pdfRow{labelZhName, c.ChineseName, true, ""}
	if c.ChineseName != "" && !printableZh(c.ChineseName) {
		zh.value, zh.en = labelZhNameUnprintable.zh, labelZhNameUnprintable.en
	}
	y := p.section(contentTop, labelHolder, []pdfRow{
		zh,
		{labelSurname, c.Passport.Surname, false, ""},
		{labelGiven, c.Passport.GivenNames, false, ""},
		sexRow(c.Passport.Sex),
		{labelBirth, c.Passport.BirthDate, false, ""},
		p.countryRow(labelNation, c.Passport.Nationality),
	})
	y = p.section(y, labelPassport, []pdfRow{
		{labelPassNo, c.Passport.Number, false, ""},
		p.countryRow(labelState, c.Passport.IssuingState),
		{labelExpiry, c.Passport.ExpiryDate, false, ""},
		{labelPrevPass, c.Passport.PreviousNumber, false, ""},
	})
	return p.section(y, labelCard, []pdfRow{
		{labelCardNo, c.Card.Number, false, ""},
		{labelVersion, c.Card.Version, false, ""},
		{labelIssueDate, c.Card.IssueDate, false, ""},
		{labelExpiry, c.Card.ExpiryDate, false, ""},
		{labelPrevious, c.Card.PreviousNumber, false, ""},
		printedNameRow(p.printedName),
	})
}

// printedNameRow writes the name as printed on the card, which the QR
// does not hold, and says so: in the Latin core font when it is plain
// ASCII, in the embedded font when that can draw it, else as the note
// that it is in the registry.
func printedNameRow(name string) pdfRow {
	switch {
	case name == "":
		return pdfRow{labelPrinted, "", false, ""}
	case isASCII(name):
		return pdfRow{labelPrinted, name + "  (" + labelUnsigned.en + ")", false, ""}
	case printableZh(name):
		return pdfRow{labelPrinted, name + "（" + labelUnsigned.zh + "）", true, labelUnsigned.en}
	}
	return pdfRow{labelPrinted, labelPrintedUnprintable.zh, true, labelPrintedUnprintable.en}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func (p pdfPage) document(y float64, d Document) {
	p.section(y, labelDocument, []pdfRow{
		{labelDocNo, d.Claims.ID, false, ""},
		{labelCode, d.VerificationCode, false, ""},
		{labelFrom, formatInstant(d.Claims.NotBefore), false, ""},
		{labelUntil, formatInstant(d.Claims.Expiry), false, ""},
		{labelIssuer, d.Claims.Issuer, false, ""},
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

// sexRow writes the MRZ's sex in both languages (ICAO Doc 9303: F, M, or
// X for unspecified); any other value is printed as it stands.
func sexRow(sex string) pdfRow {
	switch sex {
	case "M":
		return pdfRow{labelSex, "男", true, "Male (M)"}
	case "F":
		return pdfRow{labelSex, "女", true, "Female (F)"}
	case "X", "<":
		return pdfRow{labelSex, "未注明", true, "Unspecified (X)"}
	}
	return pdfRow{labelSex, sex, false, ""}
}

// countryRow writes a country's Chinese name, then its code and English
// name; a code the names do not know, or one whose Chinese name the font
// cannot draw, is printed as the code alone.
func (p pdfPage) countryRow(l label, code string) pdfRow {
	if code == "" || p.countries == nil {
		return pdfRow{l, code, false, ""}
	}
	en, zh, ok := p.countries(code)
	if !ok || !printableZh(zh) {
		return pdfRow{l, code, false, ""}
	}
	return pdfRow{l, zh, true, code + "  " + en}
}
