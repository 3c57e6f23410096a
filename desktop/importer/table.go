package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"mobilefactory/shared/validate"
)

// ErrUnreadable is returned, wrapped in a *FileError together with the
// operating system's error, when the file cannot be opened or read.
var ErrUnreadable = errors.New("file cannot be read")

// Cell is one cell of a list as the file holds it.
type Cell struct {
	// Text is the cell's value. For an xlsx number cell it is the stored
	// number, such as 37755 for a date or 360102200305140000 for an ID
	// number that Excel rounded, never the text Excel shows.
	Text string
	// Number reports whether an xlsx cell holds a number rather than text.
	// CSV cells are always text.
	Number bool
	// Date is the date of an xlsx number cell whose number format shows a
	// date, read in the workbook's 1900 or 1904 date system. It is a month
	// (Day 0) when the format shows no day, as in yyyy"年"m"月".
	Date validate.Date
}

// AsDate returns the cell's date: Date for a date cell, else the text read
// by validate.ParseDate.
func (c Cell) AsDate() (validate.Date, error) {
	if !c.Date.IsZero() {
		return c.Date, nil
	}
	return validate.ParseDate(c.Text)
}

// table is a list as read from a file: its rows in file order with blank
// rows left out.
type table struct {
	rows     []tableRow
	merges   []mergeRange // merged cells of a workbook sheet
	encoding string       // of a text file
	sheet    string       // of a workbook
	// total counts the non-blank rows of the file or sheet, including
	// those left out of rows once the rowBudget ran out.
	total int
}

type tableRow struct {
	num    int  // row number as a spreadsheet shows it, from 1
	hidden bool // hidden in the workbook, by hand or by a filter
	cells  []Cell
	// quoteEnd is the last line of a CSV row whose unpaired quote made
	// encoding/csv read the following lines into one cell, else 0.
	quoteEnd int
}

// rowBudget bounds the rows the readers keep, so that a file over MaxRows
// is counted to the end without holding its rows. The first maxHeaderRow
// rows of each sheet are always kept, so that its header can be found.
type rowBudget struct{ left int }

func newRowBudget() *rowBudget { return &rowBudget{left: MaxRows + 1} }

// keep reports whether the n-th non-blank row (from 0) of a sheet is kept.
func (b *rowBudget) keep(n int) bool {
	if n < maxHeaderRow {
		return true
	}
	if b.left <= 0 {
		return false
	}
	b.left--
	return true
}

// cell returns the cell in column i, or an empty cell past the row's end.
func (r tableRow) cell(i int) Cell {
	if i < 0 || i >= len(r.cells) {
		return Cell{}
	}
	return r.cells[i]
}

// texts returns the row's cells as text: a date cell as its ISO date,
// every other cell as the file holds it.
func (r tableRow) texts() []string {
	out := make([]string, len(r.cells))
	for i, c := range r.cells {
		switch {
		case !c.Date.IsZero():
			out[i] = c.Date.String()
		case c.Number && significantDigits(c.Text) > 15:
			// Excel keeps 15 significant digits, so the stored number of
			// an ID number typed as a number is not the ID number. The
			// rejected-rows file shows it as Excel did, 3.60102E+17,
			// which a re-import rejects again instead of storing digits
			// Excel made up.
			out[i] = excelGeneral(c.Text)
		default:
			out[i] = c.Text
		}
	}
	return out
}

// significantDigits counts the digits of a number as stored, without
// leading zeros, the sign, the point and an exponent.
func significantDigits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	n, leading := 0, true
	for _, r := range s {
		switch {
		case r == '0' && leading:
		case r >= '0' && r <= '9':
			leading = false
			n++
		}
	}
	return n
}

func (r tableRow) blank() bool {
	for _, c := range r.cells {
		if trimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// ReadCells reads the list in an xlsx workbook or a CSV or TSV file: the
// first sheet ImportFile would read, or the whole text file. Row n of the
// spreadsheet is at index n-1, and a blank row is nil. A file of more
// rows than the readers keep returns a *FileError wrapping ErrTooManyRows.
func ReadCells(path string) ([][]Cell, error) {
	tbl, err := readTable(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if tbl.total > len(tbl.rows) {
		return nil, fileError(ErrTooManyRows, "import.file.too_many_rows", tbl.total, MaxRows)
	}
	last := tbl.rows[len(tbl.rows)-1].num
	out := make([][]Cell, last)
	for _, r := range tbl.rows {
		out[r.num-1] = r.cells
	}
	return out, nil
}

// Magic numbers at the start of files that people pick by mistake.
var (
	magicZip  = []byte("PK\x03\x04")
	magicOLE2 = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, .doc, encrypted .xlsx
	magicBin  = [][]byte{
		[]byte("%PDF"), []byte("\x89PNG"), {0xFF, 0xD8, 0xFF}, []byte("GIF8"),
		[]byte("Rar!"), {'7', 'z', 0xBC, 0xAF}, {0x1F, 0x8B},
	}
)

// readTable reads a file as one table: the first list sheet of a
// workbook, or the whole text file. The table has at least one row.
func readTable(ctx context.Context, path string) (*table, error) {
	tables, _, err := readTables(ctx, path, headerMatcher{})
	if err != nil {
		return nil, err
	}
	return tables[0], nil
}

// readTables reads a file as tables, choosing the reader by the file's
// content, not by its name. A text file is one table. A workbook gives
// one table per sheet whose header has the required columns by m, in
// workbook order, and the names of its other non-empty sheets, which are
// ignored. A workbook without such a sheet gives its first non-empty
// sheet, so that the missing columns can be reported. Each table has at
// least one row.
func readTables(ctx context.Context, path string, m headerMatcher) ([]*table, []string, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, fileError(ErrEmpty, "import.file.empty")
	}

	var tables []*table
	var ignored []string
	switch {
	case bytes.HasPrefix(data, magicZip):
		tables, ignored, err = readWorkbook(ctx, data, m)
	case bytes.HasPrefix(data, magicOLE2):
		tables, ignored, err = readXLS(ctx, data, m)
	case hasBinaryMagic(data):
		return nil, nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	default:
		var tbl *table
		tbl, err = readText(data)
		tables = []*table{tbl}
	}
	if err != nil {
		return nil, nil, err
	}
	if len(tables) == 0 || len(tables[0].rows) == 0 {
		return nil, nil, fileError(ErrEmpty, "import.file.empty")
	}
	return tables, ignored, nil
}

// chooseSheets returns the indexes of the sheets to read among n, by their
// top rows, and the names of the non-empty sheets left out.
func chooseSheets(n int, top func(i int) ([]tableRow, error), name func(i int) string, m headerMatcher) ([]int, []string, error) {
	var lists, others []int
	for i := range n {
		rows, err := top(i)
		if err != nil {
			return nil, nil, err
		}
		if len(rows) == 0 {
			continue
		}
		if h, _ := findHeader(rows, nil, m); h >= 0 {
			lists = append(lists, i)
		} else {
			others = append(others, i)
		}
	}
	if len(lists) == 0 && len(others) > 0 {
		lists, others = others[:1], others[1:]
	}
	ignored := make([]string, len(others))
	for j, i := range others {
		ignored[j] = name(i)
	}
	return lists, ignored, nil
}

// readLimited reads the whole file after checking it is at most
// MaxFileBytes long.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(fmt.Errorf("%w: %w", ErrUnreadable, err), "import.file.unreadable")
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return nil, fileError(fmt.Errorf("%w: %w", ErrUnreadable, err), "import.file.unreadable")
	}
	if info.IsDir() {
		return nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	if info.Size() > MaxFileBytes {
		return nil, fileError(ErrTooLarge, "import.file.too_large", info.Size()>>20, MaxFileBytes>>20)
	}
	// Read one byte past the limit, in case the file grew since Stat.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fileError(fmt.Errorf("%w: %w", ErrUnreadable, err), "import.file.unreadable")
	}
	if len(data) > MaxFileBytes {
		return nil, fileError(ErrTooLarge, "import.file.too_large", len(data)>>20, MaxFileBytes>>20)
	}
	return data, nil
}

func hasBinaryMagic(data []byte) bool {
	for _, m := range magicBin {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return false
}
