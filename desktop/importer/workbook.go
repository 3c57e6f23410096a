package importer

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/validate"
)

// maxUnzipBytes caps the unpacked size of a workbook, so that a small file
// that unpacks to gigabytes is rejected instead of filling the memory.
const maxUnzipBytes = 2 << 30

// readWorkbook reads the sheet that holds the list: the first sheet whose
// header row has 姓名 and an ID number column, else the first non-empty one.
func readWorkbook(data []byte) (*table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet")
	}
	defer f.Close()

	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError(ErrNotSpreadsheet, "import.file.not_spreadsheet") // a zip file such as a .docx
	}
	var chosen string
	var chosenRows [][]string
	for _, name := range sheets {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil || isBlankSheet(rows) {
			continue // a chart sheet or a sheet excelize cannot read
		}
		if chosen == "" {
			chosen, chosenRows = name, rows
		}
		if findHeader(textRows(rows)) >= 0 {
			chosen, chosenRows = name, rows
			break
		}
	}
	if chosen == "" {
		return nil, fileError(ErrEmpty, "import.file.empty")
	}

	r := &sheetReader{f: f, sheet: chosen, dateStyle: map[int]dateFormat{}}
	props, err := f.GetWorkbookProps()
	if err == nil && props.Date1904 != nil {
		r.date1904 = *props.Date1904
	}
	tbl := &table{sheet: chosen}
	for i, values := range chosenRows {
		row := tableRow{num: i + 1, cells: make([]Cell, len(values))}
		for col, v := range values {
			row.cells[col] = r.cell(col+1, i+1, v)
		}
		if !row.blank() {
			tbl.rows = append(tbl.rows, row)
		}
	}
	return tbl, nil
}

func isBlankSheet(rows [][]string) bool {
	for _, r := range rows {
		for _, v := range r {
			if trimSpace(v) != "" {
				return false
			}
		}
	}
	return true
}

// textRows wraps the raw values of a sheet as text cells, for finding the
// header before the cell types are read.
func textRows(rows [][]string) []tableRow {
	out := make([]tableRow, 0, min(len(rows), maxHeaderRow))
	for i, values := range rows[:min(len(rows), maxHeaderRow)] {
		row := tableRow{num: i + 1, cells: make([]Cell, len(values))}
		for col, v := range values {
			row.cells[col] = Cell{Text: v}
		}
		out = append(out, row)
	}
	return out
}

// sheetReader reads the type and number format of cells of one sheet.
type sheetReader struct {
	f         *excelize.File
	sheet     string
	date1904  bool
	dateStyle map[int]dateFormat // style index → its number format's kind
}

type dateFormat uint8

const (
	notDate dateFormat = iota + 1
	fullDate
	monthOnly
)

// cell returns the cell at col, row (both from 1) holding the raw value v.
// Only a value that parses as a number can be a number cell, so only those
// cost a look-up of the cell's type.
func (r *sheetReader) cell(col, row int, v string) Cell {
	c := Cell{Text: v}
	if v == "" {
		return c
	}
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return c
	}
	axis, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return c
	}
	typ, err := r.f.GetCellType(r.sheet, axis)
	if err != nil {
		return c
	}

	switch typ {
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		c.Number = true
	case excelize.CellTypeDate:
		// An ISO 8601 date cell, rare outside files written by programs.
		c.Date, _ = validate.ParseDate(strings.TrimSuffix(v, "Z"))
		return c
	default:
		return c
	}

	style, err := r.f.GetCellStyle(r.sheet, axis)
	if err != nil {
		return c
	}
	kind := r.formatOf(style)
	if kind == notDate {
		return c
	}
	d, err := validate.DateFromExcelSerial(serial, r.date1904)
	if err != nil {
		return c
	}
	if kind == monthOnly {
		d.Day = 0
	}
	c.Date = d
	return c
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
