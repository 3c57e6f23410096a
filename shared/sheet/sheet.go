// Package sheet writes lists as xlsx workbooks for Excel and WPS on
// Chinese Windows. The header row is bold and stays in view when the list
// scrolls. Digit strings that are no quantity (resident ID numbers, phones,
// student numbers) are text cells, and column widths fit the text.
// It has no Fyne import, so both programs use it.
package sheet

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/i18n"
)

// Errors Write returns, wrapped in a *WriteError whose message names the
// path and what to do.
var (
	// ErrExists is returned when the output file exists. Write never
	// replaces a file, so a list cannot destroy one picked by mistake.
	ErrExists = errors.New("output file exists")
	// ErrFolderMissing is returned when the output file's folder does not
	// exist. Write creates no folders, so a mistyped path is caught.
	ErrFolderMissing = errors.New("output folder missing")
	// ErrPermission is returned when the folder may not be written.
	ErrPermission = errors.New("no permission to write the output folder")
	// ErrNotFolder is returned when a part of the folder path is a file.
	ErrNotFolder = errors.New("output folder is a file")
	// ErrDiskFull is returned when the disk ran out of space mid-write.
	ErrDiskFull = errors.New("disk full")
)

// TextFormat is Excel's built-in number format 49, "@": the cell contains
// text, so Excel neither rounds an 18-digit ID number to 3.60102E+17 nor
// drops the leading zero of a student number.
const TextFormat = 49

// Column widths in Excel's character units: a CJK character counts two.
const (
	minWidth = 6
	maxWidth = 60
)

// widthSampleRows is how many data rows Write measures to size a column,
// so a list of 100,000 rows is not measured twice.
const widthSampleRows = 1000

// Column is one column of a Table.
type Column struct {
	Header string
	// Text marks a column of digit strings that are no quantity, written
	// as text cells with TextFormat.
	Text bool
	// Number marks a column of quantities, such as a rank or a score. A
	// value that parses as a decimal number is written as a number cell,
	// so Excel sorts and sums it, and any other value as text.
	Number bool
	// Width is in Excel's character units. Zero fits the header and the
	// first rows.
	Width float64
}

// Table is a list to write: one sheet with a header row and data rows.
// Each row has at most len(Columns) cells; a shorter row leaves the rest
// empty.
type Table struct {
	Sheet   string // the sheet's name; empty keeps Excel's default
	Columns []Column
	Rows    [][]string
}

// WriteError is a failed Write with the path it concerns. Its message is
// for the user, in the current locale.
type WriteError struct {
	Path string
	// Err is one of the package's sentinel errors, or a file system error
	// that the message maps to one when it can.
	Err error
}

func (e *WriteError) Error() string {
	dir := filepath.Dir(e.Path)
	err := classify(e.Err)
	switch {
	case errors.Is(err, ErrExists):
		return i18n.T("sheet.exists", e.Path)
	case errors.Is(err, ErrFolderMissing):
		return i18n.T("sheet.folder_missing", dir)
	case errors.Is(err, ErrPermission):
		return i18n.T("sheet.no_permission", dir)
	case errors.Is(err, ErrNotFolder):
		return i18n.T("sheet.not_folder", dir)
	case errors.Is(err, ErrDiskFull):
		return i18n.T("sheet.disk_full", dir)
	}
	return i18n.T("sheet.write_failed", e.Path, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// Write saves t as a new xlsx file at path. It never replaces an existing
// file: the file is created exclusively, and a file of that name returns
// ErrExists. A write that fails removes the part written.
func Write(path string, t Table) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return &WriteError{Path: path, Err: classify(err)}
	}
	if err := writeTo(out, t); err != nil {
		out.Close()
		os.Remove(path)
		return &WriteError{Path: path, Err: classify(err)}
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(path)
		return &WriteError{Path: path, Err: classify(err)}
	}
	if err := out.Close(); err != nil {
		os.Remove(path)
		return &WriteError{Path: path, Err: classify(err)}
	}
	return nil
}

// classify maps a file system error to the package's sentinel errors.
func classify(err error) error {
	switch {
	case errors.Is(err, fs.ErrExist):
		return ErrExists
	case errors.Is(err, fs.ErrNotExist):
		return ErrFolderMissing
	case errors.Is(err, fs.ErrPermission):
		return ErrPermission
	case errors.Is(err, syscall.ENOTDIR):
		return ErrNotFolder
	case errors.Is(err, syscall.ENOSPC):
		return ErrDiskFull
	}
	return err
}

// writeTo streams t as a workbook to out.
func writeTo(out *os.File, t Table) error {
	f := excelize.NewFile()
	defer f.Close()

	sheet := f.GetSheetName(0)
	if name := sheetName(t.Sheet); name != "" {
		if err := f.SetSheetName(sheet, name); err != nil {
			return fmt.Errorf("naming the sheet: %w", err)
		}
		sheet = name
	}
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("making the header style: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: TextFormat})
	if err != nil {
		return fmt.Errorf("making the text style: %w", err)
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("starting the sheet: %w", err)
	}
	if err := setColumns(sw, t, text); err != nil {
		return err
	}
	// Freeze the header row: the panes split below row 1.
	err = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err != nil {
		return fmt.Errorf("freezing the header row: %w", err)
	}

	cells := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		cells[i] = excelize.Cell{StyleID: header, Value: CellText(c.Header)}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return fmt.Errorf("writing the header row: %w", err)
	}
	for r, row := range t.Rows {
		clear(cells)
		for i, value := range row[:min(len(row), len(t.Columns))] {
			if value == "" {
				continue
			}
			cells[i] = cellValue(t.Columns[i], value, text)
		}
		ref, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return fmt.Errorf("writing row %d: %w", r+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finishing the sheet: %w", err)
	}
	if err := f.Write(out); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}

// cellValue returns what the stream writer writes for value in column c.
func cellValue(c Column, value string, textStyle int) any {
	if c.Text {
		return excelize.Cell{StyleID: textStyle, Value: CellText(value)}
	}
	if c.Number {
		if f, err := strconv.ParseFloat(value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
	}
	return CellText(value)
}

// setColumns sets each column's width, and the text format as the style of
// text columns, so a value typed later into an empty row is text too.
func setColumns(sw *excelize.StreamWriter, t Table, text int) error {
	for i, c := range t.Columns {
		col := i + 1
		w := c.Width
		if w <= 0 {
			w = fitWidth(t, i)
		}
		if err := sw.SetColWidth(col, col, w); err != nil {
			return fmt.Errorf("setting the width of column %d: %w", col, err)
		}
		if c.Text {
			if err := sw.SetColStyle(col, col, text); err != nil {
				return fmt.Errorf("setting the style of column %d: %w", col, err)
			}
		}
	}
	return nil
}

// fitWidth returns a width for column i that shows its header and the
// values of the first widthSampleRows rows whole, within minWidth and
// maxWidth.
func fitWidth(t Table, i int) float64 {
	n := i18n.DisplayWidth(t.Columns[i].Header)
	for _, row := range t.Rows[:min(len(t.Rows), widthSampleRows)] {
		if i < len(row) {
			n = max(n, i18n.DisplayWidth(row[i]))
		}
	}
	// Two more for the cell's padding and the header's bold face.
	return float64(min(max(n+2, minWidth), maxWidth))
}

// CellText returns s as a cell can contain it. It drops the control
// characters XML 1.0 forbids, U+FFFE, U+FFFF and invalid UTF-8, which a
// record pasted from a broken file may contain. It cuts s to the 32,767
// characters an Excel cell holds.
func CellText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return -1
		case r == 0xFFFE || r == 0xFFFF, r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > excelize.TotalCellChars {
		s = string([]rune(s)[:excelize.TotalCellChars])
	}
	return s
}

// maxSheetNameRunes is the longest sheet name Excel accepts.
const maxSheetNameRunes = 31

// sheetName returns name as Excel accepts it for a sheet: without the
// characters []:*?/\ and cut to 31 characters.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return -1
		}
		return r
	}, CellText(name))
	if r := []rune(name); len(r) > maxSheetNameRunes {
		name = string(r[:maxSheetNameRunes])
	}
	return strings.Trim(name, "'")
}
