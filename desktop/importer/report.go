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
// fix and import again: the file's header in one row, each rejected row's
// cells as text, and a last column 问题 with the row's problems, which the
// import ignores. The 问题 column of an earlier rejected-rows file is left
// out. It never replaces a file: the error is a *sheet.WriteError, whose
// message names the path.
func (p *Plan) WriteRejected(path string) error {
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
		reasons := make([]string, len(r.Errors))
		for i, e := range r.Errors {
			reasons[i] = e.Message
		}
		row[width] = strings.Join(reasons, "；")
		t.Rows = append(t.Rows, row)
	}
	return sheet.Write(path, t)
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
