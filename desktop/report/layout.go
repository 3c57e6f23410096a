package report

import (
	"codeberg.org/go-pdf/fpdf"
	"github.com/golang/freetype/truetype"

	"mobilefactory/shared/i18n"
)

// Page geometry in millimetres and font sizes in points.
const (
	margin       = 18.0
	footerMargin = 16.0 // the bottom band the footer sits in
	lineHeight   = 5.5  // one line of body text
	bodySize     = 10.0
	// minCellSize is the smallest font a table cell shrinks to so that
	// its longest word fits the column.
	minCellSize = 7.0
	smallSize   = 8.5
	headingSize = 13.0
	titleSize   = 20.0
)

// doc wraps the PDF with the report's text styles and a table layout that
// wraps cell text and continues long rows on the next page.
type doc struct {
	pdf    *fpdf.Fpdf
	font   *truetype.Font
	locale string
}

func (d *doc) t(key string, args ...any) string { return i18n.In(d.locale, key, args...) }

// text returns s with what the font cannot draw replaced, on one line.
func (d *doc) text(s string) string { return drawable(d.font, s, false) }

func (d *doc) width() float64 {
	w, _ := d.pdf.GetPageSize()
	return w - 2*margin
}

// bottom returns the lowest y that body content may reach.
func (d *doc) bottom() float64 {
	_, h := d.pdf.GetPageSize()
	return h - footerMargin - 4
}

// ensure starts a new page unless height millimetres still fit on this one.
func (d *doc) ensure(height float64) {
	if d.pdf.GetY()+height > d.bottom() {
		d.pdf.AddPage()
	}
}

func (d *doc) title(text string) {
	d.pdf.SetFont(fontFamily, "", titleSize)
	d.pdf.CellFormat(0, 12, d.text(text), "", 1, "C", false, 0, "")
}

// heading starts a section. It keeps the heading on the page of the first
// lines that follow it.
func (d *doc) heading(text string) {
	d.ensure(8 + 3*lineHeight)
	d.pdf.Ln(3)
	d.pdf.SetFont(fontFamily, "", headingSize)
	d.pdf.SetTextColor(0x1f, 0x3a, 0x5f)
	d.pdf.CellFormat(0, 8, d.text(text), "B", 1, "L", false, 0, "")
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(1.5)
	d.pdf.SetFont(fontFamily, "", bodySize)
}

// paragraph writes text that wraps at the page width and flows onto the
// next page. Line breaks in text are kept.
func (d *doc) paragraph(text string) {
	d.pdf.SetFont(fontFamily, "", bodySize)
	d.lines(text, lineHeight)
}

// lines writes wrapped text at the left margin, one cell per line, so the
// automatic page break moves what does not fit onto the next page.
func (d *doc) lines(text string, height float64) {
	for _, line := range d.wrap(drawable(d.font, text, true), d.width()) {
		d.pdf.SetX(margin)
		d.pdf.CellFormat(d.width(), height, line, "", 1, "L", false, 0, "")
	}
}

// note writes a line of small grey text.
func (d *doc) note(text string) {
	d.pdf.SetFont(fontFamily, "", smallSize)
	d.pdf.SetTextColor(0x55, 0x55, 0x55)
	d.lines(text, lineHeight-1)
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetFont(fontFamily, "", bodySize)
}

// table is a grid of wrapped cells in columns of fixed width.
type table struct {
	d      *doc
	widths []float64 // in millimetres
	header []string
}

// table starts a table whose column widths are in proportion to shares
// and draws its header, if any.
func (d *doc) table(shares []float64, header ...string) *table {
	total := 0.0
	for _, s := range shares {
		total += s
	}
	widths := make([]float64, len(shares))
	for i, s := range shares {
		widths[i] = s / total * d.width()
	}
	t := &table{d: d, widths: widths, header: header}
	if len(header) > 0 {
		d.ensure(3 * lineHeight)
		t.drawHeader()
	}
	return t
}

func (t *table) drawHeader() {
	t.d.pdf.SetFillColor(0xe8, 0xee, 0xf5)
	t.drawRow(t.header, true)
	t.d.pdf.SetFillColor(0xff, 0xff, 0xff)
}

// row draws one row. A row that fits on a page is kept whole. A row taller
// than a page is split between pages, and the header is repeated on each.
func (t *table) row(cells ...string) { t.drawRow(cells, false) }

func (t *table) drawRow(cells []string, header bool) {
	pdf := t.d.pdf
	pdf.SetFont(fontFamily, "", bodySize)
	lines := make([][]string, len(t.widths))
	sizes := make([]float64, len(t.widths))
	maxLines := 1
	for i, w := range t.widths {
		text := ""
		if i < len(cells) {
			text = drawable(t.d.font, cells[i], true)
		}
		sizes[i] = t.d.cellFontSize(text, w)
		pdf.SetFontSize(sizes[i])
		lines[i] = t.d.wrap(text, w)
		maxLines = max(maxLines, len(lines[i]))
	}
	pdf.SetFontSize(bodySize)
	pageLines := int((t.d.bottom() - margin) / lineHeight)
	// A row starting near the top of a page gains nothing from a new page.
	fresh := pdf.GetY() < margin+2*lineHeight
	done := 0
	for done < maxLines {
		fits := int((t.d.bottom() - pdf.GetY()) / lineHeight)
		remaining := maxLines - done
		// Move a row that would fit on a fresh page there instead of
		// splitting it; split only rows longer than a page.
		if fits < remaining && !fresh && (remaining <= pageLines || fits < 1) {
			pdf.AddPage()
			fresh = true
			if !header && len(t.header) > 0 {
				t.drawHeader()
				pdf.SetFont(fontFamily, "", bodySize)
			}
			continue
		}
		n := min(remaining, max(fits, 1))
		y := pdf.GetY()
		x := margin
		for i, w := range t.widths {
			style := "D"
			if header {
				style = "FD"
			}
			pdf.Rect(x, y, w, float64(n)*lineHeight, style)
			pdf.SetFontSize(sizes[i])
			for k := 0; k < n; k++ {
				if line := done + k; line < len(lines[i]) {
					pdf.SetXY(x, y+float64(k)*lineHeight)
					pdf.CellFormat(w, lineHeight, lines[i][line], "", 0, "L", false, 0, "")
				}
			}
			x += w
		}
		pdf.SetFontSize(bodySize)
		pdf.SetXY(margin, y+float64(n)*lineHeight)
		done += n
		fresh = false
	}
}

// cellFontSize returns the body size, or a smaller one down to
// minCellSize at which the longest word of text fits a column width
// millimetres wide, so that English headers and values such as
// "Communication" are not cut mid-word. Text widths scale with the font
// size. It leaves the font at the body size.
func (d *doc) cellFontSize(text string, width float64) float64 {
	d.pdf.SetFontSize(bodySize)
	longest := d.longestWord(text)
	limit := width - 2*d.pdf.GetCellMargin()
	if longest <= limit {
		return bodySize
	}
	return max(minCellSize, bodySize*limit/longest*0.99)
}
