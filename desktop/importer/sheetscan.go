package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxColumns is Excel's column limit (XFD). A cell beyond it is invalid.
const maxColumns = 16384

// maxCells caps the cells a table keeps, about 250 MB of memory: 100,000
// rows of 50 columns. Trailing empty cells of a row do not count. It is a
// variable so that tests can lower it.
var maxCells = 5_000_000

// rawCell is a cell as the sheet XML holds it.
type rawCell struct {
	col   int    // from 1
	typ   string // the t attribute: "" or n (number), s, inlineStr, str, b, e, d
	style int    // the s attribute, an index into the cell formats
	value string // the v element, or the text of an inline string
}

// scanSheet streams the sheet XML and calls row for each row that has a
// cell, with its row number (from 1) and cells, until row returns false.
// The cells slice is reused between calls.
func scanSheet(r io.Reader, row func(num int, cells []rawCell) bool) error {
	return scanSheetMerges(r, func(num int, _ bool, cells []rawCell) bool { return row(num, cells) }, nil)
}

// scanSheetMerges is scanSheet that also passes row whether the row is
// hidden (by hand or by a filter), and calls merge, when not nil, for each
// merged cell of the <mergeCells> list after the sheet data. Those come
// only when row never returned false.
func scanSheetMerges(r io.Reader, row func(num int, hidden bool, cells []rawCell) bool, merge func(mergeRange)) error {
	d := xml.NewDecoder(r)
	var (
		cells         []rawCell
		cur           rawCell
		rowNum, col   int
		inCell, inRow bool
		hidden        bool // the current row has hidden="1"
		inValue, inT  bool
		phonetic      int
		value         strings.Builder
		started       bool // the start of sheetData was seen
		complete      bool // the end of sheetData was seen
	)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) && started && !complete {
			return errors.New("parsing sheet: the sheet data ends early")
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parsing sheet: %w", err)
		}

		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheetData":
				started = true
			case "row":
				inRow, cells, col, hidden = true, cells[:0], 0, false
				rowNum++
				for _, a := range t.Attr {
					if a.Name.Local == "hidden" && (a.Value == "1" || a.Value == "true") {
						hidden = true
					}
				}
				if n, ok := attrInt(t.Attr, "r"); ok {
					if n < rowNum {
						return fmt.Errorf("parsing sheet: row %d after row %d", n, rowNum-1)
					}
					rowNum = n
				}
			case "c":
				if !inRow {
					continue
				}
				inCell = true
				cur = rawCell{col: col + 1}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "r":
						if c := columnOf(a.Value); c > 0 {
							cur.col = c
						}
					case "t":
						cur.typ = a.Value
					case "s":
						cur.style, _ = strconv.Atoi(a.Value)
					}
				}
				if cur.col > maxColumns {
					return fmt.Errorf("parsing sheet: column %d past the last column, %d", cur.col, maxColumns)
				}
				col = cur.col
				value.Reset()
			case "v":
				inValue = inCell
			case "t":
				inT = inCell
			case "rPh":
				phonetic++
			case "mergeCell":
				if merge == nil {
					continue
				}
				for _, a := range t.Attr {
					if a.Name.Local == "ref" {
						if m, ok := parseMergeRef(a.Value); ok {
							merge(m)
						}
					}
				}
			}

		case xml.EndElement:
			switch t.Name.Local {
			case "sheetData":
				complete = true
			case "row":
				inRow = false
				if len(cells) > 0 && !row(rowNum, hidden, cells) {
					return nil
				}
			case "c":
				if inCell {
					cur.value = value.String()
					if cur.value != "" {
						cells = append(cells, cur)
					}
				}
				inCell = false
			case "v":
				inValue = false
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}

		case xml.CharData:
			if inValue || (inT && phonetic == 0) {
				value.Write(t)
			}
		}
	}
}

// columnOf returns the column number of a cell reference such as AB12, or
// 0 when ref does not start with letters.
func columnOf(ref string) int {
	col := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
		if col > maxColumns {
			return maxColumns + 1
		}
	}
	return col
}

func attrInt(attrs []xml.Attr, name string) (int, bool) {
	for _, a := range attrs {
		if a.Name.Local == name {
			n, err := strconv.Atoi(a.Value)
			return n, err == nil && n > 0
		}
	}
	return 0, false
}

// decodeEscapes replaces the _xHHHH_ escapes that Excel writes for control
// characters such as a carriage return (_x000D_) with the characters.
func decodeEscapes(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "_x")
		if i < 0 || len(s) < i+7 {
			break
		}
		n, err := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if err != nil || s[i+6] != '_' {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteRune(rune(n))
		s = s[i+7:]
	}
	b.WriteString(s)
	return b.String()
}

// parseMergeRef reads the range of a merged cell, such as B1:C1.
func parseMergeRef(ref string) (mergeRange, bool) {
	from, to, ok := strings.Cut(ref, ":")
	if !ok {
		return mergeRange{}, false
	}
	top, left, ok1 := cellRef(from)
	bottom, right, ok2 := cellRef(to)
	if !ok1 || !ok2 || bottom < top || right < left {
		return mergeRange{}, false
	}
	return mergeRange{top: top, left: left, bottom: bottom, right: right}, true
}

// cellRef splits a cell reference such as AB12 into row 12 and column 28.
func cellRef(ref string) (row, col int, ok bool) {
	col = columnOf(ref)
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if col < 1 || col > maxColumns || i < 0 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(ref[i:])
	return row, col, err == nil && row > 0
}
