package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

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
}

type tableRow struct {
	num   int // row number as a spreadsheet shows it, from 1
	cells []Cell
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
		if !c.Date.IsZero() {
			out[i] = c.Date.String()
			continue
		}
		out[i] = c.Text
	}
	return out
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
// sheet ImportFile would choose, or the whole text file. Row n of the
// spreadsheet is at index n-1, and a blank row is nil.
func ReadCells(path string) ([][]Cell, error) {
	tbl, err := readTable(context.Background(), path)
	if err != nil {
		return nil, err
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

// readTable reads a file as a table, choosing the reader by the file's
// content, not by its name. The table has at least one row.
func readTable(ctx context.Context, path string) (*table, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileError(ErrEmpty, "import.file.empty")
	}

	var tbl *table
	switch {
	case bytes.HasPrefix(data, magicZip):
		tbl, err = readWorkbook(ctx, data)
	case bytes.HasPrefix(data, magicOLE2):
		tbl, err = readXLS(ctx, data)
	case hasBinaryMagic(data):
		return nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	default:
		tbl, err = readText(data)
	}
	if err != nil {
		return nil, err
	}
	if len(tbl.rows) == 0 {
		return nil, fileError(ErrEmpty, "import.file.empty")
	}
	return tbl, nil
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
