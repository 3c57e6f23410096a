package importer

import (
	"strconv"
	"strings"

	"mobilefactory/shared/i18n"
	"mobilefactory/shared/sheet"
)

// WriteErrors saves errs as an xlsx workbook with the columns 行号 (row),
// 列 (column), 原值 (value) and 问题 (problem), headed in the current
// locale, so that the clerk can fix the rows in Excel. Values are text
// cells, so that an ID number stays as typed. It never replaces a file:
// the error is a *sheet.WriteError, whose message names the path.
func WriteErrors(path string, errs []RowError) error {
	t := sheet.Table{
		Sheet: i18n.T("import.report.sheet"),
		Columns: []sheet.Column{
			{Header: i18n.T("import.report.row"), Number: true, Width: 8},
			{Header: i18n.T("import.report.column"), Width: 16},
			{Header: i18n.T("import.report.value"), Text: true, Width: 28},
			{Header: i18n.T("import.report.problem"), Width: 90},
		},
		Rows: make([][]string, len(errs)),
	}
	for i, e := range errs {
		t.Rows[i] = []string{strconv.Itoa(e.Row), e.Column, e.Value, e.Message}
	}
	return sheet.Write(path, t)
}

// WriteRejected saves the rejected rows as an xlsx workbook the user can
// fix and import again. It has the file's header in one row, each rejected
// row's cells as text, and a last column 问题 with the row's problems,
// which the import ignores. The 问题 column of an earlier rejected-rows file is left
// out. Rows read from several sheets go into one sheet under the headers
// of all those sheets. Its first column, 工作表, names each row's sheet,
// and the import ignores it too. It never replaces a file: the error is a
// *sheet.WriteError, whose message names the path.
func (p *Plan) WriteRejected(path string) error {
	if len(p.sheetColumns) > 1 {
		return sheet.Write(path, p.rejectedAcrossSheets())
	}
	width := 0
	for _, c := range p.Columns {
		width = max(width, c.Index+1)
	}
	for _, r := range p.Rows {
		if r.Outcome == OutcomeReject {
			width = max(width, len(r.Cells))
		}
	}
	old := -1 // the 问题 column of the file, if it has one
	t := sheet.Table{Columns: make([]sheet.Column, width+1)}
	for i := range width {
		t.Columns[i].Text = true
	}
	for _, c := range p.Columns {
		if normaliseHeader(c.Header) == problemHeader {
			old = c.Index
			continue
		}
		t.Columns[c.Index].Header = c.Header
	}
	t.Columns[width] = sheet.Column{Header: problemHeader, Width: 60}

	for _, r := range p.Rows {
		if r.Outcome != OutcomeReject {
			continue
		}
		row := make([]string, width+1)
		for i, v := range r.Cells {
			if i != old && i < width {
				row[i] = v
			}
		}
		row[width] = reasons(r)
		t.Rows = append(t.Rows, row)
	}
	return sheet.Write(path, t)
}

// rejectedAcrossSheets returns the rejected rows of several sheets as one
// table. Its columns are the 工作表 column, then the headers of the sheets
// in order of first appearance, then columns for cells without a header,
// then 问题. Columns of one field share a column under the first sheet's
// header, so that 手机号 of one sheet and 联系电话 of another import again
// as one phone column.
func (p *Plan) rejectedAcrossSheets() sheet.Table {
	t := sheet.Table{Columns: []sheet.Column{{Header: sheetHeader, Text: true, Width: 14}}}
	position := map[string]int{} // header text, or "\x00" and the index of an unheaded cell → column
	columnOf := func(key, header string) int {
		if i, ok := position[key]; ok {
			return i
		}
		position[key] = len(t.Columns)
		t.Columns = append(t.Columns, sheet.Column{Header: header, Text: true})
		return position[key]
	}
	// keyOf is the key of a column in position: its field, or its header
	// when it maps to none.
	keyOf := func(c Column) string {
		if c.Field != "" {
			return "\x01" + c.Field
		}
		return c.Header
	}
	for _, name := range p.Sheets {
		for _, c := range p.sheetColumns[name] {
			if h := normaliseHeader(c.Header); h != problemHeader && h != sheetHeader {
				columnOf(keyOf(c), c.Header)
			}
		}
	}

	type placed struct {
		sheet  string
		values map[int]string
		reason string
	}
	var rows []placed
	for _, r := range p.Rows {
		if r.Outcome != OutcomeReject {
			continue
		}
		header, key := map[int]string{}, map[int]string{}
		for _, c := range p.sheetColumns[r.Sheet] {
			header[c.Index], key[c.Index] = c.Header, keyOf(c)
		}
		values := map[int]string{}
		for i, v := range r.Cells {
			h, ok := header[i]
			switch {
			case !ok || h == "":
				if v != "" {
					values[columnOf("\x00"+strconv.Itoa(i), "")] = v
				}
			case normaliseHeader(h) != problemHeader && normaliseHeader(h) != sheetHeader:
				values[position[key[i]]] = v
			}
		}
		rows = append(rows, placed{sheet: r.Sheet, values: values, reason: reasons(r)})
	}

	width := len(t.Columns)
	t.Columns = append(t.Columns, sheet.Column{Header: problemHeader, Width: 60})
	for _, r := range rows {
		row := make([]string, width+1)
		row[0] = r.sheet
		for i, v := range r.values {
			row[i] = v
		}
		row[width] = r.reason
		t.Rows = append(t.Rows, row)
	}
	return t
}

// reasons joins the problems of a rejected row, each with its column but
// without the row number, which is another in the rejected-rows file.
func reasons(r RowPlan) string {
	out := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		switch {
		case e.Problem == "":
			out[i] = e.Message
		case e.Column == "":
			out[i] = e.Problem
		default:
			out[i] = i18n.T("import.rejected.reason", e.Column, e.Problem)
		}
	}
	return strings.Join(out, i18n.T("import.rejected.separator"))
}

// FieldOf returns the field of the column headed header, or "" when no
// column is or the column is ignored.
func (p *Plan) FieldOf(header string) string {
	for _, c := range p.Columns {
		if c.Header == header {
			return c.Field
		}
	}
	return ""
}
