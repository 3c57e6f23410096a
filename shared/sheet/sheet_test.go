package sheet

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/shared/i18n"
)

// sampleTable is a two-person list with an ID number and a phone column.
func sampleTable() Table {
	return Table{
		Sheet: "人才名单",
		Columns: []Column{
			{Header: "姓名"},
			{Header: "身份证号", Text: true},
			{Header: "手机号码", Text: true},
			{Header: "工作单位", Width: 30},
		},
		Rows: [][]string{
			{"陈思远", "36012120020101099X", "13907971111", "南昌甲公司"},
			{"刘芳", "360121200201010123", "13807912345"},
		},
	}
}

// openWritten writes t to a new file and opens it with excelize.
func openWritten(t *testing.T, table Table) (*excelize.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "list.xlsx")
	if err := Write(path, table); err != nil {
		t.Fatalf("Write(%s): %v", path, err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("excelize.OpenFile(%s): %v", path, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

func TestWriteValuesAndSheetName(t *testing.T) {
	f, _ := openWritten(t, sampleTable())
	if got := f.GetSheetName(0); got != "人才名单" {
		t.Fatalf("sheet name = %q, want 人才名单", got)
	}
	rows, err := f.GetRows("人才名单")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"姓名", "身份证号", "手机号码", "工作单位"},
		{"陈思远", "36012120020101099X", "13907971111", "南昌甲公司"},
		{"刘芳", "360121200201010123", "13807912345"},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}
}

func TestWriteTextColumnsAreText(t *testing.T) {
	f, _ := openWritten(t, sampleTable())
	for _, cell := range []string{"B2", "C2", "B3", "C3"} {
		typ, err := f.GetCellType("人才名单", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
			t.Errorf("cell %s type = %v, want a string cell", cell, typ)
		}
		styleID, err := f.GetCellStyle("人才名单", cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(styleID)
		if err != nil {
			t.Fatal(err)
		}
		if style.NumFmt != TextFormat {
			t.Errorf("cell %s number format = %d, want %d (text)", cell, style.NumFmt, TextFormat)
		}
	}
	// A name column is not a text column: its cells keep the general format.
	styleID, err := f.GetCellStyle("人才名单", "A2")
	if err != nil {
		t.Fatal(err)
	}
	if style, _ := f.GetStyle(styleID); style != nil && style.NumFmt == TextFormat {
		t.Errorf("cell A2 has the text format, want general")
	}
}

func TestWriteHeaderBoldAndFrozen(t *testing.T) {
	f, _ := openWritten(t, sampleTable())
	styleID, err := f.GetCellStyle("人才名单", "A1")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.Font == nil || !style.Font.Bold {
		t.Errorf("header cell A1 font = %+v, want bold", style.Font)
	}
	panes, err := f.GetPanes("人才名单")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze {
		t.Errorf("panes.Freeze = false, want true")
	}
	if panes.YSplit != 1 {
		t.Errorf("panes.YSplit = %d, want 1 (the header row)", panes.YSplit)
	}
	if panes.TopLeftCell != "A2" {
		t.Errorf("panes.TopLeftCell = %q, want A2", panes.TopLeftCell)
	}
}

func TestWriteColumnWidths(t *testing.T) {
	f, _ := openWritten(t, sampleTable())
	cases := []struct {
		col  string
		want float64
	}{
		{"A", 8},  // 陈思远 is 6 units, plus 2
		{"B", 20}, // 18 digits, plus 2
		{"D", 30}, // the width the column sets
	}
	for _, c := range cases {
		got, err := f.GetColWidth("人才名单", c.col)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("width of column %s = %v, want %v", c.col, got, c.want)
		}
	}
}

func TestWriteDropsXMLInvalidCharacters(t *testing.T) {
	table := Table{Columns: []Column{{Header: "单位"}}, Rows: [][]string{{"南昌\x00甲\x0b公司\uFFFE"}}}
	f, _ := openWritten(t, table)
	got, err := f.GetCellValue(f.GetSheetName(0), "A2")
	if err != nil {
		t.Fatal(err)
	}
	if got != "南昌甲公司" {
		t.Errorf("A2 = %q, want 南昌甲公司", got)
	}
}

func TestWriteRejectsExistingFile(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	path := filepath.Join(t.TempDir(), "list.xlsx")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Write(path, sampleTable())
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Write over an existing file: err = %v, want ErrExists", err)
	}
	if !strings.Contains(err.Error(), "已存在") || !strings.Contains(err.Error(), path) {
		t.Errorf("message = %q, want it to name %s and say it exists", err, path)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "keep me" {
		t.Errorf("existing file now holds %q, want it unchanged", data)
	}
}

func TestWriteFolderMissing(t *testing.T) {
	i18n.SetLocale(i18n.Chinese)
	dir := filepath.Join(t.TempDir(), "没有的文件夹")
	err := Write(filepath.Join(dir, "list.xlsx"), sampleTable())
	if !errors.Is(err, ErrFolderMissing) {
		t.Fatalf("err = %v, want ErrFolderMissing", err)
	}
	if !strings.Contains(err.Error(), "不存在") || !strings.Contains(err.Error(), dir) {
		t.Errorf("message = %q, want it to name %s and say it does not exist", err, dir)
	}
}

func TestWriteNoPermission(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root may write any folder")
	}
	i18n.SetLocale(i18n.Chinese)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	err := Write(filepath.Join(dir, "list.xlsx"), sampleTable())
	if !errors.Is(err, ErrPermission) {
		t.Fatalf("err = %v, want ErrPermission", err)
	}
	if !strings.Contains(err.Error(), "权限") {
		t.Errorf("message = %q, want it to mention 权限", err)
	}
}

func TestSheetName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"人才名单", "人才名单"},
		{"a/b[c]:d*e?f\\g", "abcdefg"},
		{strings.Repeat("名", 40), strings.Repeat("名", 31)},
		{"'quoted'", "quoted"},
	}
	for _, c := range cases {
		if got := sheetName(c.in); got != c.want {
			t.Errorf("sheetName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCellTextCutsLongValue(t *testing.T) {
	long := strings.Repeat("长", excelize.TotalCellChars+5)
	if got := len([]rune(CellText(long))); got != excelize.TotalCellChars {
		t.Errorf("CellText of %d characters has %d, want %d", excelize.TotalCellChars+5, got, excelize.TotalCellChars)
	}
}

func TestWriteNumberColumn(t *testing.T) {
	table := Table{Columns: []Column{{Header: "名次", Number: true}, {Header: "得分", Number: true}},
		Rows: [][]string{{"1", "87.5"}, {"2", "不详"}}}
	f, _ := openWritten(t, table)
	sheetName := f.GetSheetName(0)
	cases := []struct {
		cell  string
		typ   excelize.CellType
		value string
	}{
		{"A2", excelize.CellTypeNumber, "1"},
		{"B2", excelize.CellTypeNumber, "87.5"},
		{"B3", excelize.CellTypeInlineString, "不详"},
	}
	for _, c := range cases {
		typ, err := f.GetCellType(sheetName, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		// A number cell may leave out its type attribute, which excelize
		// reads as unset.
		if typ == excelize.CellTypeUnset {
			typ = excelize.CellTypeNumber
		}
		if typ != c.typ {
			t.Errorf("cell %s type = %v, want %v", c.cell, typ, c.typ)
		}
		value, err := f.GetCellValue(sheetName, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if value != c.value {
			t.Errorf("cell %s = %q, want %q", c.cell, value, c.value)
		}
	}
}
