package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Text encodings readText reports in Result.Encoding.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
	EncodingGB18030 = "GB18030"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// readText reads CSV or TSV text in any encoding decodeText detects.
func readText(data []byte) (*table, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if looksLikeMarkup(text) {
		return nil, fileError(ErrNotSpreadsheet, "import.file.markup")
	}
	if looksBinary(text) {
		return nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	rows, total, err := parseDelimited(text)
	if err != nil {
		return nil, err
	}
	return &table{rows: rows, encoding: enc, total: total}, nil
}

// decodeText detects the encoding of data and returns the text in UTF-8.
// A byte order mark decides, then the pattern of zero bytes that UTF-16
// text without a mark has, then UTF-8 validity. Anything else is read as
// GB18030, the superset of GBK and GB2312 that Excel on Chinese Windows
// writes. A GBK code of the user-defined area decodes to a private-use
// character and an invalid byte to U+FFFD, both without an error:
// hasPrivateUse and hasUnrepresentable find them in the cells.
func decodeText(data []byte) (text, encoding string, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return string(data[len(bomUTF8):]), EncodingUTF8, nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(data, xunicode.LittleEndian, EncodingUTF16LE)
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data, xunicode.BigEndian, EncodingUTF16BE)
	}
	if order, ok := utf16WithoutBOM(data); ok {
		if order == xunicode.LittleEndian {
			return decodeUTF16(data, order, EncodingUTF16LE)
		}
		return decodeUTF16(data, order, EncodingUTF16BE)
	}
	if utf8.Valid(data) {
		return string(data), EncodingUTF8, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	return string(out), EncodingGB18030, nil
}

func decodeUTF16(data []byte, order xunicode.Endianness, name string) (string, string, error) {
	dec := xunicode.UTF16(order, xunicode.UseBOM).NewDecoder()
	out, err := dec.Bytes(data)
	if err != nil {
		return "", "", fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	return string(out), name, nil
}

// utf16WithoutBOM reports whether data looks like UTF-16 without a byte
// order mark. Most characters of a list (digits, separators, line ends)
// have a zero high byte in UTF-16, and UTF-8 or GB18030 text has no zero
// bytes at all.
func utf16WithoutBOM(data []byte) (xunicode.Endianness, bool) {
	n := min(len(data), 1024) &^ 1
	if n < 4 {
		return xunicode.LittleEndian, false
	}
	var zeroEven, zeroOdd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			zeroEven++
		}
		if data[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*3 >= pairs && zeroEven*10 < pairs:
		return xunicode.LittleEndian, true
	case zeroEven*3 >= pairs && zeroOdd*10 < pairs:
		return xunicode.BigEndian, true
	}
	return xunicode.LittleEndian, false
}

// looksLikeMarkup reports whether text is a web page or XML, as some
// systems export a table as HTML named .xls.
func looksLikeMarkup(text string) bool {
	head := strings.ToLower(strings.TrimLeftFunc(text[:min(len(text), 512)], unicode.IsSpace))
	for _, prefix := range []string{"<html", "<!doctype", "<?xml", "<table", "<head", "<meta"} {
		if strings.HasPrefix(head, prefix) {
			return true
		}
	}
	return false
}

// looksBinary reports whether text holds a zero character or more than 1%
// control characters besides tab, CR and LF, as text decoded from a binary
// file does.
func looksBinary(text string) bool {
	var control, total int
	for _, r := range text {
		total++
		if r == 0 {
			return true
		}
		if unicode.IsControl(r) && r != '\t' && r != '\r' && r != '\n' {
			control++
		}
	}
	return control*100 > total
}

// parseDelimited splits text into rows. The separator is the one of comma,
// tab and semicolon that occurs most in the first line, or the one an
// Excel "sep=;" first line names. Row numbers count lines as Excel does when
// it opens the file: a blank line is a row, and a quoted cell spanning lines
// is one row.
//
// It also returns the count of non-blank rows, of which it keeps only as
// many as a rowBudget allows. A row with a cell that holds a line break
// followed by a separator gets its quoteEnd set: an unpaired quote made
// encoding/csv read the lines after it into that cell.
func parseDelimited(text string) ([]tableRow, int, error) {
	if !strings.Contains(text, "\n") {
		text = strings.ReplaceAll(text, "\r", "\n") // classic Mac line ends
	}
	sep, skipLine := sniffSeparator(text)
	if skipLine {
		_, text, _ = strings.Cut(text, "\n")
	}

	if line, n := widestLine(text, sep); n > maxColumns {
		return nil, 0, fileError(ErrTooLarge, "import.file.too_many_columns", line, maxColumns)
	}

	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.LazyQuotes = true
	r.FieldsPerRecord = -1

	var rows []tableRow
	cellCount, total := 0, 0
	budget := newRowBudget()
	// extraLines counts the line breaks inside quoted cells so far, which
	// encoding/csv counts as lines and Excel does not count as rows.
	extraLines := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
		}
		startLine, _ := r.FieldPos(0)
		lastLine, _ := r.FieldPos(len(rec) - 1)
		endLine := lastLine + strings.Count(rec[len(rec)-1], "\n")

		row := tableRow{num: startLine - extraLines, cells: textCells(rec)}
		if lines := swallowedLines(rec, sep); lines > 0 {
			row.quoteEnd = row.num + lines
		}
		extraLines += endLine - startLine

		if row.blank() {
			continue
		}
		total++
		if !budget.keep(total - 1) {
			continue
		}
		if cellCount += len(row.cells); cellCount > maxCells {
			return nil, 0, fileError(ErrTooLarge, "import.file.too_many_cells", maxCells)
		}
		rows = append(rows, row)
	}
	return rows, total, nil
}

// swallowedLines returns the lines after the first that the fields of rec
// hold, not counting line breaks at a field's end, when a field holds a
// line break followed by text with the separator, and 0 otherwise. A cell
// typed with line breaks (Alt+Enter in Excel) rarely holds an ASCII
// separator on a later line, but the lines an unpaired quote ran over do.
func swallowedLines(rec []string, sep rune) int {
	broken := false
	lines := 0
	for _, field := range rec {
		field = strings.TrimRight(field, "\r\n")
		if i := strings.IndexByte(field, '\n'); i >= 0 && strings.ContainsRune(field[i:], sep) {
			broken = true
		}
		lines += strings.Count(field, "\n")
	}
	if !broken {
		return 0
	}
	return lines
}

// textCells returns the fields of a record as cells, without the empty
// fields at its end.
func textCells(rec []string) []Cell {
	n := len(rec)
	for n > 0 && rec[n-1] == "" {
		n--
	}
	cells := make([]Cell, n)
	for i, v := range rec[:n] {
		cells[i] = Cell{Text: v}
	}
	return cells
}

// widestLine returns the first line (from 1) with the most separators and
// one more than their count, the columns it would have if none were quoted.
func widestLine(text string, sep rune) (line, columns int) {
	for i, rest := 1, text; rest != ""; i++ {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if c := strings.Count(l, string(sep)) + 1; c > columns {
			line, columns = i, c
		}
	}
	return line, columns
}

// sniffSeparator returns the separator of the first non-blank line, and
// whether that line is an Excel "sep=X" line to skip.
func sniffSeparator(text string) (rune, bool) {
	first := text
	for first != "" {
		var line string
		line, first, _ = strings.Cut(first, "\n")
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "sep="); ok && utf8.RuneCountInString(rest) == 1 {
			sep, _ := utf8.DecodeRuneInString(rest)
			return sep, true
		}
		return mostFrequentSeparator(line), false
	}
	return ',', false
}

func mostFrequentSeparator(line string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == '\t' || r == ';'):
			counts[r]++
		}
	}
	best := ','
	for _, sep := range []rune{'\t', ';'} {
		if counts[sep] > counts[best] {
			best = sep
		}
	}
	return best
}
