package importer

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// idSun and idZhou are valid ID numbers no other test uses.
var (
	idSun  = idNumber("36010220030101003")
	idZhou = idNumber("36010220030101004")
)

// twoListsWorkbook writes the tester's two-sheets.xlsx shape: sheets
// 2024届 and 2025届 with a list each and a notes sheet between them. In
// 2025届, row 3 has a bad phone and row 4 repeats 王建华 of 2024届 with
// another phone.
func twoListsWorkbook(t *testing.T) string {
	t.Helper()
	return writeXLSX(t, []string{"2024届", "说明", "2025届", "空表"}, map[string][][]xlsxCell{
		"2024届": {{"姓名", "身份证号", "手机号码"},
			{"王建华", idWang, "13870210021"},
			{"赵敏", idZhao, "13979900064"}},
		"说明": {{"本工作簿是 2024、2025 届毕业生名单"}},
		"2025届": {{"2025届毕业生名单"}, {"序号", "身份证号", "姓名", "手机号码"},
			{"1", idSun, "孙悦", "13800000001"},
			{"2", idZhou, "周平", "1234"},
			{"3", idWang, "王建华", "13800000002"}},
	}, nil, nil)
}

func TestEverySheetWithListRead(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan, err := Preview(context.Background(), st, twoListsWorkbook(t), Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if !slices.Equal(plan.Sheets, []string{"2024届", "2025届"}) {
		t.Errorf("Sheets = %q, want 2024届, 2025届", plan.Sheets)
	}
	if plan.Add != 3 || plan.Reject != 2 {
		t.Errorf("Add, Reject = %d, %d, want 3, 2", plan.Add, plan.Reject)
	}
	wantWarnings := []string{"工作表“说明”的表头没有姓名和身份证号列，不是名单，没有读取"}
	if !slices.Equal(plan.Warnings, wantWarnings) {
		t.Errorf("Warnings = %q, want %q", plan.Warnings, wantWarnings)
	}

	byRow := map[string]RowPlan{}
	for _, r := range plan.Rows {
		byRow[r.Sheet+"!"+itoa(r.Row)] = r
	}
	sun := byRow["2025届!3"]
	if sun.Outcome != OutcomeAdd || sun.Person.Name != "孙悦" {
		t.Errorf("2025届 row 3 = %+v, want 孙悦 added", sun)
	}
	zhou := byRow["2025届!4"]
	if len(zhou.Errors) != 1 || zhou.Errors[0].Sheet != "2025届" {
		t.Fatalf("2025届 row 4 errors = %+v, want one on sheet 2025届", zhou.Errors)
	}
	if msg := zhou.Errors[0].Message; !strings.HasPrefix(msg, "“2025届”表第 4 行“手机号码”列：") {
		t.Errorf("message = %q, want it to start “2025届”表第 4 行“手机号码”列：", msg)
	}
	dup := byRow["2025届!5"].Errors
	wantDup := "“2025届”表第 5 行“身份证号”列：身份证号“" + idWang + "”与“2024届”表第 2 行重复，同一人只能出现一次，" +
		"本行未导入：请核对这两行，删去重复的一行或把两行合并后再导入"
	if len(dup) != 1 || dup[0].Message != wantDup {
		t.Errorf("2025届 row 5 errors = %+v, want %q", dup, wantDup)
	}
}

func TestOneSheetMessagesNameNoSheet(t *testing.T) {
	path := writeXLSX(t, []string{"名单", "说明"}, map[string][][]xlsxCell{
		"名单": {{"姓名", "身份证号", "手机号码"}, {"王建华", idWang, "1234"}},
	}, nil, nil)
	st := openTemp(t, jiangxiFinance)
	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	errs := plan.Rows[0].Errors
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Message, "第 2 行“手机号码”列：") || errs[0].Sheet != "名单" {
		t.Errorf("errors = %+v, want a message starting 第 2 行 on sheet 名单", errs)
	}
	if len(plan.Warnings) != 0 {
		t.Errorf("Warnings = %q, want none for an empty sheet", plan.Warnings)
	}
}

func TestColumnsOfEachSheet(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan, err := Preview(context.Background(), st, twoListsWorkbook(t), Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	headers := func(cols []Column) []string {
		var out []string
		for _, c := range cols {
			out = append(out, c.Header)
		}
		return out
	}
	if got := headers(plan.ColumnsOf("2025届")); !slices.Equal(got, []string{"序号", "身份证号", "姓名", "手机号码"}) {
		t.Errorf("columns of 2025届 = %q", got)
	}
	if got := headers(plan.ColumnsOf("2024届")); !slices.Equal(got, []string{"姓名", "身份证号", "手机号码"}) {
		t.Errorf("columns of 2024届 = %q", got)
	}
}

func TestWriteRejectedAcrossSheets(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan, err := Preview(context.Background(), st, twoListsWorkbook(t), Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	out := filepath.Join(t.TempDir(), "rejected.xlsx")
	if err := plan.WriteRejected(out); err != nil {
		t.Fatalf("WriteRejected: %v", err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"工作表", "姓名", "身份证号", "手机号码", "序号", "问题"}
	if len(rows) != 3 || !slices.Equal(rows[0], wantHeader) {
		t.Fatalf("rows = %q, want header %q and 2 rows", rows, wantHeader)
	}
	wantZhou := []string{"2025届", "周平", idZhou, "1234", "2"}
	if !slices.Equal(rows[1][:5], wantZhou) {
		t.Errorf("first rejected row = %q, want %q and the problem", rows[1], wantZhou)
	}

	// The fixed file imports with its 工作表 column ignored silently.
	if err := f.SetCellValue(f.GetSheetName(0), "D2", "13800000003"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	again, err := Preview(context.Background(), st, out, Options{})
	if err != nil {
		t.Fatalf("Preview of the rejected rows: %v", err)
	}
	if len(again.Unknown()) != 0 {
		t.Errorf("unknown columns = %+v, want none", again.Unknown())
	}
	// 王建华 of 2025届 is new to the store, which the preview left empty.
	if again.Add != 2 || again.Rows[0].Person.Name != "周平" {
		t.Errorf("Add = %d, first row %+v, want 2 and 周平 added", again.Add, again.Rows[0])
	}
}

// Two sheets naming the phone column differently give one phone column in
// the rejected-rows file, so that no phone is dropped on the re-import.
func TestWriteRejectedMergesFieldColumns(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	path := writeXLSX(t, []string{"2024届", "2025届"}, map[string][][]xlsxCell{
		"2024届": {{"姓名", "身份证号", "手机号"}, {"柳三", idWang, "123"}},
		"2025届": {{"姓名", "身份证号", "联系电话", "性别"}, {"柳四", idZhao, "13907971111", "未知"}},
	}, nil, nil)
	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	out := filepath.Join(t.TempDir(), "rejected.xlsx")
	if err := plan.WriteRejected(out); err != nil {
		t.Fatalf("WriteRejected: %v", err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"工作表", "姓名", "身份证号", "手机号", "性别", "问题"}
	if len(rows) != 3 || !slices.Equal(rows[0], wantHeader) {
		t.Fatalf("rows = %q, want header %q and 2 rows", rows, wantHeader)
	}
	if got := rows[2][3]; got != "13907971111" {
		t.Errorf("柳四's phone in the 手机号 column = %q, want 13907971111", got)
	}
}

// Rows hidden in Excel are read, and the preview warns about them, because
// people hide rows to leave them out.
func TestHiddenRowsWarned(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	for cell, v := range map[string]string{"A1": "姓名", "B1": "身份证号", "A2": "王建华", "B2": idWang, "A3": "赵敏", "B3": idZhao} {
		if err := f.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetRowVisible(sheet, 3, false); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hidden.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatalf("Preview: %v", err)
	}
	if plan.Add != 2 {
		t.Errorf("Add = %d, want 2: a hidden row is still read", plan.Add)
	}
	want := "工作表“Sheet1”有 1 行在 Excel 中是隐藏的（或被筛选掉），这些行也读取了：如不想导入它们，请在文件中删除这些行后重新导入"
	if !slices.Contains(plan.Warnings, want) {
		t.Errorf("warnings = %q, want %q", plan.Warnings, want)
	}
}
