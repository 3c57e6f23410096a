package importer

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/i18n"
)

// WriteErrors saves errs as an xlsx workbook with the columns 行号 (row),
// 列 (column), 原值 (value) and 问题 (problem), headed in the current
// locale, so that the clerk can fix the rows in Excel. Values are written
// as text, so that an ID number stays as typed.
func WriteErrors(path string, errs []RowError) error {
	f := excelize.NewFile()
	defer f.Close()

	sheet := i18n.T("import.report.sheet")
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return fmt.Errorf("naming error sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("making header style: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // 49 is the built-in text format "@"
	if err != nil {
		return fmt.Errorf("making text style: %w", err)
	}

	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("writing error sheet: %w", err)
	}
	for col, width := range []float64{8, 16, 28, 90} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return fmt.Errorf("setting column width: %w", err)
		}
	}
	header := []any{
		excelize.Cell{StyleID: bold, Value: i18n.T("import.report.row")},
		excelize.Cell{StyleID: bold, Value: i18n.T("import.report.column")},
		excelize.Cell{StyleID: bold, Value: i18n.T("import.report.value")},
		excelize.Cell{StyleID: bold, Value: i18n.T("import.report.problem")},
	}
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("writing error header: %w", err)
	}
	for i, e := range errs {
		row := []any{
			e.Row,
			xmlText(e.Column),
			excelize.Cell{StyleID: text, Value: xmlText(e.Value)},
			xmlText(e.Message),
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			return fmt.Errorf("writing error row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("writing error sheet: %w", err)
	}
	if err := f.SaveAs(path); err != nil {
		return fmt.Errorf("saving error list: %w", err)
	}
	return nil
}

// xmlText drops the control characters XML 1.0 cannot hold, which a cell
// of a broken CSV file may contain, and cuts s to the 32,767 characters a
// cell holds.
func xmlText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		if r == 0xFFFE || r == 0xFFFF {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > excelize.TotalCellChars {
		s = string(r[:excelize.TotalCellChars])
	}
	return s
}

// WriteRejected saves the rejected rows as an xlsx workbook the user can
// fix and import again: the file's header in one row, each rejected row's
// cells as text, and a last column 问题 with the row's problems, which the
// import ignores. It returns a *FileError wrapping os.ErrExist, and writes
// nothing, when path exists.
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

	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // 49 is the built-in text format "@"
	if err != nil {
		return fmt.Errorf("making text style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("writing rejected rows: %w", err)
	}
	header := make([]any, width+1)
	for i := range header {
		header[i] = ""
	}
	for _, c := range p.Columns {
		if !c.Silent {
			header[c.Index] = xmlText(c.Header)
		}
	}
	header[width] = problemHeader
	if err := sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("writing rejected rows header: %w", err)
	}

	n := 2
	for _, r := range p.Rows {
		if r.Outcome != OutcomeReject {
			continue
		}
		row := make([]any, width+1)
		for i := range width {
			value := ""
			if i < len(r.Cells) && !p.silent(i) {
				value = r.Cells[i]
			}
			row[i] = excelize.Cell{StyleID: text, Value: xmlText(value)}
		}
		reasons := make([]string, len(r.Errors))
		for i, e := range r.Errors {
			reasons[i] = e.Message
		}
		row[width] = xmlText(strings.Join(reasons, "；"))
		if err := sw.SetRow(fmt.Sprintf("A%d", n), row); err != nil {
			return fmt.Errorf("writing rejected row %d: %w", r.Row, err)
		}
		n++
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("writing rejected rows: %w", err)
	}

	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("writing rejected rows: %w", err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fileError(fmt.Errorf("%w: %s", os.ErrExist, path), "import.rejected.exists", path)
	}
	if err != nil {
		return fmt.Errorf("saving rejected rows: %w", err)
	}
	if _, err := buf.WriteTo(out); err != nil {
		out.Close()
		os.Remove(path)
		return fmt.Errorf("saving rejected rows: %w", err)
	}
	if err := out.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("saving rejected rows: %w", err)
	}
	return nil
}

// silent reports whether column i is the 问题 column of an earlier
// rejected-rows file, whose old reasons are left out.
func (p *Plan) silent(i int) bool {
	for _, c := range p.Columns {
		if c.Index == i {
			return c.Silent
		}
	}
	return false
}
