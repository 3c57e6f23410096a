package importer

import (
	"fmt"
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
