package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/validate"
)

// maxUnzipBytes caps the unpacked size of a workbook, so that a small file
// that unpacks to gigabytes is rejected instead of filling the memory.
const maxUnzipBytes = 2 << 30

// readWorkbook reads the sheets that hold a list, as readTables
// describes. excelize checks the file and reads the styles and the date
// system, and the rows are streamed from the sheet XML (see xlsxparts.go).
func readWorkbook(ctx context.Context, data []byte, m headerMatcher) ([]*table, []string, error) {
	notWorkbook := fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, nil, notWorkbook
	}
	defer f.Close()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, notWorkbook
	}
	pkg, err := openPackage(zr)
	if err != nil || len(pkg.sheets) == 0 {
		return nil, nil, notWorkbook // a zip file such as a .docx
	}
	shared, err := pkg.readSharedStrings()
	if err != nil {
		return nil, nil, notWorkbook
	}

	r := &sheetReader{f: f, shared: shared, dateStyle: map[int]dateFormat{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		r.date1904 = *props.Date1904
	}

	// Only the top rows of each sheet are read to find the header.
	chosen, ignored, err := chooseSheets(len(pkg.sheets), func(i int) ([]tableRow, error) {
		top, _, _, err := r.readSheet(ctx, pkg, pkg.sheets[i], maxHeaderRow, nil)
		return top, err
	}, func(i int) string { return pkg.sheets[i].name }, m)
	if err != nil {
		return nil, nil, err
	}
	if len(chosen) == 0 {
		return nil, nil, fileError(ErrEmpty, "import.file.empty")
	}

	budget := newRowBudget()
	tables := make([]*table, 0, len(chosen))
	for _, i := range chosen {
		rows, merges, total, err := r.readSheet(ctx, pkg, pkg.sheets[i], -1, budget)
		if err != nil {
			return nil, nil, err
		}
		fillMerges(rows, merges)
		tables = append(tables, &table{rows: rows, merges: merges, sheet: pkg.sheets[i].name, total: total})
	}
	return tables, ignored, nil
}

// readSheet returns the non-blank rows of a sheet, at most limit of them
// unless limit is negative, and, when it read the whole sheet, its merged
// cells and the count of its non-blank rows. A row the budget, when not
// nil, does not keep is counted and left out. It stops with ctx.Err() when
// ctx ends.
func (r *sheetReader) readSheet(ctx context.Context, pkg *xlsxPackage, sheet sheetPart, limit int,
	budget *rowBudget) ([]tableRow, []mergeRange, int, error) {
	part, err := pkg.open(sheet.path)
	if err != nil {
		return nil, nil, 0, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	defer part.Close()

	var rows []tableRow
	var merges []mergeRange
	cellCount, total := 0, 0
	tooMany := false
	var ctxErr error
	scanned := 0
	err = scanSheetMerges(part, func(num int, hidden bool, raw []rawCell) bool {
		if scanned++; scanned%1024 == 1 {
			if ctxErr = ctx.Err(); ctxErr != nil {
				return false
			}
		}
		row := tableRow{num: num, hidden: hidden, cells: make([]Cell, raw[len(raw)-1].col)}
		for _, rc := range raw {
			row.cells[rc.col-1] = r.cell(rc)
		}
		if row.blank() {
			return true
		}
		total++
		if budget != nil && !budget.keep(total-1) {
			return true
		}
		if cellCount += len(row.cells); cellCount > maxCells {
			tooMany = true
			return false
		}
		rows = append(rows, row)
		return limit < 0 || len(rows) < limit
	}, func(m mergeRange) {
		if len(merges) < maxMerges {
			merges = append(merges, m)
		}
	})
	switch {
	case ctxErr != nil:
		return nil, nil, 0, ctxErr
	case tooMany:
		return nil, nil, 0, fileError(ErrTooLarge, "import.file.too_many_cells", maxCells)
	case err != nil:
		return nil, nil, 0, fileError(fmt.Errorf("%w: %w", ErrNotSpreadsheet, err), "import.file.not_spreadsheet")
	}
	return rows, merges, total, nil
}

// maxMerges caps the merged cells read from a sheet; a list has a few in
// its title and header.
const maxMerges = 10_000

// maxMergeWidth caps the columns a merged cell's value is copied into, so
// that a merge over a whole row does not make 16,384 cells per row.
const maxMergeWidth = 256

// fillMerges copies the value of each merged cell, which the sheet holds
// in its top-left cell only, into the empty cells of its range in the rows
// read. Rows the sheet left out, being blank, stay out.
func fillMerges(rows []tableRow, merges []mergeRange) {
	if len(merges) == 0 {
		return
	}
	byNum := make(map[int]int, len(rows))
	for i, r := range rows {
		byNum[r.num] = i
	}
	for _, m := range merges {
		first, ok := byNum[m.top]
		if !ok {
			continue
		}
		value := rows[first].cell(m.left - 1)
		if value.Text == "" {
			continue
		}
		right := min(m.right, m.left+maxMergeWidth-1)
		for num := m.top; num <= m.bottom; num++ {
			i, ok := byNum[num]
			if !ok {
				continue
			}
			row := &rows[i]
			if len(row.cells) < right {
				row.cells = append(row.cells, make([]Cell, right-len(row.cells))...)
			}
			for c := m.left - 1; c < right; c++ {
				if row.cells[c].Text == "" {
					row.cells[c] = value
				}
			}
		}
	}
}

// sheetReader turns the cells of a workbook's sheets into Cells.
type sheetReader struct {
	f         *excelize.File
	shared    []string // shared string table
	date1904  bool
	dateStyle map[int]dateFormat // style index → its number format's kind
}

type dateFormat uint8

const (
	notDate dateFormat = iota + 1
	fullDate
	monthOnly
)

// cell returns the Cell of a cell of the sheet XML. Text is the stored
// value: the string of a string cell, the number of a number cell.
func (r *sheetReader) cell(rc rawCell) Cell {
	switch rc.typ {
	case "s":
		i, err := strconv.Atoi(rc.value)
		if err != nil || i < 0 || i >= len(r.shared) {
			return Cell{}
		}
		return Cell{Text: decodeEscapes(r.shared[i])}
	case "inlineStr", "str":
		return Cell{Text: decodeEscapes(rc.value)}
	case "d":
		// An ISO 8601 date cell, rare outside files written by programs.
		d, _ := validate.ParseDate(strings.TrimSuffix(rc.value, "Z"))
		return Cell{Text: rc.value, Date: d}
	case "", "n":
	default: // b (boolean) and e (error, such as #N/A)
		return Cell{Text: rc.value}
	}

	c := Cell{Text: rc.value, Number: true}
	kind := r.formatOf(rc.style)
	if kind == notDate {
		return c
	}
	serial, err := strconv.ParseFloat(rc.value, 64)
	if err != nil {
		return c
	}
	c.Date = dateOfSerial(serial, r.date1904, kind)
	return c
}

// dateOfSerial returns the date of an Excel serial number shown in a
// format of the given kind, with Day 0 for monthOnly, or the zero Date
// when the serial is no date.
func dateOfSerial(serial float64, date1904 bool, kind dateFormat) validate.Date {
	d, err := validate.DateFromExcelSerial(serial, date1904)
	if err != nil {
		return validate.Date{}
	}
	if kind == monthOnly {
		d.Day = 0
	}
	return d
}

func (r *sheetReader) formatOf(style int) dateFormat {
	if kind, ok := r.dateStyle[style]; ok {
		return kind
	}
	kind := notDate
	if s, err := r.f.GetStyle(style); err == nil {
		switch {
		case s.CustomNumFmt != nil:
			kind = dateFormatOfCode(*s.CustomNumFmt)
		default:
			kind = builtInDateFormats[s.NumFmt]
		}
	}
	if kind == 0 {
		kind = notDate
	}
	r.dateStyle[style] = kind
	return kind
}

// builtInDateFormats are the built-in number formats that show a date, with
// the meaning Excel on Chinese (zh-CN) Windows gives the ids 27 to 58. The
// time-only formats (18 to 21, 32 to 35, 45 to 47, 55, 56) are not dates.
var builtInDateFormats = map[int]dateFormat{
	14: fullDate, 15: fullDate, 16: fullDate, 17: monthOnly, 22: fullDate,
	27: monthOnly, 28: fullDate, 29: fullDate, 30: fullDate, 31: fullDate,
	36: monthOnly, 50: monthOnly, 51: fullDate, 52: monthOnly, 53: fullDate,
	54: fullDate, 57: monthOnly, 58: fullDate,
}

// dateFormatOfCode reads a custom number format code such as
// yyyy"年"m"月"d"日". Quoted text, escaped characters and bracketed parts
// such as colours and locales are skipped, and only the first section
// counts. A code with a year or a day is a date.
func dateFormatOfCode(code string) dateFormat {
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case quoted:
			quoted = c != '"'
		case bracket:
			bracket = c != ']'
		case c == '"':
			quoted = true
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal or padding
		case c == ';':
			i = len(code)
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	s := strings.ReplaceAll(b.String(), "general", "")
	hasYear := strings.ContainsRune(s, 'y')
	hasDay := strings.ContainsRune(s, 'd')
	switch {
	case hasDay:
		return fullDate
	case hasYear:
		return monthOnly
	}
	return notDate
}
