package importer

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/record"
	"mobilefactory/shared/sheet"
)

// previewBytes writes data to a file and previews it.
func previewBytes(t *testing.T, st *store.Store, name string, data []byte, opts Options) *Plan {
	t.Helper()
	plan, err := Preview(context.Background(), st, writeTemp(t, name, data), opts)
	if err != nil {
		t.Fatalf("Preview(%s): %v", name, err)
	}
	return plan
}

func TestPreviewOutcomes(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	mustImport(t, st, "old.csv", csvText(
		"姓名,身份证号,手机",
		"王建华,"+idWang+",13807912345",
		"赵敏,"+idZhao+",13907971111",
	))
	pending := st.Pending()

	plan := previewBytes(t, st, "new.csv", csvText(
		"姓名,身份证号,手机",
		"王建华,"+idWang+",13807910000",      // row 2: phone changes
		"赵敏,"+idZhao+",13907971111",       // row 3: as stored
		"李娜,"+idLiNa+",",                  // row 4: new
		"李娜,"+strings.ToLower(idLiNa)+",", // row 5: repeat of row 4
		"张三,"+idFirst+",12345",            // row 6: bad phone
	), Options{})

	if st.Pending() != pending {
		t.Errorf("Preview wrote %d changes", st.Pending()-pending)
	}
	if plan.Add != 1 || plan.Update != 1 || plan.Skip != 2 || plan.Reject != 1 {
		t.Fatalf("Add, Update, Skip, Reject = %d, %d, %d, %d; want 1, 1, 2, 1", plan.Add, plan.Update, plan.Skip, plan.Reject)
	}
	want := []Outcome{OutcomeUpdate, OutcomeSkip, OutcomeAdd, OutcomeSkip, OutcomeReject}
	for i, r := range plan.Rows {
		if r.Outcome != want[i] {
			t.Errorf("row %d outcome = %d, want %d", r.Row, r.Outcome, want[i])
		}
		if r.Row != i+2 {
			t.Errorf("plan row %d has number %d, want %d", i, r.Row, i+2)
		}
	}
	update := plan.Rows[0]
	if len(update.Changes) != 1 || update.Changes[0] != (FieldChange{record.FieldPhone, "13807912345", "13807910000"}) {
		t.Errorf("update changes = %+v, want the phone only", update.Changes)
	}
	if got := plan.Rows[1].SkipNote; got != "与已有记录相同，跳过" {
		t.Errorf("skip note of stored row = %q", got)
	}
	if got := plan.Rows[3].SkipNote; got != "与第 4 行重复，跳过" {
		t.Errorf("skip note of repeated row = %q", got)
	}
	if got := plan.Rows[4].Errors; len(got) != 1 || got[0].Column != "手机" {
		t.Errorf("rejected row errors = %+v, want one on 手机", got)
	}
	if got := plan.Rows[4].Cells; len(got) != 3 || got[0] != "张三" || got[2] != "12345" {
		t.Errorf("cells of rejected row 6 = %q, want 张三, its ID number, 12345", got)
	}
	if got := plan.Rows[2].Cells; got != nil {
		t.Errorf("cells of added row 4 = %q, want none: only rejected rows keep cells", got)
	}
}

func TestApplyAllOrNothingWritesNothing(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"姓名,身份证号,手机",
		"王建华,"+idWang+",",
		"赵敏,"+idZhao+",123",
	), Options{})

	_, err := plan.Apply(context.Background(), st, ModeAllOrNothing, nil)
	fe := fileErrorOf(t, err, ErrRejectedRows)
	if !strings.Contains(fe.Message(), "有 1 行有问题") {
		t.Errorf("message = %q", fe.Message())
	}
	if st.Count() != 0 || st.Pending() != 0 {
		t.Errorf("store has %d persons, %d changes; want none", st.Count(), st.Pending())
	}

	res, err := plan.Apply(context.Background(), st, ModeValidRows, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Rejected != 1 || st.Count() != 1 {
		t.Errorf("Imported %d, Rejected %d, stored %d; want 1, 1, 1", res.Imported, res.Rejected, st.Count())
	}
	if _, err := plan.Apply(context.Background(), st, ModeValidRows, nil); !errors.Is(err, ErrStalePlan) {
		t.Errorf("second Apply error = %v, want ErrStalePlan", err)
	}
}

func TestApplyCancelWritesNothing(t *testing.T) {
	progressInterval = 0
	t.Cleanup(func() { progressInterval = defaultProgressInterval })
	st := openTemp(t, jiangxiFinance)
	lines := []string{"姓名,身份证号"}
	for i := range 100 {
		lines = append(lines, "某某,"+idNumber("36010220040101"+pad3(i)))
	}
	plan := previewBytes(t, st, "list.csv", csvText(lines...), Options{})
	if plan.Add != 100 {
		t.Fatalf("Add = %d, want 100", plan.Add)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := plan.Apply(ctx, st, ModeValidRows, func(done, total int) {
		calls++
		if done == total/2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply error = %v, want context.Canceled", err)
	}
	if calls != 50 {
		t.Errorf("progress called %d times, want 50", calls)
	}
	if st.Count() != 0 || st.Pending() != 0 {
		t.Errorf("store has %d persons, %d changes after cancel; want none", st.Count(), st.Pending())
	}
}

func TestPreviewCancel(t *testing.T) {
	progressInterval = 0
	t.Cleanup(func() { progressInterval = defaultProgressInterval })
	st := openTemp(t, jiangxiFinance)
	lines := []string{"姓名,身份证号"}
	for i := range 1000 {
		lines = append(lines, "某某,"+idNumber("36010220040101"+pad3(i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := Options{Progress: func(done, total int) {
		if done == 300 {
			cancel()
		}
	}}
	plan, err := Preview(ctx, st, writeTemp(t, "list.csv", csvText(lines...)), opts)
	if !errors.Is(err, context.Canceled) || plan != nil {
		t.Errorf("Preview = %v, %v; want nil, context.Canceled", plan, err)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	data := csvText(
		"姓名,性别,身份证号,手机,专业,毕业年份,同意入库",
		"王建华,男,"+idWang+",13807912345,软件技术,2024,是",
		"赵敏,女,"+idZhao+",,,2023,",
	)
	mustImport(t, st, "list.csv", data)
	pending := st.Pending()

	plan := previewBytes(t, st, "list.csv", data, Options{})
	if plan.Skip != 2 || plan.Add+plan.Update+plan.Reject != 0 {
		t.Fatalf("re-import plan: add %d, update %d, skip %d, reject %d; want all skipped", plan.Add, plan.Update, plan.Skip, plan.Reject)
	}
	if _, err := plan.Apply(context.Background(), st, ModeAllOrNothing, nil); err != nil {
		t.Fatal(err)
	}
	if got := st.Pending(); got != pending {
		t.Errorf("re-import wrote %d changes, want 0", got-pending)
	}
}

func TestDuplicateWithOtherValuesRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"姓名,身份证号,手机",
		"王建华,"+idWang+",13807912345",
		"王建华,"+idWang+",13807910000",
	), Options{})
	if plan.Reject != 1 || plan.Rows[1].Outcome != OutcomeReject {
		t.Fatalf("second row outcome = %d, want reject", plan.Rows[1].Outcome)
	}
	if msg := plan.Rows[1].Errors[0].Message; !strings.Contains(msg, "与第 2 行重复") {
		t.Errorf("message %q does not name row 2", msg)
	}
}

func TestHandMappingRemembered(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	data := csvText(
		"姓名,证件编号,联络手机,备注",
		"王建华,"+idWang+",13807912345,无",
	)
	_, err := Preview(context.Background(), st, writeTemp(t, "list.csv", data), Options{})
	fileErrorOf(t, err, ErrMissingColumns)

	plan := previewBytes(t, st, "list.csv", data, Options{Mapping: map[string]string{
		"证件编号": record.FieldIDNumber, "联络手机": record.FieldPhone,
	}})
	if plan.Add != 1 {
		t.Fatalf("Add = %d, want 1", plan.Add)
	}
	if unknown := plan.Unknown(); len(unknown) != 1 || unknown[0].Header != "备注" {
		t.Errorf("unknown columns = %+v, want 备注 only", unknown)
	}
	if _, err := plan.Apply(context.Background(), st, ModeValidRows, nil); err != nil {
		t.Fatal(err)
	}

	// The next file from the same source, with its columns in another
	// order, maps the same way without a hand mapping.
	next := previewBytes(t, st, "next.csv", csvText(
		"备注,联络手机,证件编号,姓名",
		"无,13907971111,"+idZhao+",赵敏",
	), Options{})
	if next.Add != 1 {
		t.Fatalf("next file Add = %d, want 1", next.Add)
	}
	for _, c := range next.Columns {
		if c.Header == "证件编号" && (c.Field != record.FieldIDNumber || c.Auto) {
			t.Errorf("证件编号 column = %+v, want id_number not auto", c)
		}
		if c.Header == "姓名" && !c.Auto {
			t.Errorf("姓名 column = %+v, want auto", c)
		}
	}
	if got := next.Rows[0].Person.Phone; got != "13907971111" {
		t.Errorf("phone = %q, want 13907971111", got)
	}
}

func TestMappingUnknownField(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	_, err := Preview(context.Background(), st, writeTemp(t, "list.csv", csvText("姓名,身份证号", "王建华,"+idWang)),
		Options{Mapping: map[string]string{"备注": "remark"}})
	fe := fileErrorOf(t, err, ErrUnknownField)
	if !strings.Contains(fe.Message(), "phone（手机号）") {
		t.Errorf("message %q does not list the fields", fe.Message())
	}
}

func TestHeaderVariants(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"学生姓名,证件号码,移动电话,专业名称,毕业时间",
		"王建华,"+idWang+",13807912345,软件技术,2024",
	), Options{})
	if plan.Add != 1 {
		t.Fatalf("Add = %d, Reject = %d (%+v)", plan.Add, plan.Reject, plan.Rows)
	}
	p := plan.Rows[0].Person
	if p.Name != "王建华" || p.IDNumber != idWang || p.Phone != "13807912345" || p.Major != "510203" || p.GradYear != 2024 {
		t.Errorf("person = %+v", p)
	}
}

func TestGraduationDateGivesYear(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	date := func(f *excelize.File, sheet string, row, col int) int {
		if row == 2 && col == 3 {
			id, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
			return id
		}
		return 0
	}
	path := writeXLSX(t, []string{"名单"}, map[string][][]xlsxCell{"名单": {
		{"姓名", "身份证号", "毕业日期"},
		{"王建华", idWang, 45473}, // 2024-06-30
	}}, nil, date)
	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Add != 1 || plan.Rows[0].Person.GradYear != 2024 {
		t.Errorf("grad year = %d (%+v)", plan.Rows[0].Person.GradYear, plan.Rows[0].Errors)
	}
}

func TestTwoRowMergedHeader(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"2024届毕业生名单"},
		{"姓名", "基本信息", "", "联系方式", "", "备注"},
		{"", "性别", "身份证号", "手机", "邮箱", ""},
		{"王建华", "男", idWang, "13807912345", "w@example.com", "无"},
	}
	for r, row := range rows {
		for c, v := range row {
			axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(sheet, axis, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range [][2]string{{"A1", "F1"}, {"A2", "A3"}, {"B2", "C2"}, {"D2", "E2"}, {"F2", "F3"}} {
		if err := f.MergeCell(sheet, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "list.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Add != 1 || plan.Rows[0].Row != 4 {
		t.Fatalf("Add = %d, first data row = %d; want 1, 4", plan.Add, plan.Rows[0].Row)
	}
	p := plan.Rows[0].Person
	if p.Name != "王建华" || p.Gender != "1" || p.IDNumber != idWang || p.Phone != "13807912345" {
		t.Errorf("person = %+v", p)
	}
	want := []Column{
		{Index: 0, Header: "姓名", Lower: "姓名", Field: record.FieldName, Auto: true},
		{Index: 1, Header: "性别", Upper: "基本信息", Lower: "性别", Field: record.FieldGender, Auto: true},
		{Index: 2, Header: "身份证号", Upper: "基本信息", Lower: "身份证号", Field: record.FieldIDNumber, Auto: true},
		{Index: 3, Header: "手机", Upper: "联系方式", Lower: "手机", Field: record.FieldPhone, Auto: true},
		{Index: 4, Header: "联系方式/邮箱", Upper: "联系方式", Lower: "邮箱"},
		{Index: 5, Header: "备注", Lower: "备注"},
	}
	if len(plan.Columns) != len(want) {
		t.Fatalf("columns = %+v", plan.Columns)
	}
	for i, c := range plan.Columns {
		if c != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, c, want[i])
		}
	}
}

func TestTwoRowHeaderCSV(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"姓名,基本信息,,安全教育,",
		",性别,身份证号,出勤,成绩",
		"王建华,男,"+idWang+",8,90",
	), Options{})
	if plan.Add != 1 || plan.Rows[0].Row != 3 {
		t.Fatalf("Add = %d, rows = %+v", plan.Add, plan.Rows)
	}
	c := plan.Columns[4]
	if c.Header != "安全教育/成绩" || c.Upper != "安全教育" || c.Lower != "成绩" {
		t.Errorf("column 4 = %+v, want 安全教育/成绩", c)
	}
}

func TestWriteRejectedReimports(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	plan := previewBytes(t, st, "list.csv", csvText(
		"姓名,身份证号,手机,备注",
		"王建华,"+idWang+",13807912345,a",
		"赵敏,"+idZhao+",123,b",
	), Options{})
	if _, err := plan.Apply(context.Background(), st, ModeValidRows, nil); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rejected.xlsx")
	if err := plan.WriteRejected(out); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteRejected(out); !errors.Is(err, sheet.ErrExists) {
		t.Errorf("second WriteRejected error = %v, want sheet.ErrExists", err)
	}

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	f.Close()
	if len(rows) != 2 || strings.Join(rows[0], ",") != "姓名,身份证号,手机,备注,问题" {
		t.Fatalf("rows = %q", rows)
	}
	// The reason names the column but not the row, which is row 2 here.
	if rows[1][1] != idZhao || !strings.HasPrefix(rows[1][4], "“手机”列：手机号码“123”") {
		t.Errorf("rejected row = %q", rows[1])
	}

	// Fixed in Excel, the file imports; the 问题 column is ignored.
	f, _ = excelize.OpenFile(out)
	_ = f.SetCellStr(f.GetSheetName(0), "C2", "13907971111")
	fixed := filepath.Join(t.TempDir(), "fixed.xlsx")
	if err := f.SaveAs(fixed); err != nil {
		t.Fatal(err)
	}
	f.Close()
	again, err := Preview(context.Background(), st, fixed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Add != 1 || len(again.Unknown()) != 1 || again.Unknown()[0].Header != "备注" {
		t.Errorf("fixed file: add %d, unknown %+v; want 1 and 备注", again.Add, again.Unknown())
	}
}

func pad3(i int) string {
	s := itoa(i)
	return strings.Repeat("0", 3-len(s)) + s
}

// A 毕业时间 column typed as text gives the year of its date, in any of
// the forms a date is written.
func TestGraduationDateAsTextGivesYear(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText("姓名,身份证号,毕业时间",
		"王建华,"+idWang+",2025年6月",
		"赵敏,"+idZhao+",2024/6/30"))
	if res.Imported != 2 {
		t.Fatalf("Imported = %d, want 2; errors %+v", res.Imported, res.Errors)
	}
	if got := personByIDNumber(t, st, idWang).GradYear; got != 2025 {
		t.Errorf("grad year from 2025年6月 = %d, want 2025", got)
	}
	if got := personByIDNumber(t, st, idZhao).GradYear; got != 2024 {
		t.Errorf("grad year from 2024/6/30 = %d, want 2024", got)
	}
}

// An ID number typed as a number goes into the rejected-rows file as Excel
// showed it, so that a re-import rejects it again instead of storing the
// digits Excel made up for it.
func TestWriteRejectedKeepsNumericIDRejected(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	path := writeXLSX(t, []string{"名单"}, map[string][][]xlsxCell{"名单": {
		{"姓名", "身份证号"},
		{"钱十一", 360102200301015123},
	}}, nil, nil)
	plan, err := Preview(context.Background(), st, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rejected.xlsx")
	if err := plan.WriteRejected(out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	f.Close()
	if len(rows) != 2 || rows[1][1] != "3.60102E+17" {
		t.Fatalf("rejected rows = %q, want the ID cell as 3.60102E+17", rows)
	}

	again, err := Preview(context.Background(), st, out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Add != 0 || again.Reject != 1 {
		t.Errorf("re-import of the rejected rows: Add %d, Reject %d; want 0, 1", again.Add, again.Reject)
	}
}

// The numbered empty rows of a template, with only 序号 filled, are not
// rows to import: they are neither counted nor rejected.
func TestTemplateRowsWithOnlyNumberIgnored(t *testing.T) {
	st := openTemp(t, jiangxiFinance)
	res := mustImport(t, st, "list.csv", csvText("序号,姓名,身份证号", "1,王建华,"+idWang, "2,,", "3,,"))
	if res.Rows != 1 || res.Imported != 1 || res.Rejected != 0 {
		t.Errorf("Rows, Imported, Rejected = %d, %d, %d; want 1, 1, 0", res.Rows, res.Imported, res.Rejected)
	}
}
